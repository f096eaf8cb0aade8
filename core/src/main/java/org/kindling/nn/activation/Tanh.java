package org.kindling.nn.activation;

import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.tensor.Tensor;

/**
 * Hyperbolic tangent element-wise ({@code nn.Tanh}).
 *
 * <p>Shape: input {@code (*)}, output of the same shape.
 *
 * <pre>
 * Tensor y = new Tanh().forward(Kindling.randn(2, 3));
 * </pre>
 */
public class Tanh extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.tanh(input);
    }
}
