package org.kindling.nn.internal;

import org.kindling.kernel.internal.KernelProvider;
import org.kindling.kernel.internal.Kernels;
import org.kindling.kernel.internal.Parallel;

/**
 * Pooling loops over contiguous planes {@code [planes, h, w]}. Max pooling records the argmax
 * (plane-local index {@code ih*w + iw}) for its backward; average pooling is described by per-row
 * and per-column window bounds, which covers both AvgPool2d and AdaptiveAvgPool2d.
 */
public final class PoolKernels {
    private PoolKernels() {}

    /** Window geometry of max pooling. */
    public record MaxGeom(int planes, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw,
                          int oh, int ow) {}

    /**
     * Average pooling windows: output row i averages input rows {@code [hs[i], he[i])} and columns
     * {@code [ws[j], we[j])}, divided by {@code hDiv[i] * wDiv[j]}.
     */
    public record AvgGeom(int planes, int h, int w, int oh, int ow, int[] hs, int[] he, int[] ws, int[] we,
                          int[] hDiv, int[] wDiv) {}

    private static int grain(int perPlane) {
        return Math.max(1, (1 << 14) / Math.max(1, perPlane));
    }

    /** Max pooling of every plane; {@code idx} may be null when no backward needs the argmax. */
    public static void maxForward(float[] x, int xo, MaxGeom g, float[] out, int[] idx) {
        int hw = g.h() * g.w();
        Parallel.parallelFor(0, g.planes(), grain(hw), (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                if (idx == null) {
                    maxPlaneValues(x, xo + p * hw, g, out, p * g.oh() * g.ow());
                } else {
                    maxPlane(x, xo + p * hw, g, out, idx, p * g.oh() * g.ow());
                }
            }
        });
    }

    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[0]);

    /** Rows shorter than this do not fill a 512-bit vector; only a performance choice depends on it. */
    private static final int VECTOR_FLOATS = 16;

    /** Values only: a NaN in a window wins, as in {@link #maxPlane}, since {@link Math#max} propagates NaN. */
    static void maxPlaneValues(float[] x, int base, MaxGeom g, float[] out, int o) {
        final int h = g.h(), w = g.w(), oh = g.oh(), ow = g.ow(), kh = g.kh(), kw = g.kw();
        final int sh = g.sh(), sw = g.sw(), ph = g.ph(), pw = g.pw(), dh = g.dh(), dw = g.dw();
        if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && dh == 1 && dw == 1
                && 2 * oh <= h && 2 * ow <= w) {
            // Both steps with the vector kernels (a scalar float max is a five-instruction sequence on x86).
            // When the windows tile the rows exactly, the input rows used are one contiguous run: rows first
            // if a row fills a vector (then the row maxima of the plane are one stream of pairs), else pairs
            // of columns first over the whole run, which leaves only a quarter of the elements to short rows.
            boolean exact = 2 * ow == w;
            Kernels k = KernelProvider.get();
            float[] rows = ROW.get();
            if (exact && 2 * ow < VECTOR_FLOATS) {
                int len = 2 * oh * ow;
                if (rows.length < len) ROW.set(rows = new float[len]);
                k.pairMax(len, x, base, rows, 0);
                for (int i = 0; i < oh; i++) k.rowMax(ow, rows, 2 * i * ow, rows, (2 * i + 1) * ow, out, o + i * ow);
                return;
            }
            int len = exact ? oh * w : 2 * ow;
            if (rows.length < len) ROW.set(rows = new float[len]);
            for (int i = 0; i < oh; i++) {
                int r0 = base + 2 * i * w, r1 = r0 + w, d = exact ? i * w : 0;
                k.rowMax(2 * ow, x, r0, x, r1, rows, d);
                if (!exact) k.pairMax(ow, rows, 0, out, o + i * ow);
            }
            if (exact) k.pairMax(oh * ow, rows, 0, out, o);
            return;
        }
        for (int i = 0; i < oh; i++) {
            int h0 = i * sh - ph;
            for (int j = 0; j < ow; j++) {
                int w0 = j * sw - pw;
                float best = Float.NEGATIVE_INFINITY;
                for (int ki = 0; ki < kh; ki++) {
                    int ih = h0 + ki * dh;
                    if (ih < 0 || ih >= h) continue;
                    int row = base + ih * w;
                    for (int kj = 0; kj < kw; kj++) {
                        int iw = w0 + kj * dw;
                        if (iw >= 0 && iw < w) best = Math.max(best, x[row + iw]);
                    }
                }
                out[o + i * ow + j] = best;
            }
        }
    }

    private static void maxPlane(float[] x, int base, MaxGeom g, float[] out, int[] idx, int o) {
        final int h = g.h(), w = g.w(), oh = g.oh(), ow = g.ow(), kh = g.kh(), kw = g.kw();
        final int sh = g.sh(), sw = g.sw(), ph = g.ph(), pw = g.pw(), dh = g.dh(), dw = g.dw();
        if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && dh == 1 && dw == 1
                && 2 * oh <= h && 2 * ow <= w) {
            // the common 2x2/2 window, always inside the input
            for (int i = 0; i < oh; i++) {
                int r0 = base + 2 * i * w, r1 = r0 + w;
                for (int j = 0; j < ow; j++, o++) {
                    int a = r0 + 2 * j, c = r1 + 2 * j;
                    float v0 = x[a], v1 = x[a + 1], v2 = x[c], v3 = x[c + 1];
                    // Branch-free: C2 has no scalar float cmov, and with random data a branchy
                    // select mispredicts half the time (3.5x slower, measured on 64x32x28x28).
                    // Pairs first, then the pair winners; strict ">" keeps the first maximum.
                    int f1 = v1 > v0 ? 1 : 0;
                    int f2 = v3 > v2 ? 1 : 0;
                    float m01 = Math.max(v0, v1);
                    float m23 = Math.max(v2, v3);
                    int i01 = a + f1;
                    int i23 = c + f2;
                    int f = m23 > m01 ? 1 : 0;
                    float m = Math.max(m01, m23);
                    int bi = i01 + f * (i23 - i01);
                    if (m != m) {
                        // NaN wins, as in PyTorch (rare: the slow scan)
                        boolean t1 = (v1 > v0) | (v1 != v1);
                        float mm = t1 ? v1 : v0;
                        bi = t1 ? a + 1 : a;
                        boolean t2 = (v2 > mm) | (v2 != v2);
                        mm = t2 ? v2 : mm;
                        bi = t2 ? c : bi;
                        bi = ((v3 > mm) | (v3 != v3)) ? c + 1 : bi;
                    }
                    out[o] = m;
                    idx[o] = bi - base;
                }
            }
            return;
        }
        for (int i = 0; i < oh; i++) {
            int h0 = i * sh - ph;
            for (int j = 0; j < ow; j++, o++) {
                int w0 = j * sw - pw;
                float best = Float.NEGATIVE_INFINITY;
                int bi = -1;
                for (int ki = 0; ki < kh; ki++) {
                    int ih = h0 + ki * dh;
                    if (ih < 0 || ih >= h) continue;
                    int row = base + ih * w;
                    for (int kj = 0; kj < kw; kj++) {
                        int iw = w0 + kj * dw;
                        if (iw < 0 || iw >= w) continue;
                        float v = x[row + iw];
                        if (bi < 0 || v > best || Float.isNaN(v)) {
                            best = v;
                            bi = ih * w + iw;
                        }
                    }
                }
                out[o] = best;
                idx[o] = bi;
            }
        }
    }

    public static void maxForward(double[] x, int xo, MaxGeom g, double[] out, int[] idx) {
        int hw = g.h() * g.w(), l = g.oh() * g.ow();
        for (int p = 0; p < g.planes(); p++) {
            int base = xo + p * hw;
            for (int i = 0; i < g.oh(); i++) {
                for (int j = 0; j < g.ow(); j++) {
                    double best = Double.NEGATIVE_INFINITY;
                    int bi = -1;
                    for (int ki = 0; ki < g.kh(); ki++) {
                        int ih = i * g.sh() - g.ph() + ki * g.dh();
                        if (ih < 0 || ih >= g.h()) continue;
                        for (int kj = 0; kj < g.kw(); kj++) {
                            int iw = j * g.sw() - g.pw() + kj * g.dw();
                            if (iw < 0 || iw >= g.w()) continue;
                            double v = x[base + ih * g.w() + iw];
                            if (bi < 0 || v > best || Double.isNaN(v)) {
                                best = v;
                                bi = ih * g.w() + iw;
                            }
                        }
                    }
                    out[p * l + i * g.ow() + j] = best;
                    idx[p * l + i * g.ow() + j] = bi;
                }
            }
        }
    }

    /** Routes each output gradient to its argmax. */
    public static void maxBackward(float[] gy, int gyo, int[] idx, int planes, int hw, int l, float[] dx) {
        Parallel.parallelFor(0, planes, grain(hw), (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                for (int i = 0; i < l; i++) {
                    int k = idx[p * l + i];
                    if (k >= 0) dx[p * hw + k] += gy[gyo + p * l + i];
                }
            }
        });
    }

    public static void maxBackward(double[] gy, int gyo, int[] idx, int planes, int hw, int l, double[] dx) {
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < l; i++) {
                int k = idx[p * l + i];
                if (k >= 0) dx[p * hw + k] += gy[gyo + p * l + i];
            }
        }
    }

    public static void avgForward(float[] x, int xo, AvgGeom g, float[] out) {
        int hw = g.h() * g.w(), l = g.oh() * g.ow();
        Parallel.parallelFor(0, g.planes(), grain(hw), (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int base = xo + p * hw;
                for (int i = 0; i < g.oh(); i++) {
                    for (int j = 0; j < g.ow(); j++) {
                        float s = 0;
                        for (int ih = g.hs()[i]; ih < g.he()[i]; ih++) {
                            for (int iw = g.ws()[j]; iw < g.we()[j]; iw++) s += x[base + ih * g.w() + iw];
                        }
                        out[p * l + i * g.ow() + j] = s / (g.hDiv()[i] * g.wDiv()[j]);
                    }
                }
            }
        });
    }

    public static void avgForward(double[] x, int xo, AvgGeom g, double[] out) {
        int hw = g.h() * g.w(), l = g.oh() * g.ow();
        for (int p = 0; p < g.planes(); p++) {
            int base = xo + p * hw;
            for (int i = 0; i < g.oh(); i++) {
                for (int j = 0; j < g.ow(); j++) {
                    double s = 0;
                    for (int ih = g.hs()[i]; ih < g.he()[i]; ih++) {
                        for (int iw = g.ws()[j]; iw < g.we()[j]; iw++) s += x[base + ih * g.w() + iw];
                    }
                    out[p * l + i * g.ow() + j] = s / ((double) g.hDiv()[i] * g.wDiv()[j]);
                }
            }
        }
    }

    public static void avgBackward(float[] gy, int gyo, AvgGeom g, float[] dx) {
        int hw = g.h() * g.w(), l = g.oh() * g.ow();
        Parallel.parallelFor(0, g.planes(), grain(hw), (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                for (int i = 0; i < g.oh(); i++) {
                    for (int j = 0; j < g.ow(); j++) {
                        float v = gy[gyo + p * l + i * g.ow() + j] / (g.hDiv()[i] * g.wDiv()[j]);
                        for (int ih = g.hs()[i]; ih < g.he()[i]; ih++) {
                            for (int iw = g.ws()[j]; iw < g.we()[j]; iw++) dx[p * hw + ih * g.w() + iw] += v;
                        }
                    }
                }
            }
        });
    }

    public static void avgBackward(double[] gy, int gyo, AvgGeom g, double[] dx) {
        int hw = g.h() * g.w(), l = g.oh() * g.ow();
        for (int p = 0; p < g.planes(); p++) {
            for (int i = 0; i < g.oh(); i++) {
                for (int j = 0; j < g.ow(); j++) {
                    double v = gy[gyo + p * l + i * g.ow() + j] / ((double) g.hDiv()[i] * g.wDiv()[j]);
                    for (int ih = g.hs()[i]; ih < g.he()[i]; ih++) {
                        for (int iw = g.ws()[j]; iw < g.we()[j]; iw++) dx[p * hw + ih * g.w() + iw] += v;
                    }
                }
            }
        }
    }
}
