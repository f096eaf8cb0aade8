package org.kindling.nn.batchnorm;

import org.kindling.tensor.Tensor;

/**
 * Batch normalization over {@code (N, C)} or {@code (N, C, L)} input ({@code nn.BatchNorm1d}); see {@link BatchNorm} for the
 * arguments, attributes and running statistics.
 *
 * <p>Shape: {@code (N, C)} or {@code (N, C, L)} to the same shape.
 *
 * <pre>
 * BatchNorm1d bn = new BatchNorm1d(100);
 * Tensor y = bn.forward(Kindling.randn(20, 100));
 * </pre>
 */
public class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    @Override
    protected void checkInputDim(Tensor input) {
        if (input.dim() != 2 && input.dim() != 3) {
            throw new IllegalArgumentException("expected 2D or 3D input (got " + input.dim() + "D input)");
        }
    }
}
