package org.kindling.data;

import java.util.Arrays;
import java.util.List;

/**
 * Datasets one after another ({@code torch.utils.data.ConcatDataset}): indices {@code 0 .. a.size()-1}
 * reach {@code a}, the following ones {@code b}, and so on. The sizes are read once, at
 * construction.
 *
 * <pre>
 * var all = new ConcatDataset&lt;&gt;(List.of(train, extra));   // sizes 8 and 3
 * all.size();    // 11
 * all.get(8);    // extra.get(0)
 * all.cumulativeSizes();   // [8, 11]
 * </pre>
 *
 * @param <T> the item type
 */
public final class ConcatDataset<T> implements Dataset<T> {
    private final List<Dataset<? extends T>> datasets;
    private final int[] cumulativeSizes;

    /** The concatenation of {@code datasets}; at least one dataset. */
    public ConcatDataset(List<? extends Dataset<? extends T>> datasets) {
        this.datasets = List.copyOf(datasets);
        if (this.datasets.isEmpty()) throw new IllegalArgumentException("ConcatDataset: expected at least one dataset, got none");
        cumulativeSizes = new int[this.datasets.size()];
        long total = 0;
        for (int i = 0; i < cumulativeSizes.length; i++) {
            total += this.datasets.get(i).size();
            if (total > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("ConcatDataset: total size " + total + " exceeds " + Integer.MAX_VALUE);
            }
            cumulativeSizes[i] = (int) total;
        }
    }

    @Override
    public T get(int index) {
        Datasets.checkIndex(index, size());
        // the first dataset whose cumulative size exceeds index (skips empty datasets)
        int lo = 0;
        int hi = cumulativeSizes.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulativeSizes[mid] > index) hi = mid;
            else lo = mid + 1;
        }
        int start = lo == 0 ? 0 : cumulativeSizes[lo - 1];
        return datasets.get(lo).get(index - start);
    }

    @Override
    public int size() {
        return cumulativeSizes[cumulativeSizes.length - 1];
    }

    /** The datasets, in order. */
    public List<Dataset<? extends T>> datasets() {
        return datasets;
    }

    /** Running totals of the sizes: entry {@code i} is the size of datasets {@code 0..i} together. */
    public int[] cumulativeSizes() {
        return cumulativeSizes.clone();
    }

    @Override
    public String toString() {
        return "ConcatDataset(size=" + size() + ", cumulativeSizes=" + Arrays.toString(cumulativeSizes) + ")";
    }
}
