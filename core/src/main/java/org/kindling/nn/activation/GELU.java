package org.kindling.nn.activation;

import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.tensor.Tensor;

/**
 * {@code x * Phi(x)} ({@code nn.GELU}); with {@code approximate = "tanh"} the tanh approximation.
 *
 * <p>Args: {@code approximate} "none" (default) or "tanh". Shape: {@code (*)} to the same shape.
 *
 * <pre>
 * Tensor y = new GELU("tanh").forward(x);
 * </pre>
 */
public class GELU extends Module {
    public final String approximate;

    public GELU(String approximate) {
        if (!approximate.equals("none") && !approximate.equals("tanh")) {
            throw new IllegalArgumentException("GELU: approximate must be \"none\" or \"tanh\", got \"" + approximate + "\"");
        }
        this.approximate = approximate;
    }

    public GELU() {
        this("none");
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.gelu(input, approximate);
    }

    @Override
    public String extraRepr() {
        return "approximate='" + approximate + "'";
    }
}
