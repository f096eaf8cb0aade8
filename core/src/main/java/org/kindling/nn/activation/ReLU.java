package org.kindling.nn.activation;

import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.tensor.Tensor;

/**
 * {@code max(0, x)} element-wise ({@code nn.ReLU}).
 *
 * <p>Shape: input {@code (*)}, output of the same shape.
 *
 * <pre>
 * Tensor y = new ReLU().forward(Kindling.randn(2, 3));
 * </pre>
 */
public class ReLU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.relu(input);
    }
}
