package org.kindling.nn.loss;

import org.kindling.nn.Module;
import org.kindling.nn.Reduction;
import org.kindling.tensor.Tensor;

/**
 * Base of the loss modules ({@code _Loss}): holds the {@link Reduction} and computes
 * {@code forward(input, target)}.
 *
 * <pre>
 * Loss criterion = new CrossEntropyLoss();
 * Tensor loss = criterion.forward(logits, labels);
 * loss.backward();
 * </pre>
 */
public abstract class Loss extends Module {
    public final Reduction reduction;

    protected Loss(Reduction reduction) {
        this.reduction = reduction;
    }

    /** The loss of {@code input} against {@code target}. */
    public abstract Tensor forward(Tensor input, Tensor target);
}
