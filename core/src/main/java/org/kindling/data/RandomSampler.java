package org.kindling.data;

import java.util.Iterator;
import org.kindling.tensor.Generator;

/**
 * Random indices into a dataset ({@code torch.utils.data.RandomSampler}); the {@link DataLoader}
 * default with {@code shuffle(true)}. Without replacement each epoch is a fresh permutation (when
 * {@code numSamples} exceeds the size, whole permutations follow each other and the last is cut);
 * with replacement each index is drawn uniformly and independently. Every call to
 * {@link #iterator()} draws the whole epoch from the generator, so two samplers with equally
 * seeded generators yield the same sequence of epochs.
 *
 * <pre>
 * var s = new RandomSampler(data, new Generator(7));          // data.size() == 5
 * List&lt;Integer&gt; epoch1 = new ArrayList&lt;&gt;(); s.forEach(epoch1::add);   // a permutation of 0..4
 * new RandomSampler(data, true, 100, new Generator(7));         // 100 draws from 0..4
 * </pre>
 */
public final class RandomSampler implements Sampler {
    private final Dataset<?> dataset;
    private final boolean replacement;
    private final Integer numSamples; // null: the dataset size, read at each epoch
    private final Generator generator;

    /** A permutation per epoch, drawn from {@link Generator#global()}. */
    public RandomSampler(Dataset<?> dataset) {
        this(dataset, null);
    }

    /** A permutation per epoch, drawn from {@code generator} ({@code null}: the global generator). */
    public RandomSampler(Dataset<?> dataset, Generator generator) {
        this(dataset, false, (Integer) null, generator);
    }

    /**
     * {@code numSamples} indices per epoch, with or without replacement, drawn from
     * {@code generator} ({@code null}: the global generator).
     *
     * @throws IllegalArgumentException if {@code numSamples < 1}
     */
    public RandomSampler(Dataset<?> dataset, boolean replacement, int numSamples, Generator generator) {
        this(dataset, replacement, Integer.valueOf(checkNumSamples(numSamples)), generator);
    }

    private RandomSampler(Dataset<?> dataset, boolean replacement, Integer numSamples, Generator generator) {
        if (dataset == null) throw new NullPointerException("RandomSampler: dataset is null");
        this.dataset = dataset;
        this.replacement = replacement;
        this.numSamples = numSamples;
        this.generator = Samplers.orGlobal(generator);
    }

    private static int checkNumSamples(int numSamples) {
        if (numSamples < 1) throw new IllegalArgumentException("RandomSampler: numSamples must be >= 1, got " + numSamples);
        return numSamples;
    }

    @Override
    public Iterator<Integer> iterator() {
        int n = dataset.size();
        int count = size();
        int[] out = new int[count];
        if (count == 0) return Samplers.iterator(out);
        if (n == 0) {
            throw new IllegalStateException("RandomSampler: cannot draw " + count + " samples from an empty dataset");
        }
        if (replacement) {
            synchronized (generator) {
                for (int i = 0; i < count; i++) out[i] = (int) generator.nextLong(n);
            }
        } else {
            for (int filled = 0; filled < count; filled += n) {
                int[] perm = Samplers.permutation(n, generator);
                System.arraycopy(perm, 0, out, filled, Math.min(n, count - filled));
            }
        }
        return Samplers.iterator(out);
    }

    /** {@code numSamples} if given, else the dataset size. */
    @Override
    public int size() {
        return numSamples == null ? dataset.size() : numSamples;
    }

    /** Whether indices may repeat within an epoch. */
    public boolean replacement() {
        return replacement;
    }

    /** The generator the epochs are drawn from. */
    public Generator generator() {
        return generator;
    }

    @Override
    public String toString() {
        return "RandomSampler(size=" + size() + ", replacement=" + replacement + ")";
    }
}
