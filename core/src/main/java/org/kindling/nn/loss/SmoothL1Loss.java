package org.kindling.nn.loss;

import org.kindling.nn.F;
import org.kindling.nn.Reduction;
import org.kindling.tensor.Tensor;

/**
 * {@code 0.5 d^2 / beta} where {@code |d| < beta}, else {@code |d| - 0.5 beta} ({@code nn.SmoothL1Loss}).
 *
 * <p>Args: {@code beta} (default 1.0); {@code reduction} "none" | "mean" (default) | "sum".
 *
 * <p>Shape: input {@code (*)}, target of the same shape; output scalar, or {@code (*)} for NONE.
 *
 * <pre>
 * Tensor loss = new SmoothL1Loss().forward(input, target);
 * </pre>
 */
public class SmoothL1Loss extends Loss {
    public final double beta;

    public SmoothL1Loss(Reduction reduction, double beta) {
        super(reduction);
        this.beta = beta;
    }

    public SmoothL1Loss() {
        this(Reduction.MEAN, 1.0);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.smoothL1Loss(input, target, reduction, beta);
    }
}
