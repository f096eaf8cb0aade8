package org.kindling.nn.internal;

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
}
