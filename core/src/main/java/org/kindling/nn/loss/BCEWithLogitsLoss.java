package org.kindling.nn.loss;

import org.kindling.nn.F;
import org.kindling.nn.Reduction;
import org.kindling.tensor.Tensor;

/**
 * Sigmoid and binary cross entropy in one numerically stable step ({@code nn.BCEWithLogitsLoss}).
 *
 * <p>Args: {@code weight}, {@code posWeight} (or null); {@code reduction} "none" | "mean" (default) | "sum".
 *
 * <p>Shape: input {@code (*)}, target of the same shape; output scalar, or {@code (*)} for NONE.
 *
 * <pre>
 * Tensor loss = new BCEWithLogitsLoss().forward(input, target);
 * </pre>
 */
public class BCEWithLogitsLoss extends Loss {
    public BCEWithLogitsLoss(Tensor weight, Reduction reduction, Tensor posWeight) {
        super(reduction);
        if (weight != null) registerBuffer("weight", weight);
        if (posWeight != null) registerBuffer("pos_weight", posWeight);
    }

    public BCEWithLogitsLoss() {
        this(null, Reduction.MEAN, null);
    }

    /** The rescaling weight buffer (follows {@code to(dtype)}), or null. */
    public Tensor weight() {
        return getBuffer("weight");
    }

    /** The weight of positive examples (broadcast over the last dims), or null. */
    public Tensor posWeight() {
        return getBuffer("pos_weight");
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.binaryCrossEntropyWithLogits(input, target, weight(), posWeight(), reduction);
    }
}
