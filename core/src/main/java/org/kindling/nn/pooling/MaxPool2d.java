package org.kindling.nn.pooling;

import org.kindling.nn.Module;
import org.kindling.nn.internal.Inits;
import org.kindling.tensor.Tensor;

/**
 * 2-D max pooling ({@code nn.MaxPool2d}) over {@code [N, C, H, W]} or {@code [C, H, W]}.
 *
 * <p>Args: kernelSize, stride (default kernelSize), padding (0, at most half the kernel; padded
 * cells never win), dilation (1), ceilMode (false: floor the output size). The backward pass sends
 * each gradient to the position of its window's maximum.
 *
 * <pre>
 * MaxPool2d pool = new MaxPool2d(2);
 * Tensor y = pool.forward(Kindling.randn(64, 32, 28, 28));   // [64, 32, 14, 14]
 * </pre>
 */
public class MaxPool2d extends Module {
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final boolean ceilMode;

    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize, kernelSize}, new int[] {stride, stride}, new int[] {padding, padding},
                new int[] {1, 1}, false);
    }

    /** {@code stride} null means "equal to kernelSize". */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        this.kernelSize = Pools.pair("MaxPool2d", "kernelSize", kernelSize);
        this.stride = stride == null ? this.kernelSize.clone() : Pools.pair("MaxPool2d", "stride", stride);
        this.padding = Pools.pair("MaxPool2d", "padding", padding);
        this.dilation = Pools.pair("MaxPool2d", "dilation", dilation);
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor input) {
        return PoolFunctions.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    @Override
    public String extraRepr() {
        return "kernel_size=" + Inits.tuple(kernelSize) + ", stride=" + Inits.tuple(stride) + ", padding="
                + Inits.tuple(padding) + ", dilation=" + Inits.tuple(dilation) + ", ceil_mode=" + (ceilMode ? "True" : "False");
    }
}
