package org.kindling.data;

import java.util.Arrays;
import java.util.List;
import org.kindling.tensor.Tensor;

/**
 * One item made of tensors, the tuple that {@code TensorDataset.__getitem__} returns in PyTorch:
 * usually an input {@link #x()} and a target {@link #y()}. The default {@link Collate} stacks the
 * examples of a batch field by field into a {@link Batch}.
 *
 * <pre>
 * var data = new TensorDataset(Kindling.arange(6).view(3, 2), Kindling.tensor(new long[] {0, 1, 0}));
 * Example e = data.get(1);
 * e.x();   // tensor([2, 3])
 * e.y();   // tensor(1)
 * </pre>
 *
 * @param tensors the fields in order; at least one
 */
public record Example(List<Tensor> tensors) {

    /** Copies {@code tensors}; requires at least one tensor and no nulls. */
    public Example {
        tensors = List.copyOf(tensors);
        if (tensors.isEmpty()) throw new IllegalArgumentException("Example: expected at least one tensor, got none");
    }

    /** An example of the given fields, e.g. {@code new Example(x, y)}. */
    public Example(Tensor... tensors) {
        this(Arrays.asList(tensors));
    }

    /** Field 0, the input by convention. */
    public Tensor x() {
        return get(0);
    }

    /** Field 1, the target by convention; throws if the example has a single field. */
    public Tensor y() {
        return get(1);
    }

    /** Field {@code i}. */
    public Tensor get(int i) {
        if (i < 0 || i >= tensors.size()) {
            throw new IndexOutOfBoundsException("Example: field " + i + " out of range for an example of "
                    + tensors.size() + (tensors.size() == 1 ? " tensor" : " tensors"));
        }
        return tensors.get(i);
    }

    /** The number of fields. */
    public int size() {
        return tensors.size();
    }
}
