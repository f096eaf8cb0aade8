package org.kindling.optim.lr;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.kindling.optim.Optimizer;

/**
 * Multiplies the learning rate of every group by {@code gamma} at each milestone epoch, as
 * PyTorch's {@code MultiStepLR}. A milestone listed twice applies {@code gamma} twice.
 *
 * <pre>
 * // lr = 0.05 for epochs 0-29, 0.005 for 30-79, 0.0005 from 80 on
 * LRScheduler sched = new MultiStepLR(opt, new int[] {30, 80}, 0.1);
 * </pre>
 */
public final class MultiStepLR extends LRScheduler {
    private final Map<Integer, Integer> counts = new HashMap<>();
    private final int[] sorted;
    private final double gamma;

    /** Decays by 0.1 at each milestone. */
    public MultiStepLR(Optimizer optimizer, int[] milestones) {
        this(optimizer, milestones, 0.1);
    }

    /** Decays by {@code gamma} at each milestone. */
    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super(optimizer);
        Objects.requireNonNull(milestones, "milestones");
        for (int m : milestones) counts.merge(m, 1, Integer::sum);
        this.sorted = milestones.clone();
        Arrays.sort(sorted);
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        Integer n = counts.get(lastEpoch());
        if (n == null) return lr;
        for (int i = 0; i < lr.length; i++) lr[i] *= Math.pow(gamma, n);
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        int passed = 0;
        while (passed < sorted.length && sorted[passed] <= lastEpoch()) passed++;
        double[] lr = new double[numGroups()];
        for (int i = 0; i < lr.length; i++) lr[i] = baseLr(i) * Math.pow(gamma, passed);
        return lr;
    }
}
