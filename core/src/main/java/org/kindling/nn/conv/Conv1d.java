package org.kindling.nn.conv;

import org.kindling.nn.Module;
import org.kindling.nn.Parameter;
import org.kindling.nn.internal.Inits;
import org.kindling.tensor.Tensor;

/**
 * 1-D convolution over {@code [N, C, L]} (or unbatched {@code [C, L]}) input ({@code nn.Conv1d}).
 *
 * <p>Args: inChannels, outChannels, kernelSize, stride (1), padding (0, or "same"/"valid"),
 * dilation (1), groups (1), bias (true), paddingMode ("zeros" only).
 * Attributes: {@code weight [outChannels, inChannels/groups, k]}, {@code bias [outChannels]}.
 *
 * <pre>
 * Conv1d conv = new Conv1d(16, 33, 3, 2, 0);
 * Tensor y = conv.forward(Kindling.randn(20, 16, 50));   // [20, 33, 24]
 * </pre>
 */
public class Conv1d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final String paddingString;
    private final int dilation;
    private final int groups;
    private final Parameter weight;
    private final Parameter bias;

    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0);
    }

    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, null, 1, 1, true, "zeros");
    }

    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups,
                  boolean bias, String paddingMode) {
        this(inChannels, outChannels, kernelSize, stride, padding, null, dilation, groups, bias, paddingMode);
    }

    /** With {@code padding} "same" or "valid". */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, String padding, int dilation, int groups,
                  boolean bias) {
        this(inChannels, outChannels, kernelSize, stride, 0, padding, dilation, groups, bias, "zeros");
    }

    private Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, String paddingString,
                   int dilation, int groups, boolean bias, String paddingMode) {
        ConvChecks.check("Conv1d", inChannels, outChannels, groups, paddingMode);
        if (kernelSize < 1 || stride < 1 || dilation < 1 || padding < 0) {
            throw new IllegalArgumentException("Conv1d: kernelSize, stride and dilation must be positive and padding "
                    + ">= 0, got kernelSize=" + kernelSize + ", stride=" + stride + ", padding=" + padding
                    + ", dilation=" + dilation);
        }
        if (paddingString != null) {
            ConvFunctions.samePadding("Conv1d", paddingString, null, 0, new int[] {stride}, new int[0]);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.paddingString = paddingString;
        this.dilation = dilation;
        this.groups = groups;
        this.weight = registerParameter("weight", Inits.empty(outChannels, inChannels / groups, kernelSize));
        this.bias = bias ? registerParameter("bias", Inits.empty(outChannels)) : null;
        resetParameters();
    }

    /** PyTorch's default initialisation: weight and bias from U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
    public void resetParameters() {
        int fanIn = inChannels / groups * kernelSize;
        Inits.kaimingUniformA5(weight, fanIn);
        if (bias != null) Inits.kaimingUniformA5(bias, fanIn);
    }

    @Override
    public Tensor forward(Tensor input) {
        if ((input.dim() != 3 && input.dim() != 2) || input.size(input.dim() - 2) != inChannels) {
            throw new IllegalArgumentException("Conv1d: expected input with 3 dims [N, C, L] and " + inChannels
                    + " channels, got " + input.shape());
        }
        return paddingString != null
                ? ConvFunctions.conv1d(input, weight, bias, stride, paddingString, dilation, groups)
                : ConvFunctions.conv1d(input, weight, bias, stride, padding, dilation, groups);
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    @Override
    public String extraRepr() {
        StringBuilder sb = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(Inits.tuple(kernelSize)).append(", stride=").append(Inits.tuple(stride));
        if (paddingString != null) sb.append(", padding=").append(paddingString);
        else if (padding != 0) sb.append(", padding=").append(Inits.tuple(padding));
        if (dilation != 1) sb.append(", dilation=").append(Inits.tuple(dilation));
        if (groups != 1) sb.append(", groups=").append(groups);
        if (bias == null) sb.append(", bias=False");
        return sb.toString();
    }
}
