package org.kindling.nn.batchnorm;

import org.kindling.tensor.Tensor;

/**
 * Batch normalization over {@code (N, C, H, W)} input ({@code nn.BatchNorm2d}); see {@link BatchNorm} for the
 * arguments, attributes and running statistics.
 *
 * <p>Shape: {@code (N, C, H, W)} to the same shape.
 *
 * <pre>
 * BatchNorm2d bn = new BatchNorm2d(100);
 * Tensor y = bn.forward(Kindling.randn(20, 100, 35, 45));
 * </pre>
 */
public class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    @Override
    protected void checkInputDim(Tensor input) {
        if (input.dim() != 4) {
            throw new IllegalArgumentException("expected 4D input (got " + input.dim() + "D input)");
        }
    }
}
