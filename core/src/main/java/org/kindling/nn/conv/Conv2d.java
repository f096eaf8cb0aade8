package org.kindling.nn.conv;

import org.kindling.nn.Module;
import org.kindling.nn.Parameter;
import org.kindling.nn.internal.Inits;
import org.kindling.tensor.Tensor;

/**
 * 2-D convolution over {@code [N, C, H, W]} (or unbatched {@code [C, H, W]}) input ({@code nn.Conv2d}).
 *
 * <p>Args: inChannels, outChannels, kernelSize, stride (1), padding (0, or "same"/"valid"),
 * dilation (1), groups (1), bias (true), paddingMode ("zeros" only).
 * Shape: output {@code [N, outChannels, floor((H + 2p - d(k-1) - 1)/s) + 1, ...]}.
 * Attributes: {@code weight [outChannels, inChannels/groups, kH, kW]}, {@code bias [outChannels]},
 * both initialised from U(-1/sqrt(fanIn), 1/sqrt(fanIn)) with fanIn = inChannels/groups * kH * kW.
 *
 * <pre>
 * Conv2d conv = new Conv2d(1, 32, 3, 1, 1);
 * Tensor y = conv.forward(Kindling.randn(64, 1, 28, 28));   // [64, 32, 28, 28]
 * </pre>
 */
public class Conv2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final String paddingString;
    private final int[] dilation;
    private final int groups;
    private final Parameter weight;
    private final Parameter bias;

    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0);
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, new int[] {stride, stride},
                new int[] {padding, padding}, new int[] {1, 1}, 1, true, "zeros");
    }

    /** With {@code padding} "same" or "valid". */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, String padding, int[] dilation,
                  int groups, boolean bias) {
        this(inChannels, outChannels, kernelSize, stride, null, padding, dilation, groups, bias, "zeros");
    }

    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                  int groups, boolean bias, String paddingMode) {
        this(inChannels, outChannels, kernelSize, stride, padding, null, dilation, groups, bias, paddingMode);
    }

    private Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, String paddingString,
                   int[] dilation, int groups, boolean bias, String paddingMode) {
        ConvChecks.check("Conv2d", inChannels, outChannels, groups, paddingMode);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = ConvChecks.pair("Conv2d", "kernelSize", kernelSize, 1);
        this.stride = ConvChecks.pair("Conv2d", "stride", stride, 1);
        this.padding = padding == null ? new int[] {0, 0} : ConvChecks.pair("Conv2d", "padding", padding, 0);
        if (paddingString != null) {
            ConvFunctions.samePadding("Conv2d", paddingString, null, 0, this.stride, new int[0]);
        }
        this.paddingString = paddingString;
        this.dilation = ConvChecks.pair("Conv2d", "dilation", dilation, 1);
        this.groups = groups;
        this.weight = registerParameter("weight",
                Inits.empty(outChannels, inChannels / groups, this.kernelSize[0], this.kernelSize[1]));
        this.bias = bias ? registerParameter("bias", Inits.empty(outChannels)) : null;
        resetParameters();
    }

    /** PyTorch's default initialisation (kaiming_uniform with a = sqrt(5); bias U(-1/sqrt(fanIn), 1/sqrt(fanIn))). */
    public void resetParameters() {
        int fanIn = inChannels / groups * kernelSize[0] * kernelSize[1];
        Inits.kaimingUniformA5(weight, fanIn);
        if (bias != null) Inits.kaimingUniformA5(bias, fanIn);
    }

    @Override
    public Tensor forward(Tensor input) {
        if ((input.dim() != 4 && input.dim() != 3) || input.size(input.dim() - 3) != inChannels) {
            throw new IllegalArgumentException("Conv2d: expected input with 4 dims [N, C, H, W] and " + inChannels
                    + " channels, got " + input.shape());
        }
        return paddingString != null
                ? ConvFunctions.conv2d(input, weight, bias, stride, paddingString, dilation, groups)
                : ConvFunctions.conv2d(input, weight, bias, stride, padding, dilation, groups);
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias, or null when built with {@code bias=false}. */
    public Parameter bias() {
        return bias;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int[] kernelSize() {
        return kernelSize.clone();
    }

    public int[] stride() {
        return stride.clone();
    }

    public int[] padding() {
        return padding.clone();
    }

    public int[] dilation() {
        return dilation.clone();
    }

    public int groups() {
        return groups;
    }

    @Override
    public String extraRepr() {
        StringBuilder sb = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(Inits.tuple(kernelSize)).append(", stride=").append(Inits.tuple(stride));
        if (paddingString != null) sb.append(", padding=").append(paddingString);
        else if (padding[0] != 0 || padding[1] != 0) sb.append(", padding=").append(Inits.tuple(padding));
        if (dilation[0] != 1 || dilation[1] != 1) sb.append(", dilation=").append(Inits.tuple(dilation));
        if (groups != 1) sb.append(", groups=").append(groups);
        if (bias == null) sb.append(", bias=False");
        return sb.toString();
    }
}
