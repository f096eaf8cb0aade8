package org.kindling.nn.pooling;

import org.kindling.nn.Module;
import org.kindling.nn.internal.Inits;
import org.kindling.tensor.Tensor;

/**
 * 2-D average pooling ({@code nn.AvgPool2d}).
 *
 * <p>Args: kernelSize, stride (default kernelSize), padding (0), ceilMode (false),
 * countIncludePad (true: zero padding counts in the divisor).
 *
 * <pre>
 * Tensor y = new AvgPool2d(2).forward(Kindling.randn(1, 3, 8, 8));   // [1, 3, 4, 4]
 * </pre>
 */
public class AvgPool2d extends Module {
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;

    public AvgPool2d(int kernelSize) {
        this(new int[] {kernelSize, kernelSize}, null, new int[] {0, 0}, false, true);
    }

    /** {@code stride} null means "equal to kernelSize". */
    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        this.kernelSize = Pools.pair("AvgPool2d", "kernelSize", kernelSize);
        this.stride = stride == null ? this.kernelSize.clone() : Pools.pair("AvgPool2d", "stride", stride);
        this.padding = Pools.pair("AvgPool2d", "padding", padding);
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor input) {
        return PoolFunctions.avgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    public String extraRepr() {
        return "kernel_size=" + Inits.tuple(kernelSize) + ", stride=" + Inits.tuple(stride) + ", padding="
                + Inits.tuple(padding);
    }
}
