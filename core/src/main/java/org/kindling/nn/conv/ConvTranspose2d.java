package org.kindling.nn.conv;

import org.kindling.nn.Module;
import org.kindling.nn.Parameter;
import org.kindling.nn.internal.Inits;
import org.kindling.tensor.Tensor;

/**
 * 2-D transposed convolution ({@code nn.ConvTranspose2d}), the gradient of a Conv2d with respect
 * to its input; used for upsampling.
 *
 * <p>Args: inChannels, outChannels, kernelSize, stride (1), padding (0), outputPadding (0),
 * groups (1), bias (true), dilation (1).
 * Shape: output {@code [N, outChannels, (H-1)*s - 2p + d*(k-1) + outputPadding + 1, ...]}.
 * Attributes: {@code weight [inChannels, outChannels/groups, kH, kW]}, {@code bias [outChannels]}.
 *
 * <pre>
 * ConvTranspose2d up = new ConvTranspose2d(16, 8, 3, 2, 1, 1);
 * Tensor y = up.forward(Kindling.randn(4, 16, 12, 12));   // [4, 8, 24, 24]
 * </pre>
 */
public class ConvTranspose2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final int[] outputPadding;
    private final int groups;
    private final int[] dilation;
    private final Parameter weight;
    private final Parameter bias;

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0, 0);
    }

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int outputPadding) {
        this(inChannels, outChannels, new int[] {kernelSize}, new int[] {stride}, new int[] {padding},
                new int[] {outputPadding}, 1, true, new int[] {1}, "zeros");
    }

    public ConvTranspose2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding,
                           int[] outputPadding, int groups, boolean bias, int[] dilation, String paddingMode) {
        ConvChecks.check("ConvTranspose2d", inChannels, outChannels, groups, paddingMode);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = ConvChecks.pair("ConvTranspose2d", "kernelSize", kernelSize, 1);
        this.stride = ConvChecks.pair("ConvTranspose2d", "stride", stride, 1);
        this.padding = ConvChecks.pair("ConvTranspose2d", "padding", padding, 0);
        this.outputPadding = ConvChecks.pair("ConvTranspose2d", "outputPadding", outputPadding, 0);
        this.dilation = ConvChecks.pair("ConvTranspose2d", "dilation", dilation, 1);
        for (int i = 0; i < 2; i++) {
            if (this.outputPadding[i] >= Math.max(this.stride[i], this.dilation[i])) {
                throw new IllegalArgumentException("ConvTranspose2d: output padding must be smaller than either stride "
                        + "or dilation, got outputPadding=" + Inits.tuple(this.outputPadding));
            }
        }
        this.groups = groups;
        this.weight = registerParameter("weight",
                Inits.empty(inChannels, outChannels / groups, this.kernelSize[0], this.kernelSize[1]));
        this.bias = bias ? registerParameter("bias", Inits.empty(outChannels)) : null;
        resetParameters();
    }

    /** PyTorch's default: fanIn is computed from weight dim 1, i.e. outChannels/groups * kH * kW. */
    public void resetParameters() {
        int fanIn = outChannels / groups * kernelSize[0] * kernelSize[1];
        Inits.kaimingUniformA5(weight, fanIn);
        if (bias != null) Inits.kaimingUniformA5(bias, fanIn);
    }

    @Override
    public Tensor forward(Tensor input) {
        if ((input.dim() != 4 && input.dim() != 3) || input.size(input.dim() - 3) != inChannels) {
            throw new IllegalArgumentException("ConvTranspose2d: expected input with 4 dims [N, C, H, W] and "
                    + inChannels + " channels, got " + input.shape());
        }
        return ConvFunctions.convTranspose2d(input, weight, bias, stride, padding, outputPadding, groups, dilation);
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public String extraRepr() {
        StringBuilder sb = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(Inits.tuple(kernelSize)).append(", stride=").append(Inits.tuple(stride));
        if (padding[0] != 0 || padding[1] != 0) sb.append(", padding=").append(Inits.tuple(padding));
        if (outputPadding[0] != 0 || outputPadding[1] != 0) {
            sb.append(", output_padding=").append(Inits.tuple(outputPadding));
        }
        if (dilation[0] != 1 || dilation[1] != 1) sb.append(", dilation=").append(Inits.tuple(dilation));
        if (groups != 1) sb.append(", groups=").append(groups);
        if (bias == null) sb.append(", bias=False");
        return sb.toString();
    }
}
