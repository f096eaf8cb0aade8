package org.kindling.optim.lr;

import org.kindling.optim.Optimizer;

/**
 * Multiplies the learning rate of every group by {@code gamma} every epoch, as PyTorch's
 * {@code ExponentialLR}: {@code lr = initial_lr * gamma^epoch}.
 *
 * <pre>
 * LRScheduler sched = new ExponentialLR(opt, 0.95);
 * </pre>
 */
public final class ExponentialLR extends LRScheduler {
    private final double gamma;

    /** Decays by {@code gamma} every epoch. */
    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer);
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        if (lastEpoch() == 0) return lr;
        for (int i = 0; i < lr.length; i++) lr[i] *= gamma;
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lr = new double[numGroups()];
        for (int i = 0; i < lr.length; i++) lr[i] = baseLr(i) * Math.pow(gamma, lastEpoch());
        return lr;
    }
}
