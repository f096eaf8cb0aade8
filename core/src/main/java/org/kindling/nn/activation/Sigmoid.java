package org.kindling.nn.activation;

import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.tensor.Tensor;

/**
 * {@code 1 / (1 + exp(-x))} element-wise ({@code nn.Sigmoid}).
 *
 * <p>Shape: input {@code (*)}, output of the same shape.
 *
 * <pre>
 * Tensor y = new Sigmoid().forward(Kindling.randn(2, 3));
 * </pre>
 */
public class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.sigmoid(input);
    }
}
