package org.kindling.nn.loss;

import org.kindling.nn.F;
import org.kindling.nn.Reduction;
import org.kindling.tensor.Tensor;

/**
 * Kullback–Leibler divergence with log-probability input ({@code nn.KLDivLoss}); use {@link Reduction#BATCHMEAN} for the true KL.
 *
 * <p>Args: {@code logTarget} (default false); {@code reduction} "none" | "mean" (default) | "sum".
 *
 * <p>Shape: input {@code (*)}, target of the same shape; output scalar, or {@code (*)} for NONE.
 *
 * <pre>
 * Tensor loss = new KLDivLoss().forward(input, target);
 * </pre>
 */
public class KLDivLoss extends Loss {
    public final boolean logTarget;

    public KLDivLoss(Reduction reduction, boolean logTarget) {
        super(reduction);
        this.logTarget = logTarget;
    }

    public KLDivLoss() {
        this(Reduction.MEAN, false);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.klDiv(input, target, reduction, logTarget);
    }
}
