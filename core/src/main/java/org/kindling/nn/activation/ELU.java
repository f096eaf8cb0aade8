package org.kindling.nn.activation;

import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.nn.internal.PyRepr;
import org.kindling.tensor.Tensor;

/**
 * {@code x if x > 0 else alpha * (exp(x) - 1)} ({@code nn.ELU}).
 *
 * <p>Args: {@code alpha} (default 1.0). Shape: {@code (*)} to the same shape.
 *
 * <pre>
 * Tensor y = new ELU(1.0).forward(x);
 * </pre>
 */
public class ELU extends Module {
    public final double alpha;

    public ELU(double alpha) {
        this.alpha = alpha;
    }

    public ELU() {
        this(1.0);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.elu(input, alpha);
    }

    @Override
    public String extraRepr() {
        return "alpha=" + PyRepr.f(alpha);
    }
}
