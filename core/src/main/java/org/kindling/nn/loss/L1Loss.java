package org.kindling.nn.loss;

import org.kindling.nn.F;
import org.kindling.nn.Reduction;
import org.kindling.tensor.Tensor;

/**
 * Mean absolute error {@code |x - y|} ({@code nn.L1Loss}).
 *
 * <p>Args: {@code reduction} "none" | "mean" (default) | "sum".
 *
 * <p>Shape: input {@code (*)}, target of the same shape; output scalar, or {@code (*)} for NONE.
 *
 * <pre>
 * Tensor loss = new L1Loss().forward(input, target);
 * </pre>
 */
public class L1Loss extends Loss {
    public L1Loss(Reduction reduction) {
        super(reduction);

    }

    public L1Loss() {
        this(Reduction.MEAN);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.l1Loss(input, target, reduction);
    }
}
