package org.kindling.nn.pooling;

import org.kindling.nn.Module;
import org.kindling.tensor.Tensor;

/**
 * 1-D average pooling ({@code nn.AvgPool1d}) over {@code [N, C, L]} or {@code [C, L]}.
 *
 * <pre>
 * Tensor y = new AvgPool1d(3, 2, 0, false, true).forward(Kindling.randn(1, 1, 7));   // [1, 1, 3]
 * </pre>
 */
public class AvgPool1d extends Module {
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;

    public AvgPool1d(int kernelSize) {
        this(kernelSize, kernelSize, 0, false, true);
    }

    public AvgPool1d(int kernelSize, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor input) {
        return PoolFunctions.avgPool1d(input, kernelSize, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    public String extraRepr() {
        return "kernel_size=(" + kernelSize + ",), stride=(" + stride + ",), padding=(" + padding + ",)";
    }
}
