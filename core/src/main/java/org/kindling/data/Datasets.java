package org.kindling.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kindling.Kindling;
import org.kindling.tensor.Generator;

/**
 * Functions over datasets: {@link #randomSplit} ({@code torch.utils.data.random_split}), a list
 * viewed as a dataset, and the index check that every dataset here uses.
 *
 * <pre>
 * var g = new Generator(42);
 * List&lt;Subset&lt;Example&gt;&gt; parts = Datasets.randomSplit(data, new double[] {0.8, 0.2}, g);   // data.size() == 10
 * parts.get(0).size();   // 8
 * parts.get(1).size();   // 2
 * </pre>
 */
public final class Datasets {
    private Datasets() {}

    /**
     * Returns {@code index} if it lies in {@code 0 .. size-1}, otherwise throws
     * {@link IndexOutOfBoundsException} with "index 10 out of range for dataset of size 10".
     */
    public static int checkIndex(int index, int size) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " out of range for dataset of size " + size);
        }
        return index;
    }

    /** A read-only dataset view of {@code items} (a Python list is a dataset; a Java list needs this). */
    public static <T> Dataset<T> of(List<T> items) {
        if (items == null) throw new NullPointerException("Datasets.of: items is null");
        return new Dataset<>() {
            @Override
            public T get(int index) {
                return items.get(checkIndex(index, items.size()));
            }

            @Override
            public int size() {
                return items.size();
            }

            @Override
            public String toString() {
                return "Dataset(size=" + items.size() + ")";
            }
        };
    }

    /** {@link #randomSplit(Dataset, int[], Generator)} drawing from {@link Generator#global()}. */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths) {
        return randomSplit(dataset, lengths, Generator.global());
    }

    /**
     * Splits {@code dataset} into non-overlapping random subsets of the given lengths, which must
     * sum to {@code dataset.size()}. One permutation of all indices is drawn from {@code generator}
     * and cut in order, so the same seed gives the same split.
     *
     * <pre>
     * Datasets.randomSplit(data, new int[] {7, 3}, new Generator(0));   // sizes 7 and 3, disjoint, covering data
     * Datasets.randomSplit(data, new int[] {3, 3}, g);   // IllegalArgumentException:
     *     // randomSplit: lengths [3, 3] sum to 6, but the dataset has size 10
     * </pre>
     */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths, Generator generator) {
        if (generator == null) throw new NullPointerException("randomSplit: generator is null");
        if (lengths.length == 0) throw new IllegalArgumentException("randomSplit: expected at least one length, got none");
        long sum = 0;
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] < 0) {
                throw new IllegalArgumentException("randomSplit: length at index " + i + " is " + lengths[i]
                        + ", expected >= 0; lengths " + Arrays.toString(lengths));
            }
            sum += lengths[i];
        }
        int n = dataset.size();
        if (sum != n) {
            throw new IllegalArgumentException("randomSplit: lengths " + Arrays.toString(lengths) + " sum to " + sum
                    + ", but the dataset has size " + n);
        }
        long[] perm = Kindling.randperm(n, generator).toLongArray();
        List<Subset<T>> out = new ArrayList<>(lengths.length);
        int offset = 0;
        for (int length : lengths) {
            int[] idx = new int[length];
            for (int j = 0; j < length; j++) idx[j] = (int) perm[offset + j];
            out.add(new Subset<>(dataset, idx));
            offset += length;
        }
        return out;
    }

    /** {@link #randomSplit(Dataset, double[], Generator)} drawing from {@link Generator#global()}. */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double[] fractions) {
        return randomSplit(dataset, fractions, Generator.global());
    }

    /**
     * Splits {@code dataset} by fractions in [0, 1] that sum to 1 (within 1e-9), as PyTorch does:
     * each split first gets {@code floor(size * fraction)} items, then the items left over go one
     * each to splits 0, 1, 2, ... in turn. For 10 items and {@code {0.33, 0.33, 0.34}} the floors
     * are 3, 3, 3 and the one left over goes to split 0: lengths 4, 3, 3.
     *
     * <pre>
     * Datasets.randomSplit(data, new double[] {0.8, 0.2}, new Generator(0));   // 10 items: sizes 8 and 2
     * </pre>
     */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double[] fractions, Generator generator) {
        return randomSplit(dataset, lengthsOf(fractions, dataset.size()), generator);
    }

    /** PyTorch's fraction-to-length rule: floors, then the remainder round-robin from split 0. */
    static int[] lengthsOf(double[] fractions, int n) {
        if (fractions.length == 0) throw new IllegalArgumentException("randomSplit: expected at least one fraction, got none");
        double sum = 0;
        for (int i = 0; i < fractions.length; i++) {
            double f = fractions[i];
            if (!(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException("randomSplit: fraction at index " + i + " is " + f
                        + ", expected a value in [0, 1]");
            }
            sum += f;
        }
        if (Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException("randomSplit: fractions " + Arrays.toString(fractions) + " sum to " + sum
                    + ", expected 1");
        }
        int[] lengths = new int[fractions.length];
        long assigned = 0;
        for (int i = 0; i < fractions.length; i++) {
            lengths[i] = (int) Math.floor(n * fractions[i]);
            assigned += lengths[i];
        }
        long remainder = n - assigned;
        if (remainder < 0) {
            // only reachable when the fractions sum a hair above 1; take the excess back from the end
            for (int i = fractions.length - 1; remainder < 0; i = (i + fractions.length - 1) % fractions.length) {
                if (lengths[i] > 0) {
                    lengths[i]--;
                    remainder++;
                }
            }
        }
        for (int i = 0; i < remainder; i++) lengths[i % lengths.length]++;
        return lengths;
    }
}
