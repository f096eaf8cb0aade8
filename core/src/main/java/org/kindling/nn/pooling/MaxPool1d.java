package org.kindling.nn.pooling;

import org.kindling.nn.Module;
import org.kindling.tensor.Tensor;

/**
 * 1-D max pooling ({@code nn.MaxPool1d}) over {@code [N, C, L]} or {@code [C, L]}.
 *
 * <pre>
 * Tensor y = new MaxPool1d(3, 2, 1, 1, false).forward(Kindling.randn(2, 4, 10));   // [2, 4, 5]
 * </pre>
 */
public class MaxPool1d extends Module {
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final boolean ceilMode;

    public MaxPool1d(int kernelSize) {
        this(kernelSize, kernelSize, 0, 1, false);
    }

    public MaxPool1d(int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.ceilMode = ceilMode;
        Pools.pair("MaxPool1d", "kernelSize", new int[] {kernelSize});
    }

    @Override
    public Tensor forward(Tensor input) {
        return PoolFunctions.maxPool1d(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    @Override
    public String extraRepr() {
        return "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding + ", dilation=" + dilation
                + ", ceil_mode=" + (ceilMode ? "True" : "False");
    }
}
