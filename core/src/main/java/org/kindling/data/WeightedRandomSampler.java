package org.kindling.data;

import java.util.Arrays;
import java.util.Iterator;
import org.kindling.tensor.Generator;

/**
 * Indices {@code 0 .. weights.length-1} drawn with probability proportional to their weight
 * ({@code torch.utils.data.WeightedRandomSampler}), e.g. to oversample rare classes. Weights need
 * not sum to 1. With replacement every draw is independent; without replacement each draw picks
 * among the indices not drawn yet, proportionally to their weights (as {@code torch.multinomial}
 * does), and an index of weight 0 is never drawn.
 *
 * <pre>
 * // class 1 is rare in the data: give its items 9 times the weight
 * double[] w = new double[labels.length];
 * for (int i = 0; i &lt; w.length; i++) w[i] = labels[i] == 1 ? 9 : 1;
 * var sampler = new WeightedRandomSampler(w, w.length, true, new Generator(0));
 * var loader = DataLoader.builder(data).sampler(sampler).batchSize(32).build();
 * </pre>
 */
public final class WeightedRandomSampler implements Sampler {
    private final double[] weights;
    private final double[] cumulative;
    private final int positive;
    private final int numSamples;
    private final boolean replacement;
    private final Generator generator;

    /** {@code numSamples} draws with replacement from {@link Generator#global()}. */
    public WeightedRandomSampler(double[] weights, int numSamples) {
        this(weights, numSamples, true, null);
    }

    /**
     * {@code numSamples} draws per epoch from {@code generator} ({@code null}: the global one).
     *
     * @throws IllegalArgumentException if a weight is negative or not finite, all weights are 0,
     *     {@code numSamples < 1}, or, without replacement, {@code numSamples} exceeds the number of
     *     non-zero weights
     */
    public WeightedRandomSampler(double[] weights, int numSamples, boolean replacement, Generator generator) {
        if (numSamples < 1) throw new IllegalArgumentException("WeightedRandomSampler: numSamples must be >= 1, got " + numSamples);
        if (weights.length == 0) throw new IllegalArgumentException("WeightedRandomSampler: expected at least one weight, got none");
        this.weights = weights.clone();
        this.cumulative = new double[weights.length];
        double total = 0;
        int nonZero = 0;
        for (int i = 0; i < weights.length; i++) {
            double w = weights[i];
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("WeightedRandomSampler: weights must be finite and >= 0, got "
                        + w + " at index " + i);
            }
            if (w > 0) nonZero++;
            total += w;
            cumulative[i] = total;
        }
        if (Double.isInfinite(total)) throw new IllegalArgumentException("WeightedRandomSampler: the weights sum to infinity");
        if (nonZero == 0) throw new IllegalArgumentException("WeightedRandomSampler: all " + weights.length + " weights are 0");
        if (!replacement && numSamples > nonZero) {
            throw new IllegalArgumentException("WeightedRandomSampler: cannot draw " + numSamples
                    + " samples without replacement from " + nonZero + " non-zero weights");
        }
        this.positive = nonZero;
        this.numSamples = numSamples;
        this.replacement = replacement;
        this.generator = Samplers.orGlobal(generator);
    }

    @Override
    public Iterator<Integer> iterator() {
        int[] out = new int[numSamples];
        if (replacement) {
            double total = cumulative[cumulative.length - 1];
            synchronized (generator) {
                for (int i = 0; i < numSamples; i++) out[i] = search(generator.nextDouble() * total);
            }
        } else {
            // Efraimidis-Spirakis: key_i = Exp(1) / w_i; ascending keys are a draw without replacement
            // proportional to the weights, in draw order. Weight 0 gives key +inf, drawn never.
            int n = weights.length;
            double[] keys = new double[n];
            synchronized (generator) {
                for (int i = 0; i < n; i++) {
                    double e = -Math.log1p(-generator.nextDouble());
                    keys[i] = weights[i] > 0 ? e / weights[i] : Double.POSITIVE_INFINITY;
                }
            }
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) order[i] = i;
            Arrays.sort(order, (a, b) -> Double.compare(keys[a], keys[b]));
            for (int i = 0; i < numSamples; i++) out[i] = order[i];
        }
        return Samplers.iterator(out);
    }

    /** The first index whose cumulative weight exceeds {@code u}; never an index of weight 0. */
    private int search(double u) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    @Override
    public int size() {
        return numSamples;
    }

    /** A copy of the weights. */
    public double[] weights() {
        return weights.clone();
    }

    /** Whether indices may repeat within an epoch. */
    public boolean replacement() {
        return replacement;
    }

    @Override
    public String toString() {
        return "WeightedRandomSampler(numSamples=" + numSamples + ", replacement=" + replacement
                + ", nonZeroWeights=" + positive + " of " + weights.length + ")";
    }
}
