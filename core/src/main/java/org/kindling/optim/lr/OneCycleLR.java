package org.kindling.optim.lr;

import java.util.List;
import java.util.Objects;
import org.kindling.optim.Optimizer;
import org.kindling.optim.ParamGroup;

/**
 * The 1cycle policy (Smith and Topin, 2017), as PyTorch's {@code OneCycleLR}: the learning rate
 * rises from {@code maxLr / divFactor} to {@code maxLr} over the first {@code pctStart} of the
 * steps, then anneals to {@code initial_lr / finalDivFactor}; momentum (or Adam's beta1) moves
 * the opposite way between {@code maxMomentum} and {@code baseMomentum}. With
 * {@code threePhase} the descent mirrors the rise and a third phase annihilates the lr. Step it
 * after every batch, {@code totalSteps} times at most.
 *
 * <pre>
 * Optimizer opt = SGD.builder(model.parameters()).lr(0.1).momentum(0.9).build();
 * LRScheduler sched = OneCycleLR.builder(opt, 0.01).epochs(10).stepsPerEpoch(loader.size()).build();
 * for (int epoch = 0; epoch &lt; 10; epoch++) {
 *     for (Batch b : loader) {
 *         trainBatch(b);         // ... opt.step();
 *         sched.step();
 *     }
 * }
 * </pre>
 *
 * <p>It writes the options {@code initial_lr}, {@code max_lr}, {@code min_lr} and, when cycling
 * momentum, {@code max_momentum} and {@code base_momentum} into every group.
 */
public final class OneCycleLR extends LRScheduler {
    /** How the lr (and momentum) moves within a phase. */
    public enum AnnealStrategy {
        /** Half a cosine wave (the default). */
        COS,
        /** A straight line. */
        LINEAR
    }

    private record Phase(double endStep, String startLr, String endLr, String startMomentum, String endMomentum) {}

    private final int totalSteps;
    private final List<Phase> phases;
    private final AnnealStrategy anneal;
    private final boolean cycleMomentum;
    private final boolean useBeta1;

