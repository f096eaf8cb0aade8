package org.kindling.nn.internal;

import java.util.Arrays;
import org.kindling.tensor.Tensor;

/**
 * The geometry of one 2-D convolution: input {@code [n, c, h, w]}, output {@code [n, oc, oh, ow]},
 * kernel {@code kh x kw}, stride, top/left padding, dilation and groups. A transposed convolution
 * is described by the convolution it is the gradient of (its input is this geometry's output).
 */
public record ConvGeom(int n, int c, int h, int w, int oc, int kh, int kw, int sh, int sw, int ph, int pw,
                       int dh, int dw, int groups, int oh, int ow) {

    /** Input channels per group. */
    public int cg() {
        return c / groups;
    }

    /** Output channels per group. */
    public int ocg() {
        return oc / groups;
    }

    /** Rows of the im2col matrix of one group: {@code cg * kh * kw}. */
    public int kk() {
        return cg() * kh * kw;
    }

    /** Output positions per sample. */
    public int l() {
        return oh * ow;
    }

    /** Output size of a convolution along one axis (PyTorch's formula), given total padding. */
    public static int outSize(int in, int k, int s, int padTotal, int d) {
        return Math.floorDiv(in + padTotal - d * (k - 1) - 1, s) + 1;
    }

    /**
     * The geometry of {@code x} [N, C, H, W] convolved with {@code w} [OC, C/groups, KH, KW], checked:
     * an error names {@code op} and what was expected and found.
     *
     * @param padTotal total padding per spatial axis; {@code padTop} the top/left part of it
     */
    public static ConvGeom of(String op, Tensor x, Tensor w, Tensor bias, int[] stride, int[] padTotal, int[] padTop,
                             int[] dilation, int groups) {
        if (groups < 1) throw new IllegalArgumentException(op + ": groups must be positive, got " + groups);
        if (w.dim() != 4) {
            throw new IllegalArgumentException(op + ": expected a weight with 4 dims [OC, C/groups, KH, KW], got "
                    + w.shape());
        }
        int oc = w.size(0);
        if (oc % groups != 0) {
            throw new IllegalArgumentException(op + ": out channels " + oc + " not divisible by groups " + groups);
        }
        int c = w.size(1) * groups;
        if (x.dim() != 4 || x.size(1) != c) {
            throw new IllegalArgumentException(op + ": expected input with 4 dims [N, C, H, W] and " + c
                    + " channels, got " + x.shape());
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != oc)) {
            throw new IllegalArgumentException(op + ": expected bias of shape [" + oc + "], got " + bias.shape());
        }
        Arrs.checkFloat(op, "input", x, null);
        Arrs.checkFloat(op, "weight", w, x.dtype());
        if (bias != null) Arrs.checkFloat(op, "bias", bias, x.dtype());
        for (int i = 0; i < 2; i++) {
            if (stride[i] < 1 || dilation[i] < 1 || padTotal[i] < 0) {
                throw new IllegalArgumentException(op + ": stride and dilation must be positive and padding >= 0, got "
                        + "stride=" + Arrays.toString(stride) + ", dilation=" + Arrays.toString(dilation));
            }
        }
        int oh = ConvGeom.outSize(x.size(2), w.size(2), stride[0], padTotal[0], dilation[0]);
        int ow = ConvGeom.outSize(x.size(3), w.size(3), stride[1], padTotal[1], dilation[1]);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException(op + ": kernel " + w.size(2) + "x" + w.size(3) + " (dilated) is larger "
                    + "than the padded input " + x.shape() + "; output would be " + oh + "x" + ow);
        }
        return new ConvGeom(x.size(0), c, x.size(2), x.size(3), oc, w.size(2), w.size(3), stride[0], stride[1],
                padTop[0], padTop[1], dilation[0], dilation[1], groups, oh, ow);
    }
}
