package org.kindling.optim.lr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.IntToDoubleFunction;
import org.kindling.optim.Optimizer;

/**
 * Sets each group's learning rate to its initial lr times a function of the epoch, as PyTorch's
 * {@code LambdaLR}. The functions are not part of {@link #stateDict()}.
 *
 * <pre>
 * LRScheduler sched = new LambdaLR(opt, epoch -&gt; Math.pow(0.95, epoch));
 * LRScheduler perGroup = new LambdaLR(opt, List.of(epoch -&gt; epoch / 30, epoch -&gt; Math.pow(0.95, epoch)));
 * </pre>
 */
public final class LambdaLR extends LRScheduler {
    private final List<IntToDoubleFunction> lambdas;

    /** One factor function for every group. */
    public LambdaLR(Optimizer optimizer, IntToDoubleFunction lrLambda) {
        this(optimizer, Collections.nCopies(optimizer.paramGroups().size(), Objects.requireNonNull(lrLambda, "lrLambda")));
    }

    /**
     * One factor function per group.
     *
     * @throws IllegalArgumentException if there are not as many functions as groups
     */
    public LambdaLR(Optimizer optimizer, List<? extends IntToDoubleFunction> lrLambdas) {
        super(optimizer);
        if (lrLambdas.size() != optimizer.paramGroups().size()) {
            throw new IllegalArgumentException("Expected " + optimizer.paramGroups().size() + " lr_lambdas, but got "
                    + lrLambdas.size());
        }
        this.lambdas = List.copyOf(new ArrayList<>(lrLambdas));
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = new double[numGroups()];
        for (int i = 0; i < lr.length; i++) lr[i] = baseLr(i) * lambdas.get(i).applyAsDouble(lastEpoch());
        return lr;
    }
}
