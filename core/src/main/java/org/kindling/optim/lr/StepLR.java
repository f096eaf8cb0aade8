package org.kindling.optim.lr;

import org.kindling.optim.Optimizer;

/**
 * Multiplies the learning rate of every group by {@code gamma} every {@code stepSize} epochs, as
 * PyTorch's {@code StepLR}: {@code lr = initial_lr * gamma^(epoch / stepSize)} when nothing
 * else changes the lr.
 *
 * <pre>
 * // lr = 0.05 for epochs 0-29, 0.005 for 30-59, 0.0005 for 60-89, ...
 * LRScheduler sched = new StepLR(opt, 30, 0.1);
 * </pre>
 */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    /** Decays by 0.1 every {@code stepSize} epochs. */
    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    /**
     * Decays by {@code gamma} every {@code stepSize} epochs.
     *
     * @throws IllegalArgumentException if stepSize is not positive
     */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize < 1) throw new IllegalArgumentException("step_size must be positive, got " + stepSize);
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        if (lastEpoch() == 0 || lastEpoch() % stepSize != 0) return lr;
        for (int i = 0; i < lr.length; i++) lr[i] *= gamma;
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lr = new double[numGroups()];
        for (int i = 0; i < lr.length; i++) lr[i] = baseLr(i) * Math.pow(gamma, Math.floorDiv(lastEpoch(), stepSize));
        return lr;
    }
}
