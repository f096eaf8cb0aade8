package org.kindling.train;

/**
 * A weighted running mean (loss per sample, accuracy per sample) over an epoch.
 *
 * <pre>
 * var loss = new RunningMean();
 * loss.add(batchLoss, batchSize);
 * loss.mean();
 * </pre>
 */
public final class RunningMean {
    private double sum;
    private double weight;

    /** Adds a value observed over {@code count} samples. */
    public void add(double value, double count) {
        if (count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
        sum += value * count;
        weight += count;
    }

    /** The mean so far; NaN before anything was added. */
    public double mean() {
        return weight == 0 ? Double.NaN : sum / weight;
    }

    public double count() {
        return weight;
    }

    public void reset() {
        sum = 0;
        weight = 0;
    }
}
