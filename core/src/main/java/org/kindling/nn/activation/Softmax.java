package org.kindling.nn.activation;

import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.tensor.Tensor;

/**
 * {@code softmax} along {@code dim} ({@code nn.Softmax}).
 *
 * <p>Args: {@code dim} the dimension that sums to one (in probability space). Shape: {@code (*)} to the same shape.
 *
 * <pre>
 * Tensor p = new Softmax(1).forward(Kindling.randn(2, 3));
 * </pre>
 */
public class Softmax extends Module {
    public final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.softmax(input, dim);
    }

    @Override
    public String extraRepr() {
        return "dim=" + dim;
    }
}
