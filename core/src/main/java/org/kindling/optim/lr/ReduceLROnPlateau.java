package org.kindling.optim.lr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.kindling.optim.Optimizer;
import org.kindling.optim.ParamGroup;

/**
 * Multiplies the learning rates by {@code factor} when a metric has stopped improving for more
 * than {@code patience} epochs, as PyTorch's {@code ReduceLROnPlateau}. Unlike the
 * {@link LRScheduler}s it is stepped with the metric, typically the validation loss:
 *
 * <pre>
 * ReduceLROnPlateau sched = ReduceLROnPlateau.builder(opt).factor(0.5).patience(5).build();
 * for (int epoch = 0; epoch &lt; 100; epoch++) {
 *     train(model, opt);
 *     sched.step(validate(model));
 * }
 * </pre>
 *
 * A value improves on the best so far when it is lower by more than {@code threshold} (relative:
 * {@code v < best * (1 - threshold)}, or absolute: {@code v < best - threshold}; higher for
 * {@link Mode#MAX}). After a reduction, {@code cooldown} epochs pass before bad epochs count
 * again. No group's lr goes below its {@code minLr}, and changes smaller than {@code eps} are
 * skipped.
 */
public final class ReduceLROnPlateau {
    /** Whether lower ({@link #MIN}, e.g. a loss) or higher ({@link #MAX}, e.g. accuracy) is better. */
    public enum Mode { MIN, MAX }

    /** How {@code threshold} is applied: relative to the best value, or absolute. */
    public enum ThresholdMode { REL, ABS }

    private final Optimizer optimizer;
    private final Mode mode;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final ThresholdMode thresholdMode;
    private final int cooldown;
    private final double[] minLrs;
    private final double eps;

    private double best;
    private int numBadEpochs;
    private int cooldownCounter;
    private int lastEpoch;
    private List<Double> lastLr;

    /** PyTorch's defaults: mode min, factor 0.1, patience 10, threshold 1e-4 relative, no cooldown. */
    public ReduceLROnPlateau(Optimizer optimizer) {
        this(builder(optimizer));
    }

    /** A builder with PyTorch's defaults. */
    public static Builder builder(Optimizer optimizer) {
        return new Builder(optimizer);
    }

    private ReduceLROnPlateau(Builder b) {
        if (!(b.factor < 1.0)) throw new IllegalArgumentException("Factor should be < 1.0.");
        if (!(b.factor >= 0)) throw new IllegalArgumentException("factor must be non-negative, got " + b.factor);
        if (b.patience < 0) throw new IllegalArgumentException("patience must be non-negative, got " + b.patience);
        if (b.cooldown < 0) throw new IllegalArgumentException("cooldown must be non-negative, got " + b.cooldown);
        int groups = b.optimizer.paramGroups().size();
        if (b.minLr.length == 1) {
            minLrs = new double[groups];
            Arrays.fill(minLrs, b.minLr[0]);
        } else if (b.minLr.length == groups) {
            minLrs = b.minLr.clone();
        } else {
            throw new IllegalArgumentException("expected " + groups + " min_lrs, got " + b.minLr.length);
        }
        this.optimizer = b.optimizer;
        this.mode = Objects.requireNonNull(b.mode, "mode");
        this.factor = b.factor;
        this.patience = b.patience;
        this.threshold = b.threshold;
        this.thresholdMode = Objects.requireNonNull(b.thresholdMode, "thresholdMode");
        this.cooldown = b.cooldown;
        this.eps = b.eps;
        this.best = worst();
        this.lastLr = currentLrs();
    }

    /**
     * Records the metric of the epoch just finished and reduces the learning rates if it has not
     * improved for more than {@code patience} epochs.
     */
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (inCooldown()) {
            cooldownCounter--;
            numBadEpochs = 0;  // bad epochs in cooldown are ignored
        }
        if (numBadEpochs > patience) {
            reduceLr();
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        lastLr = currentLrs();
    }

