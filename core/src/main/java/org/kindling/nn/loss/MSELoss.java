package org.kindling.nn.loss;

import org.kindling.nn.F;
import org.kindling.nn.Reduction;
import org.kindling.tensor.Tensor;

/**
 * Mean squared error {@code (x - y)^2} ({@code nn.MSELoss}).
 *
 * <p>Args: {@code reduction} "none" | "mean" (default) | "sum".
 *
 * <p>Shape: input {@code (*)}, target of the same shape; output scalar, or {@code (*)} for NONE.
 *
 * <pre>
 * Tensor loss = new MSELoss().forward(input, target);
 * </pre>
 */
public class MSELoss extends Loss {
    public MSELoss(Reduction reduction) {
        super(reduction);

    }

    public MSELoss() {
        this(Reduction.MEAN);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.mseLoss(input, target, reduction);
    }
}