    /** A two-phase cosine cycle to {@code maxLr} over {@code totalSteps} steps, PyTorch's defaults otherwise. */
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps) {
        this(builder(optimizer, maxLr).totalSteps(totalSteps));
    }

    /** A builder for a cycle peaking at {@code maxLr} (one value, or one per group). */
    public static Builder builder(Optimizer optimizer, double... maxLr) {
        return new Builder(optimizer, maxLr);
    }

    private OneCycleLR(Builder b) {
        super(b.optimizer);
        List<ParamGroup> groups = b.optimizer.paramGroups();
        // Everything is checked before any group is changed.
        if (b.totalSteps == null && (b.epochs == null || b.stepsPerEpoch == null)) {
            throw new IllegalArgumentException("You must define either total_steps OR (epochs AND steps_per_epoch)");
        }
        if (b.totalSteps != null) {
            if (b.totalSteps <= 0) {
                throw new IllegalArgumentException("Expected positive integer total_steps, but got " + b.totalSteps);
            }
            totalSteps = b.totalSteps;
        } else {
            if (b.epochs <= 0) throw new IllegalArgumentException("Expected positive integer epochs, but got " + b.epochs);
            if (b.stepsPerEpoch <= 0) {
                throw new IllegalArgumentException("Expected positive integer steps_per_epoch, but got " + b.stepsPerEpoch);
            }
            totalSteps = Math.multiplyExact(b.epochs, b.stepsPerEpoch);
        }
        if (!(b.pctStart >= 0 && b.pctStart <= 1)) {
            throw new IllegalArgumentException("Expected float between 0 and 1 pct_start, but got " + b.pctStart);
        }
        anneal = Objects.requireNonNull(b.anneal, "annealStrategy");
        double[] maxLrs = perGroup("max_lr", b.maxLr, groups.size());
        cycleMomentum = b.cycleMomentum;
        double[] maxMomentums = null;
        double[] baseMomentums = null;
        if (cycleMomentum) {
            var defaults = b.optimizer.defaults();
            if (!defaults.containsKey("momentum") && !defaults.containsKey("betas")) {
                throw new IllegalArgumentException("optimizer must support momentum with `cycle_momentum` option enabled");
            }
            useBeta1 = defaults.containsKey("betas");
            maxMomentums = perGroup("max_momentum", b.maxMomentum, groups.size());
            baseMomentums = perGroup("base_momentum", b.baseMomentum, groups.size());
        } else {
            useBeta1 = false;
        }
        if (b.threePhase) {
            phases = List.of(
                    new Phase(b.pctStart * totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                    new Phase(2 * b.pctStart * totalSteps - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                    new Phase(totalSteps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"));
        } else {
            phases = List.of(
                    new Phase(b.pctStart * totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                    new Phase(totalSteps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"));
        }
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            double initial = maxLrs[i] / b.divFactor;
            g.set("initial_lr", initial);
            g.set("max_lr", maxLrs[i]);
            g.set("min_lr", initial / b.finalDivFactor);
            if (cycleMomentum) {
                setMomentum(g, maxMomentums[i]);
                g.set("max_momentum", maxMomentums[i]);
                g.set("base_momentum", baseMomentums[i]);
            }
        }
        initialStep();
    }

    private static double[] perGroup(String name, double[] values, int groups) {
        if (values.length == 1) {
            double[] out = new double[groups];
            java.util.Arrays.fill(out, values[0]);
            return out;
        }
        if (values.length != groups) {
            throw new IllegalArgumentException("expected " + groups + " values for " + name + ", got " + values.length);
        }
        return values.clone();
    }

    private void setMomentum(ParamGroup g, double momentum) {
        if (useBeta1) g.set("betas", List.of(momentum, g.getDoubles("betas")[1]));
        else g.set("momentum", momentum);
    }

    /** The number of steps in the cycle. */
    public int totalSteps() {
        return totalSteps;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when stepped more than {@code totalSteps} times
     */
    @Override
    protected double[] computeLr() {
        int stepNum = lastEpoch();
        if (stepNum > totalSteps) {
            throw new IllegalStateException("Tried to step " + (stepNum + 1) + " times. The specified number of total "
                    + "steps is " + totalSteps);
        }
        double[] lrs = new double[numGroups()];
        for (int i = 0; i < lrs.length; i++) {
            ParamGroup g = group(i);
            double start = 0;
            double momentum = 0;
            for (int k = 0; k < phases.size(); k++) {
                Phase phase = phases.get(k);
                if (stepNum <= phase.endStep || k == phases.size() - 1) {
                    double pct = (stepNum - start) / (phase.endStep - start);
                    lrs[i] = anneal(g.getDouble(phase.startLr), g.getDouble(phase.endLr), pct);
                    if (cycleMomentum) {
                        momentum = anneal(g.getDouble(phase.startMomentum), g.getDouble(phase.endMomentum), pct);
                    }
                    break;
                }
                start = phase.endStep;
            }
            if (cycleMomentum) setMomentum(g, momentum);
        }
        return lrs;
    }

    private double anneal(double start, double end, double pct) {
        return switch (anneal) {
            case COS -> end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
            case LINEAR -> (end - start) * pct + start;
        };
    }

    /**
     * OneCycleLR's settings; {@link #build()} validates them. Set {@link #totalSteps} or both
     * {@link #epochs} and {@link #stepsPerEpoch}.
     */
    public static final class Builder {
        private final Optimizer optimizer;
        private final double[] maxLr;
        private Integer totalSteps;
        private Integer epochs;
        private Integer stepsPerEpoch;
        private double pctStart = 0.3;
        private AnnealStrategy anneal = AnnealStrategy.COS;
        private boolean cycleMomentum = true;
        private double[] baseMomentum = {0.85};
        private double[] maxMomentum = {0.95};
        private double divFactor = 25;
        private double finalDivFactor = 1e4;
        private boolean threePhase;

        private Builder(Optimizer optimizer, double[] maxLr) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            if (maxLr.length == 0) throw new IllegalArgumentException("maxLr needs a value");
            this.maxLr = maxLr.clone();
        }

        /** Steps in the cycle (takes precedence over epochs and stepsPerEpoch). */
        public Builder totalSteps(int totalSteps) {
            this.totalSteps = totalSteps;
            return this;
        }

        /** Epochs, with {@link #stepsPerEpoch}: the cycle has epochs * stepsPerEpoch steps. */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Steps (batches) per epoch, with {@link #epochs}. */
        public Builder stepsPerEpoch(int stepsPerEpoch) {
            this.stepsPerEpoch = stepsPerEpoch;
            return this;
        }

        /** Fraction of the cycle spent raising the lr, default 0.3. */
        public Builder pctStart(double pctStart) {
            this.pctStart = pctStart;
            return this;
        }

        /** Cosine (default) or linear annealing. */
        public Builder annealStrategy(AnnealStrategy strategy) {
            this.anneal = strategy;
            return this;
        }

        /** Cycle momentum (or beta1) inversely to the lr, default true. */
        public Builder cycleMomentum(boolean cycleMomentum) {
            this.cycleMomentum = cycleMomentum;
            return this;
        }

        /** Momentum at the lr peak (one value, or one per group), default 0.85. */
        public Builder baseMomentum(double... baseMomentum) {
            this.baseMomentum = baseMomentum.clone();
            return this;
        }

        /** Momentum at the start and end (one value, or one per group), default 0.95. */
        public Builder maxMomentum(double... maxMomentum) {
            this.maxMomentum = maxMomentum.clone();
            return this;
        }

        /** The initial lr is {@code maxLr / divFactor}, default 25. */
        public Builder divFactor(double divFactor) {
            this.divFactor = divFactor;
            return this;
        }

        /** The final lr is {@code initial_lr / finalDivFactor}, default 1e4. */
        public Builder finalDivFactor(double finalDivFactor) {
            this.finalDivFactor = finalDivFactor;
            return this;
        }

        /** Three phases (up, symmetric down, annihilate) instead of two, default false. */
        public Builder threePhase(boolean threePhase) {
            this.threePhase = threePhase;
            return this;
        }

        /**
         * The scheduler, which sets the groups' initial lr and momentum.
         *
         * @throws IllegalArgumentException for invalid settings, or momentum cycling on an
         *     optimizer without momentum or betas
         */
        public OneCycleLR build() {
            return new OneCycleLR(this);
        }
    }
}
