package org.kindling.nn.activation;

import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.tensor.Tensor;

/**
 * {@code x * sigmoid(x)} element-wise ({@code nn.SiLU}).
 *
 * <p>Shape: input {@code (*)}, output of the same shape.
 *
 * <pre>
 * Tensor y = new SiLU().forward(Kindling.randn(2, 3));
 * </pre>
 */
public class SiLU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.silu(input);
    }
}
