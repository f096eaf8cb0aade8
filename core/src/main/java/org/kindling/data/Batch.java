package org.kindling.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.StringJoiner;
import org.kindling.tensor.Tensor;

/**
 * A collated batch: named tensors that share their first dimension, the batch dimension. The
 * default {@link Collate} produces one field per field of the items: one for plain tensors or
 * numbers, one per tensor of an {@link Example} or {@link List} (named {@code "0"}, {@code "1"},
 * ...), one per component of a record (named after the component) and one per key of a
 * {@link java.util.Map}. {@link #x()} and {@link #y()} are fields 0 and 1.
 *
 * <pre>
 * for (Batch batch : loader) {
 *     Tensor out = model.forward(batch.x());    // [batchSize, ...]
 *     Tensor loss = lossFn.forward(out, batch.y());
 * }
 * record Sample(Tensor image, int label) {}     // a Dataset&lt;Sample&gt; gives batch.get("image"), batch.get("label")
 * </pre>
 *
 * @param names the field names, unique, in order
 * @param tensors the fields, one per name, all with the same size in dim 0
 */
public record Batch(List<String> names, List<Tensor> tensors) {

    /** Copies and checks the fields: same count as names, unique names, at least one dim, equal batch size. */
    public Batch {
        names = List.copyOf(names);
        tensors = List.copyOf(tensors);
        if (names.size() != tensors.size()) {
            throw new IllegalArgumentException("Batch: expected one name per tensor, got " + names.size()
                    + " names for " + tensors.size() + " tensors");
        }
        if (tensors.isEmpty()) throw new IllegalArgumentException("Batch: expected at least one tensor, got none");
        if (new HashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("Batch: field names must be unique, got " + names);
        }
        int n = -1;
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t.dim() == 0) {
                throw new IllegalArgumentException("Batch: field '" + names.get(i)
                        + "' must have a batch dimension, got a 0-dim tensor");
            }
            if (n < 0) {
                n = t.size(0);
            } else if (t.size(0) != n) {
                throw new IllegalArgumentException("Batch: all fields must have the same size in dim 0, but field '"
                        + names.get(0) + "' has " + n + " and field '" + names.get(i) + "' has " + t.size(0));
            }
        }
    }

    /** A batch of positional fields named {@code "0"}, {@code "1"}, ... */
    public static Batch of(Tensor... tensors) {
        List<String> names = new ArrayList<>(tensors.length);
        for (int i = 0; i < tensors.length; i++) names.add(Integer.toString(i));
        return new Batch(names, List.of(tensors));
    }

    /** Field 0, the input by convention. */
    public Tensor x() {
        return get(0);
    }

    /** Field 1, the target by convention; throws if the batch has a single field. */
    public Tensor y() {
        return get(1);
    }

    /** Field {@code i}. */
    public Tensor get(int i) {
        if (i < 0 || i >= tensors.size()) {
            throw new IndexOutOfBoundsException("Batch: field " + i + " out of range for a batch of "
                    + tensors.size() + (tensors.size() == 1 ? " field " : " fields ") + names);
        }
        return tensors.get(i);
    }

    /** The field called {@code name}. */
    public Tensor get(String name) {
        int i = names.indexOf(name);
        if (i < 0) throw new IllegalArgumentException("Batch: no field '" + name + "'; fields are " + names);
        return tensors.get(i);
    }

    /** The number of items in the batch: the size of dim 0 of every field. */
    public int batchSize() {
        return tensors.get(0).size(0);
    }

    /** Field names with shapes and dtypes, e.g. {@code Batch[0: [4, 3] float32, 1: [4] int64]}. */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "Batch[", "]");
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            j.add(names.get(i) + ": " + t.shape() + " " + t.dtype().pytorchName());
        }
        return j.toString();
    }
}
