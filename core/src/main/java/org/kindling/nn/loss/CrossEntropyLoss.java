package org.kindling.nn.loss;

import org.kindling.nn.F;
import org.kindling.nn.Reduction;
import org.kindling.tensor.Tensor;

/**
 * Log-softmax plus negative log-likelihood ({@code nn.CrossEntropyLoss}); input logits {@code (N, C)} or {@code (N, C, d1, ...)}; target int64 class indices {@code (N, d1, ...)} or class probabilities of the input's shape.
 *
 * <p>Args: {@code weight} per class (or null), {@code ignoreIndex} (default -100), {@code labelSmoothing} (default 0); {@code reduction} "none" | "mean" (default) | "sum".
 *
 * <p>Shape: input {@code (N, C)}, {@code (C)} or {@code (N, C, d1, ...)}; output scalar, or the target's shape for NONE.
 *
 * <pre>
 * Tensor loss = new CrossEntropyLoss().forward(input, target);
 * </pre>
 */
public class CrossEntropyLoss extends Loss {
    public final long ignoreIndex;
    public final double labelSmoothing;

    public CrossEntropyLoss(Tensor weight, long ignoreIndex, Reduction reduction, double labelSmoothing) {
        super(reduction);
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
        if (weight != null) registerBuffer("weight", weight);
    }

    public CrossEntropyLoss() {
        this(null, -100, Reduction.MEAN, 0.0);
    }

    /** The rescaling weight buffer (follows {@code to(dtype)}), or null. */
    public Tensor weight() {
        return getBuffer("weight");
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.crossEntropy(input, target, weight(), ignoreIndex, reduction, labelSmoothing);
    }
}
