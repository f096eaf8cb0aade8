package org.kindling.data;

import java.util.Arrays;
import java.util.List;
import org.kindling.tensor.Tensor;

/**
 * A dataset over tensors that share their first dimension ({@code torch.utils.data.TensorDataset}):
 * item {@code i} is the {@link Example} of the {@code i}-th slices along dim 0 (views, no copy).
 *
 * <pre>
 * Tensor x = Kindling.arange(12).view(4, 3);                  // 4 samples of 3 features
 * Tensor y = Kindling.tensor(new long[] {0, 1, 1, 0});
 * var data = new TensorDataset(x, y);
 * data.size();          // 4
 * data.get(2).x();      // tensor([6, 7, 8])
 * data.get(2).y();      // tensor(1)
 * </pre>
 */
public final class TensorDataset implements Dataset<Example> {
    private final List<Tensor> tensors;

    /** Wraps {@code tensors}; all must have at least one dim and the same size in dim 0. */
    public TensorDataset(Tensor... tensors) {
        this(Arrays.asList(tensors));
    }

    /** Wraps {@code tensors}; all must have at least one dim and the same size in dim 0. */
    public TensorDataset(List<Tensor> tensors) {
        this.tensors = List.copyOf(tensors);
        if (this.tensors.isEmpty()) throw new IllegalArgumentException("TensorDataset: expected at least one tensor, got none");
        for (int i = 0; i < this.tensors.size(); i++) {
            Tensor t = this.tensors.get(i);
            if (t.dim() == 0) {
                throw new IllegalArgumentException("TensorDataset: tensor " + i + " must have at least one dim, got a 0-dim tensor");
            }
            if (t.size(0) != this.tensors.get(0).size(0)) {
                throw new IllegalArgumentException("TensorDataset: all tensors must have the same size in dim 0, but tensor 0 has "
                        + this.tensors.get(0).size(0) + " and tensor " + i + " has " + t.size(0));
            }
        }
    }

    @Override
    public Example get(int index) {
        Datasets.checkIndex(index, size());
        Tensor[] slices = new Tensor[tensors.size()];
        for (int i = 0; i < slices.length; i++) slices[i] = tensors.get(i).get(index);
        return new Example(slices);
    }

    @Override
    public int size() {
        return tensors.get(0).size(0);
    }

    /** The wrapped tensors ({@code dataset.tensors}). */
    public List<Tensor> tensors() {
        return tensors;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TensorDataset(size=").append(size()).append(", shapes=[");
        for (int i = 0; i < tensors.size(); i++) sb.append(i == 0 ? "" : ", ").append(tensors.get(i).shape());
        return sb.append("])").toString();
    }
}
