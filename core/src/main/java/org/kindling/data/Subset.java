package org.kindling.data;

import java.util.Arrays;

/**
 * The items of a dataset at chosen indices ({@code torch.utils.data.Subset}): item {@code i} is
 * {@code dataset.get(indices[i])}. {@link Datasets#randomSplit} returns subsets.
 *
 * <pre>
 * var evens = new Subset&lt;&gt;(data, new int[] {0, 2, 4});
 * evens.get(1);   // data.get(2)
 * </pre>
 *
 * @param <T> the item type
 */
public final class Subset<T> implements Dataset<T> {
    private final Dataset<T> dataset;
    private final int[] indices;

    /** The items of {@code dataset} at {@code indices} (copied), in that order. */
    public Subset(Dataset<T> dataset, int[] indices) {
        if (dataset == null) throw new NullPointerException("Subset: dataset is null");
        this.dataset = dataset;
        this.indices = indices.clone();
    }

    @Override
    public T get(int index) {
        return dataset.get(indices[Datasets.checkIndex(index, indices.length)]);
    }

    @Override
    public int size() {
        return indices.length;
    }

    /** The underlying dataset. */
    public Dataset<T> dataset() {
        return dataset;
    }

    /** A copy of the indices into {@link #dataset()}. */
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public String toString() {
        String shown = indices.length <= 10 ? Arrays.toString(indices)
                : Arrays.toString(Arrays.copyOf(indices, 10)).replace("]", ", ...]");
        return "Subset(size=" + indices.length + ", indices=" + shown + ")";
    }
}
