package org.kindling.nn.loss;

import org.kindling.nn.F;
import org.kindling.nn.Reduction;
import org.kindling.tensor.Tensor;

/**
 * Binary cross entropy of probabilities, logs clamped to {@code >= -100} ({@code nn.BCELoss}).
 *
 * <p>Args: {@code weight} (or null); {@code reduction} "none" | "mean" (default) | "sum".
 *
 * <p>Shape: input {@code (*)}, target of the same shape; output scalar, or {@code (*)} for NONE.
 *
 * <pre>
 * Tensor loss = new BCELoss().forward(input, target);
 * </pre>
 */
public class BCELoss extends Loss {
    public BCELoss(Tensor weight, Reduction reduction) {
        super(reduction);
        if (weight != null) registerBuffer("weight", weight);
    }

    public BCELoss() {
        this(null, Reduction.MEAN);
    }

    /** The rescaling weight buffer (follows {@code to(dtype)}), or null. */
    public Tensor weight() {
        return getBuffer("weight");
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.binaryCrossEntropy(input, target, weight(), reduction);
    }
}