    private void reduceLr() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < Math.min(groups.size(), minLrs.length); i++) {
            double old = groups.get(i).lr();
            double reduced = Math.max(old * factor, minLrs[i]);
            if (old - reduced > eps) groups.get(i).setLr(reduced);
        }
    }

    private boolean isBetter(double a, double best) {
        if (mode == Mode.MIN) {
            return thresholdMode == ThresholdMode.REL ? a < best * (1. - threshold) : a < best - threshold;
        }
        return thresholdMode == ThresholdMode.REL ? a > best * (threshold + 1.) : a > best + threshold;
    }

    private double worst() {
        return mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    private List<Double> currentLrs() {
        List<Double> out = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) out.add(g.lr());
        return Collections.unmodifiableList(out);
    }

    /** The optimizer whose learning rates this scheduler sets. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The learning rate of each group after the last step (unmodifiable). */
    public List<Double> getLastLr() {
        return lastLr;
    }

    /** The best metric so far (infinitely bad before the first step). */
    public double best() {
        return best;
    }

    /** Epochs since the last improvement, not counting cooldown. */
    public int numBadEpochs() {
        return numBadEpochs;
    }

    /** True while bad epochs are ignored after a reduction. */
    public boolean inCooldown() {
        return cooldownCounter > 0;
    }

    /** The number of steps taken. */
    public int lastEpoch() {
        return lastEpoch;
    }

    /**
     * The progress: {@code best}, {@code num_bad_epochs}, {@code cooldown_counter},
     * {@code last_epoch}, {@code _last_lr} (PyTorch's names). Settings are not included.
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("best", best);
        d.put("num_bad_epochs", numBadEpochs);
        d.put("cooldown_counter", cooldownCounter);
        d.put("last_epoch", lastEpoch);
        d.put("_last_lr", lastLr);
        return d;
    }

    /**
     * Restores {@link #stateDict()}.
     *
     * @throws IllegalArgumentException if an entry is missing or has the wrong type
     */
    public void loadStateDict(Map<String, ?> stateDict) {
        double b = LRScheduler.doubleEntry(stateDict, "best");
        int bad = LRScheduler.intEntry(stateDict, "num_bad_epochs");
        int cool = LRScheduler.intEntry(stateDict, "cooldown_counter");
        int epoch = LRScheduler.intEntry(stateDict, "last_epoch");
        List<Double> last = LRScheduler.listEntry(stateDict, "_last_lr");
        best = b;
        numBadEpochs = bad;
        cooldownCounter = cool;
        lastEpoch = epoch;
        lastLr = last;
    }

    /** ReduceLROnPlateau's settings; {@link #build()} validates them. */
    public static final class Builder {
        private final Optimizer optimizer;
        private Mode mode = Mode.MIN;
        private double factor = 0.1;
        private int patience = 10;
        private double threshold = 1e-4;
        private ThresholdMode thresholdMode = ThresholdMode.REL;
        private int cooldown;
        private double[] minLr = {0};
        private double eps = 1e-8;

        private Builder(Optimizer optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        }

        /** Lower is better ({@link Mode#MIN}, the default) or higher is. */
        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /** The lr is multiplied by this (&lt; 1) on a plateau, default 0.1. */
        public Builder factor(double factor) {
            this.factor = factor;
            return this;
        }

        /** Epochs without improvement tolerated before reducing, default 10. */
        public Builder patience(int patience) {
            this.patience = patience;
            return this;
        }

        /** Minimum change that counts as an improvement, default 1e-4. */
        public Builder threshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        /** Relative (default) or absolute threshold. */
        public Builder thresholdMode(ThresholdMode thresholdMode) {
            this.thresholdMode = thresholdMode;
            return this;
        }

        /** Epochs to wait after a reduction before counting bad epochs again, default 0. */
        public Builder cooldown(int cooldown) {
            this.cooldown = cooldown;
            return this;
        }

        /** Lower bound of the lr (one value, or one per group), default 0. */
        public Builder minLr(double... minLr) {
            this.minLr = minLr.clone();
            return this;
        }

        /** Reductions smaller than this are skipped, default 1e-8. */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /**
         * The scheduler.
         *
         * @throws IllegalArgumentException if factor is not in [0, 1), patience or cooldown is
         *     negative, or minLr has neither one value nor one per group
         */
        public ReduceLROnPlateau build() {
            return new ReduceLROnPlateau(this);
        }
    }
}
