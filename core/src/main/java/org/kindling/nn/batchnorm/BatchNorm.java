package org.kindling.nn.batchnorm;

import org.kindling.Kindling;
import org.kindling.nn.F;
import org.kindling.nn.Init;
import org.kindling.nn.Module;
import org.kindling.nn.Parameter;
import org.kindling.nn.internal.PyRepr;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;

/**
 * The shared part of {@link BatchNorm1d} and {@link BatchNorm2d} ({@code _BatchNorm}): per-channel
 * normalization with batch statistics in training and running statistics in eval mode.
 *
 * <p>Args: {@code numFeatures} C; {@code eps} (default 1e-5); {@code momentum} (default 0.1; null
 * for a cumulative moving average); {@code affine} (default true); {@code trackRunningStats}
 * (default true; when false, batch statistics are used in eval mode too).
 *
 * <p>Attributes: {@code weight} (ones) and {@code bias} (zeros) of shape {@code (C)}; buffers
 * {@code running_mean} (zeros), {@code running_var} (ones, updated with the unbiased batch
 * variance) and {@code num_batches_tracked} (int64 scalar).
 *
 * <pre>
 * BatchNorm2d bn = new BatchNorm2d(16);
 * Tensor y = bn.forward(Kindling.randn(8, 16, 5, 5));   // updates the running statistics
 * bn.eval();
 * Tensor z = bn.forward(Kindling.randn(1, 16, 5, 5));  // uses them
 * </pre>
 */
public abstract class BatchNorm extends Module {
    public final int numFeatures;
    public final double eps;
    /** The running-average factor, or null for a cumulative average. */
    public final Double momentum;
    public final boolean affine;
    public final boolean trackRunningStats;
    public final Parameter weight;
    public final Parameter bias;

    protected BatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0) throw new IllegalArgumentException("num_features must be > 0, got " + numFeatures);
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        this.weight = affine ? registerParameter("weight", new Parameter(Kindling.empty(numFeatures))) : null;
        this.bias = affine ? registerParameter("bias", new Parameter(Kindling.empty(numFeatures))) : null;
        if (trackRunningStats) {
            registerBuffer("running_mean", Kindling.zeros(numFeatures));
            registerBuffer("running_var", Kindling.ones(numFeatures));
            registerBuffer("num_batches_tracked", Kindling.scalar(0L));
        }
        resetParameters();
    }

    /** The running mean buffer (null without running statistics). */
    public Tensor runningMean() {
        return getBuffer("running_mean");
    }

    public Tensor runningVar() {
        return getBuffer("running_var");
    }

    public Tensor numBatchesTracked() {
        return getBuffer("num_batches_tracked");
    }

    public void resetRunningStats() {
        if (trackRunningStats) {
            try (var g = GradMode.noGrad()) {
                runningMean().zero_();
                runningVar().fill_(1);
                numBatchesTracked().zero_();
            }
        }
    }

    public void resetParameters() {
        resetRunningStats();
        if (affine) {
            Init.ones_(weight);
            Init.zeros_(bias);
        }
    }

    /** Throws unless {@code input} has a rank this layer accepts. */
    protected abstract void checkInputDim(Tensor input);

    @Override
    public Tensor forward(Tensor input) {
        checkInputDim(input);
        if (input.size(1) != numFeatures) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected " + numFeatures
                    + " channels in dim 1, got input of shape " + input.shape());
        }
        double factor = momentum == null ? 0.0 : momentum;
        if (isTraining() && trackRunningStats) {
            Tensor n = numBatchesTracked();
            long count = n.itemLong() + 1;
            try (var g = GradMode.noGrad()) {
                n.fill_(count);
            }
            if (momentum == null) factor = 1.0 / count;
        }
        boolean useBatchStats = isTraining() || !trackRunningStats;
        Tensor rm = !isTraining() || trackRunningStats ? runningMean() : null;
        Tensor rv = !isTraining() || trackRunningStats ? runningVar() : null;
        return F.batchNorm(input, rm, rv, weight, bias, useBatchStats, factor, eps);
    }

    @Override
    public String extraRepr() {
        return numFeatures + ", eps=" + PyRepr.f(eps) + ", momentum=" + (momentum == null ? "None" : PyRepr.f(momentum))
                + ", affine=" + PyRepr.b(affine) + ", track_running_stats=" + PyRepr.b(trackRunningStats);
    }
}
