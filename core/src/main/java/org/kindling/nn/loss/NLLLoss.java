package org.kindling.nn.loss;

import org.kindling.nn.F;
import org.kindling.nn.Reduction;
import org.kindling.tensor.Tensor;

/**
 * Negative log-likelihood of class indices given log-probabilities ({@code nn.NLLLoss}); input {@code (N, C)} or {@code (N, C, d1, ...)}, int64 target {@code (N)} or {@code (N, d1, ...)}.
 *
 * <p>Args: {@code weight} per class (or null), {@code ignoreIndex} (default -100); {@code reduction} "none" | "mean" (default) | "sum".
 *
 * <p>Shape: input {@code (N, C)}, {@code (C)} or {@code (N, C, d1, ...)}; output scalar, or the target's shape for NONE.
 *
 * <pre>
 * Tensor loss = new NLLLoss().forward(input, target);
 * </pre>
 */
public class NLLLoss extends Loss {
    public final long ignoreIndex;

    public NLLLoss(Tensor weight, long ignoreIndex, Reduction reduction) {
        super(reduction);
        this.ignoreIndex = ignoreIndex;
        if (weight != null) registerBuffer("weight", weight);
    }

    public NLLLoss() {
        this(null, -100, Reduction.MEAN);
    }

    /** The rescaling weight buffer (follows {@code to(dtype)}), or null. */
    public Tensor weight() {
        return getBuffer("weight");
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.nllLoss(input, target, weight(), ignoreIndex, reduction);
    }
}
