package org.kindling.nn.activation;

import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.tensor.Tensor;

/**
 * {@code logSoftmax} along {@code dim} ({@code nn.LogSoftmax}).
 *
 * <p>Args: {@code dim} the dimension that sums to one (in probability space). Shape: {@code (*)} to the same shape.
 *
 * <pre>
 * Tensor p = new LogSoftmax(1).forward(Kindling.randn(2, 3));
 * </pre>
 */
public class LogSoftmax extends Module {
    public final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.logSoftmax(input, dim);
    }

    @Override
    public String extraRepr() {
        return "dim=" + dim;
    }
}
