package org.kindling.optim.lr;

import org.kindling.optim.Optimizer;

/**
 * Scales the learning rate by a factor that moves linearly from {@code startFactor} to
 * {@code endFactor} over {@code totalIters} epochs, then stays, as PyTorch's {@code LinearLR};
 * the usual warm-up.
 *
 * <pre>
 * // lr = 0.1 * (0.25, 0.4375, 0.625, 0.8125, 1.0, 1.0, ...)
 * LRScheduler warmup = new LinearLR(opt, 0.25, 1.0, 4);
 * </pre>
 */
public final class LinearLR extends LRScheduler {
    private final double startFactor;
    private final double endFactor;
    private final int totalIters;

    /** From a third of the lr to the full lr over 5 epochs (PyTorch's defaults). */
    public LinearLR(Optimizer optimizer) {
        this(optimizer, 1.0 / 3, 1.0, 5);
    }

    /**
     * From {@code startFactor * lr} to {@code endFactor * lr} over {@code totalIters} epochs.
     *
     * @throws IllegalArgumentException if a factor is outside (0, 1] (the end factor may be 0), or
     *     totalIters is not positive
     */
    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        super(optimizer);
        if (!(startFactor > 0 && startFactor <= 1.0)) {
            throw new IllegalArgumentException(
                    "Starting multiplicative factor expected to be greater than 0 and less or equal to 1, got "
                            + startFactor);
        }
        if (!(endFactor >= 0 && endFactor <= 1.0)) {
            throw new IllegalArgumentException("Ending multiplicative factor expected to be between 0 and 1, got "
                    + endFactor);
        }
        if (totalIters < 1) throw new IllegalArgumentException("total_iters must be positive, got " + totalIters);
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        int e = lastEpoch();
        double[] lr = currentLrs();
        if (e == 0) {
            for (int i = 0; i < lr.length; i++) lr[i] *= startFactor;
            return lr;
        }
        if (e > totalIters) return lr;
        double factor = 1. + (endFactor - startFactor)
                / (totalIters * startFactor + (e - 1) * (endFactor - startFactor));
        for (int i = 0; i < lr.length; i++) lr[i] *= factor;
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lr = new double[numGroups()];
        for (int i = 0; i < lr.length; i++) {
            lr[i] = baseLr(i) * (startFactor
                    + (endFactor - startFactor) * Math.min(totalIters, lastEpoch()) / totalIters);
        }
        return lr;
    }
}
