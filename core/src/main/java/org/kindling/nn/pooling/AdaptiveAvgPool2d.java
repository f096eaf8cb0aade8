package org.kindling.nn.pooling;

import org.kindling.nn.Module;
import org.kindling.nn.internal.Inits;
import org.kindling.tensor.Tensor;

/**
 * Adaptive 2-D average pooling to a fixed output size ({@code nn.AdaptiveAvgPool2d}); output cell
 * i averages input rows {@code [floor(i*H/outH), ceil((i+1)*H/outH))}, and likewise for columns.
 *
 * <pre>
 * Tensor y = new AdaptiveAvgPool2d(1, 1).forward(Kindling.randn(8, 512, 7, 7));   // [8, 512, 1, 1]
 * </pre>
 */
public class AdaptiveAvgPool2d extends Module {
    private final int outH;
    private final int outW;

    public AdaptiveAvgPool2d(int outputSize) {
        this(outputSize, outputSize);
    }

    public AdaptiveAvgPool2d(int outH, int outW) {
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be positive, got " + outH + "x"
                    + outW);
        }
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Tensor forward(Tensor input) {
        return PoolFunctions.adaptiveAvgPool2d(input, outH, outW);
    }

    @Override
    public String extraRepr() {
        return "output_size=" + Inits.tuple(outH, outW);
    }
}
