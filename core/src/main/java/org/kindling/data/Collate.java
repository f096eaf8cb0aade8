package org.kindling.data;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns the items fetched for one batch into the batch ({@code collate_fn} in PyTorch). The
 * {@link DataLoader} calls it once per batch, on a worker thread when {@code numWorkers > 0}.
 *
 * <p>{@link #defaultCollate()} ({@code default_collate}) stacks along a new dim 0 and returns a
 * {@link Batch}:
 * <ul>
 *   <li>a {@code Tensor} item: one field, the stacked tensors (all must have the same shape);
 *   <li>a number or boolean item: one 1-D field; {@code Integer}, {@code Long}, {@code Short} and
 *       {@code Byte} give int64 (PyTorch's label dtype), {@code Float} float32, {@code Double}
 *       float64, {@code Boolean} bool;
 *   <li>a primitive array (possibly nested): converted with {@code Kindling.tensor}, then stacked;
 *   <li>an {@link Example} or a {@link List}: one field per position, named {@code "0"}, {@code "1"}, ...;
 *   <li>a record: one field per component, named after it;
 *   <li>a {@link java.util.Map}: one field per key, named {@code String.valueOf(key)}.
 * </ul>
 * Anything else (strings, nested structures) needs a custom collate.
 *
 * <pre>
 * record Sample(Tensor image, int label) {}
 * Batch b = Collate.defaultCollate().collate(List.of(
 *         new Sample(Kindling.zeros(2, 2), 3), new Sample(Kindling.ones(2, 2), 5)));
 * b.get("image").shape();   // [2, 2, 2]
 * b.get("label");           // tensor([3, 5])
 *
 * // a custom collate: pad variable-length sequences
 * Collate&lt;Tensor, Tensor&gt; pad = items -&gt; { ... };
 * var loader = DataLoader.builder(sequences).batchSize(8).collate(pad).build();
 * </pre>
 *
 * @param <T> the item type
 * @param <B> the batch type
 */
@ConsumerType
@FunctionalInterface
public interface Collate<T, B> {

    /** The batch made of {@code items}, which hold at least one item, in sampler order. */
    B collate(List<? extends T> items);

    /** PyTorch's {@code default_collate}: stacks tensors, numbers and the fields of records, lists and maps. */
    @SuppressWarnings("unchecked")
    static <T> Collate<T, Batch> defaultCollate() {
        return (Collate<T, Batch>) DefaultCollate.INSTANCE; // reads its items as Object only
    }
}
