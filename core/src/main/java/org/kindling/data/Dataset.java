package org.kindling.data;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A map-style dataset ({@code torch.utils.data.Dataset}): {@link #size()} items reachable by index
 * {@code 0 .. size()-1}. Implement it over files, arrays or tensors; a {@link DataLoader} samples
 * indices, fetches the items with {@link #get} and collates them into batches.
 *
 * <p>With {@code numWorkers > 0} a loader calls {@code get} from several threads at once, so an
 * implementation must allow concurrent reads (read-only datasets do).
 *
 * <pre>
 * Dataset&lt;Integer&gt; squares = new Dataset&lt;&gt;() {
 *     public Integer get(int index) { return Datasets.checkIndex(index, size()) * index; }
 *     public int size() { return 10; }
 * };
 * squares.get(3);   // 9
 * </pre>
 *
 * @param <T> the item type
 */
@ConsumerType
public interface Dataset<T> {

    /**
     * The item at {@code index}; throws {@link IndexOutOfBoundsException} ("index 10 out of range
     * for dataset of size 10") outside {@code 0 .. size()-1}. Negative indices are not supported.
     */
    T get(int index);

    /** The number of items. */
    int size();
}
