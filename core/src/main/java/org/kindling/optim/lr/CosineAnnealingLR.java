package org.kindling.optim.lr;

import org.kindling.optim.Optimizer;

/**
 * Cosine annealing (SGDR without restarts, Loshchilov and Hutter, 2016), as PyTorch's
 * {@code CosineAnnealingLR}. With nothing else changing the lr this is
 * {@code lr = eta_min + (initial_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2}: down to
 * {@code etaMin} at {@code tMax}, back up over the next {@code tMax} epochs, and so on. Like
 * PyTorch it applies the recursive form, each epoch's lr computed from the previous one, so it
 * composes with other changes of the lr.
 *
 * <pre>
 * LRScheduler sched = new CosineAnnealingLR(opt, 100, 1e-5);   // a 100-epoch run
 * </pre>
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    /** Anneals to 0 over {@code tMax} epochs. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0);
    }

    /**
     * Anneals to {@code etaMin} over {@code tMax} epochs.
     *
     * @throws IllegalArgumentException if tMax is not positive
     */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax < 1) throw new IllegalArgumentException("T_max must be positive, got " + tMax);
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        int e = lastEpoch();
        double[] lr = currentLrs();
        if (e == 0) return lr;
        if (stepCount() == 1 && e > 0) return closedFormLr();
        if (Math.floorMod(e - 1 - tMax, 2 * tMax) == 0) {
            // the lowest point: the ratio below would divide by zero, so take the step up directly
            for (int i = 0; i < lr.length; i++) {
                lr[i] = lr[i] + (baseLr(i) - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            }
            return lr;
        }
        double ratio = (1 + Math.cos(Math.PI * e / tMax)) / (1 + Math.cos(Math.PI * (e - 1) / tMax));
        for (int i = 0; i < lr.length; i++) lr[i] = ratio * (lr[i] - etaMin) + etaMin;
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lr = new double[numGroups()];
        for (int i = 0; i < lr.length; i++) {
            lr[i] = etaMin + (baseLr(i) - etaMin) * (1 + Math.cos(Math.PI * lastEpoch() / tMax)) / 2;
        }
        return lr;
    }
}
