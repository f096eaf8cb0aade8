package org.kindling.nn.activation;

import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.nn.internal.PyRepr;
import org.kindling.tensor.Tensor;

/**
 * {@code log(1 + exp(beta x)) / beta}, linear where {@code beta x > threshold} ({@code nn.Softplus}).
 *
 * <p>Args: {@code beta} (default 1), {@code threshold} (default 20). Shape: {@code (*)} to the same shape.
 *
 * <pre>
 * Tensor y = new Softplus(2, 20).forward(x);
 * </pre>
 */
public class Softplus extends Module {
    public final double beta;
    public final double threshold;

    public Softplus(double beta, double threshold) {
        this.beta = beta;
        this.threshold = threshold;
    }

    public Softplus() {
        this(1, 20);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.softplus(input, beta, threshold);
    }

    @Override
    public String extraRepr() {
        return "beta=" + PyRepr.num(beta) + ", threshold=" + PyRepr.num(threshold);
    }
}
