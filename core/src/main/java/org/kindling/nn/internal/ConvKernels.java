package org.kindling.nn.internal;

import java.util.Arrays;
import org.kindling.kernel.internal.ArrayPool;
import org.kindling.kernel.internal.KernelProvider;
import org.kindling.kernel.internal.Kernels;
import org.kindling.kernel.internal.Parallel;

/**
 * The three loops of a 2-D convolution over contiguous arrays: forward, gradient of the input and
 * gradient of the weight, each as im2col (or col2im) plus a matrix product per sample and group.
 * The float32 versions use the kernels' sgemm and run the batch in parallel; the float64 versions
 * use a plain triple loop (they exist for gradcheck, not for speed).
 *
 * <p>Layouts: input {@code [n, c, h, w]}, weight {@code [oc, c/groups, kh, kw]}, output
 * {@code [n, oc, oh, ow]}, all row-major from the given offset.
 */
public final class ConvKernels {
    private ConvKernels() {}

    // ------------------------------------------------------------------ float32

    /** Floats of im2col scratch per chunk of samples (the batch is processed in chunks of at most this many columns x rows). */
    private static final int COLS_LIMIT = 1 << 23;

    /** Per-thread, grow-only scratch arrays (slot 0: output/gradient staging, slot 1: columns), reused across calls. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    /** Scratch of at least n floats; contents are garbage (every user overwrites what it reads). */
    private static float[] scratch(int slot, int n) {
        float[][] s = SCRATCH.get();
        if (s[slot].length < n) s[slot] = new float[n];
        return s[slot];
    }

    private static int chunk(ConvGeom g) {
        return Math.max(1, Math.min(g.n(), COLS_LIMIT / Math.max(1, g.kk() * g.l())));
    }

    /**
     * {@code out = conv(x, w) + b}; b may be null. The columns of a chunk of samples sit side by
     * side ({@code [kk, samples * l]}) so that each group is one large sgemm.
     */
    public static float[] forward(float[] x, int xo, float[] w, int wo, float[] b, int bo, ConvGeom g) {
        return forward(x, xo, w, wo, b, bo, g, null);
    }

    /**
     * As {@link #forward(float[], int, float[], int, float[], int, ConvGeom)}; when {@code keepCols} is
     * given and the whole batch is one chunk of one group, the im2col matrix is left in
     * {@code keepCols[0]} for {@link #backwardWeight(float[], int, float[], int, ConvGeom, float[])}.
     */
    public static float[] forward(float[] x, int xo, float[] w, int wo, float[] b, int bo, ConvGeom g,
                                  float[][] keepCols) {
        int l = g.l(), kk = g.kk(), ocg = g.ocg(), oc = g.oc(), chw = g.c() * g.h() * g.w(), gchw = g.cg() * g.h() * g.w();
        float[] out = new float[g.n() * oc * l];
        int nb = chunk(g);
        boolean keep = keepCols != null && nb == g.n() && g.groups() == 1;
        float[] cols = keep ? new float[kk * nb * l] : scratch(1, kk * nb * l), tmp = scratch(0, ocg * nb * l);
        if (keep) keepCols[0] = cols;
        Kernels k = KernelProvider.get();
        for (int n0 = 0; n0 < g.n(); n0 += nb) {
            int cnt = Math.min(nb, g.n() - n0), ld = cnt * l, first = n0;
            for (int grp = 0; grp < g.groups(); grp++) {
                int gg = grp;
                Parallel.parallelFor(0, cnt, 1, (i0, i1) -> {
                    for (int i = i0; i < i1; i++) im2col(x, xo + (first + i) * chw + gg * gchw, g, cols, i * l, ld);
                });
                k.sgemm(ocg, ld, kk, 1f, w, wo + grp * ocg * kk, kk, 1, cols, 0, ld, 1, 0f, tmp, 0, ld);
                Parallel.parallelFor(0, cnt, 1, (i0, i1) -> {
                    for (int i = i0; i < i1; i++) {
                        for (int o = 0; o < ocg; o++) {
                            int dst = ((first + i) * oc + gg * ocg + o) * l, src = o * ld + i * l;
                            if (b == null) {
                                System.arraycopy(tmp, src, out, dst, l);
                            } else {
                                float bv = b[bo + gg * ocg + o];
                                for (int j = 0; j < l; j++) out[dst + j] = tmp[src + j] + bv;
                            }
                        }
                    }
                });
            }
        }
        return out;
    }

    /**
     * {@code out = act(conv(x, w) + b)} for inference, where nothing is kept for a backward pass: each
     * sample's columns go to a per-thread scratch small enough to stay in cache, its product is written
     * straight into the sample's {@code [oc, oh, ow]} block, and bias and ReLU are applied to that block
     * while it is still in cache. Whole samples are split over the threads; a batch smaller than the
     * thread count runs sample by sample with each product split over the threads instead. A 1x1
     * convolution with unit stride and no padding reads its input as the column matrix.
     *
     * @param relu whether to apply {@code max(v, 0)} (NaN stays NaN) after the bias
     */
    public static float[] forwardInference(float[] x, int xo, float[] w, int wo, float[] b, int bo, ConvGeom g,
                                           boolean relu) {
        return forwardInference(x, xo, w, wo, b, bo, g, relu, null, false);
    }

    /** The weights of each group packed for {@link Kernels#sgemmPackedLhs}, for callers that keep them across calls. */
    public static Kernels.PackedLhs[] packWeights(float[] w, int wo, ConvGeom g) {
        Kernels k = KernelProvider.get();
        Kernels.PackedLhs[] packed = new Kernels.PackedLhs[g.groups()];
        int kk = g.kk(), ocg = g.ocg();
        for (int grp = 0; grp < g.groups(); grp++) packed[grp] = k.packLhs(ocg, kk, w, wo + grp * ocg * kk, kk, 1);
        return packed;
    }

    /**
     * As {@link #forwardInference(float[], int, float[], int, float[], int, ConvGeom, boolean)}, with the weights
     * already packed by {@link #packWeights} (or null to pack them here when needed), and, when {@code maxPool2x2},
     * followed by a 2x2 max pooling of stride 2 (no padding, floor) applied to each sample while it is in cache:
     * the output is then {@code [n, oc, oh / 2, ow / 2]} and the convolution's own output is never stored.
     */
    public static float[] forwardInference(float[] x, int xo, float[] w, int wo, float[] b, int bo, ConvGeom g,
                                           boolean relu, Kernels.PackedLhs[] packedWeights, boolean maxPool2x2) {
        int l = g.l(), kk = g.kk(), ocg = g.ocg(), oc = g.oc(), chw = g.c() * g.h() * g.w(), gchw = g.cg() * g.h() * g.w();
        int poh = g.oh() / 2, pow = g.ow() / 2;
        // With an even height no window crosses two planes, so a sample's planes pool as one tall plane.
        boolean tall = g.oh() % 2 == 0;
        PoolKernels.MaxGeom pool = !maxPool2x2 ? null
                : tall ? new PoolKernels.MaxGeom(1, oc * g.oh(), g.ow(), 2, 2, 2, 2, 0, 0, 1, 1, oc * poh, pow)
                : new PoolKernels.MaxGeom(oc, g.oh(), g.ow(), 2, 2, 2, 2, 0, 0, 1, 1, poh, pow);
        // every element is written by the products (or the pooling)
        float[] out = ArrayPool.floats(maxPool2x2 ? g.n() * oc * poh * pow : g.n() * oc * l);
        boolean pointwise = g.kh() == 1 && g.kw() == 1 && g.sh() == 1 && g.sw() == 1 && g.ph() == 0 && g.pw() == 0;
        Kernels k = KernelProvider.get();
        // With whole samples per thread each product runs serially, so the weights are packed once for all
        // of them; with fewer samples than threads each product is split over the threads by sgemm itself.
        boolean perSample = g.n() >= Parallel.numThreads();
        Kernels.PackedLhs[] packed = perSample ? (packedWeights != null ? packedWeights : packWeights(w, wo, g)) : null;
        Parallel.RangeBody samples = (n0, n1) -> {
            float[] cols = pointwise ? null : scratch(1, kk * l);
            float[] conv = maxPool2x2 ? scratch(0, oc * l) : out;
            for (int n = n0; n < n1; n++) {
                for (int grp = 0; grp < g.groups(); grp++) {
                    int in = xo + n * chw + grp * gchw, dst = (maxPool2x2 ? 0 : n * oc * l) + grp * ocg * l;
                    float[] src = x;
                    int so = in;
                    if (!pointwise) {
                        im2col(x, in, g, cols, 0, l);
                        src = cols;
                        so = 0;
                    }
                    if (kk <= SMALL_K) {
                        k.sgemmSmallK(ocg, l, kk, w, wo + grp * ocg * kk, src, so, l, b, b == null ? 0 : bo + grp * ocg,
                                relu, conv, dst, l);
                        continue;
                    }
                    if (perSample) {
                        k.sgemmPackedLhs(packed[grp], l, 1f, src, so, l, 1, 0f, conv, dst, l);
                    } else {
                        k.sgemm(ocg, l, kk, 1f, w, wo + grp * ocg * kk, kk, 1, src, so, l, 1, 0f, conv, dst, l);
                    }
                    biasActivation(conv, dst, ocg, l, b, b == null ? 0 : bo + grp * ocg, relu);
                }
                if (maxPool2x2 && tall) {
                    PoolKernels.maxPlaneValues(conv, 0, pool, out, n * oc * poh * pow);
                } else if (maxPool2x2) {
                    for (int o = 0; o < oc; o++) {
                        PoolKernels.maxPlaneValues(conv, o * l, pool, out, (n * oc + o) * poh * pow);
                    }
                }
            }
        };
        if (perSample) {
            Parallel.parallelFor(0, g.n(), 1, samples);
        } else {
            samples.run(0, g.n());
        }
        return out;
    }

    /**
     * Column-matrix heights up to which the product is {@link Kernels#sgemmSmallK} (a first layer: 1 or 3 channels
     * times 3x3), 4x faster there than the blocked GEMM (measured: 1->32 channels on 64x28x28, 1.2 -> 0.3 ms).
     */
    static final int SMALL_K = 32;

    /** Adds {@code b[bo + r]} to row r of the {@code rows x len} block at {@code off}, then ReLU if asked. */
    static void biasActivation(float[] y, int off, int rows, int len, float[] b, int bo, boolean relu) {
        if (b == null && !relu) return;
        for (int r = 0; r < rows; r++) {
            float bv = b == null ? 0f : b[bo + r];
            int from = off + r * len, to = from + len;
            if (relu) {
                for (int j = from; j < to; j++) y[j] = Math.max(y[j] + bv, 0f);
            } else {
                for (int j = from; j < to; j++) y[j] += bv;
            }
        }
    }

    /** {@code gyT[o, i*l + p] = gy[n0+i, grp*ocg + o, p]}: one group's output gradient with samples side by side. */
    private static void gatherGrad(float[] gy, int gyo, ConvGeom g, int n0, int cnt, int grp, float[] gyT) {
        int l = g.l(), ocg = g.ocg(), ld = cnt * l;
        Parallel.parallelFor(0, cnt, 1, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                for (int o = 0; o < ocg; o++) {
                    System.arraycopy(gy, gyo + ((n0 + i) * g.oc() + grp * ocg + o) * l, gyT, o * ld + i * l, l);
                }
            }
        });
    }

    /** Gradient of the input, {@code [n, c, h, w]}, from the gradient of the output. */
    public static float[] backwardInput(float[] gy, int gyo, float[] w, int wo, ConvGeom g) {
        int l = g.l(), kk = g.kk(), ocg = g.ocg(), chw = g.c() * g.h() * g.w(), gchw = g.cg() * g.h() * g.w();
        float[] dx = new float[g.n() * chw];
        int nb = chunk(g);
        float[] cols = scratch(1, kk * nb * l), gyT = scratch(0, ocg * nb * l);
        Kernels k = KernelProvider.get();
        for (int n0 = 0; n0 < g.n(); n0 += nb) {
            int cnt = Math.min(nb, g.n() - n0), ld = cnt * l, first = n0;
            for (int grp = 0; grp < g.groups(); grp++) {
                int gg = grp;
                gatherGrad(gy, gyo, g, n0, cnt, grp, gyT);
                // cols = W_g^T . dY_g : (kk x ocg) . (ocg x samples*l)
                k.sgemm(kk, ld, ocg, 1f, w, wo + grp * ocg * kk, 1, kk, gyT, 0, ld, 1, 0f, cols, 0, ld);
                Parallel.parallelFor(0, cnt, 1, (i0, i1) -> {
                    for (int i = i0; i < i1; i++) col2im(cols, i * l, ld, g, dx, (first + i) * chw + gg * gchw);
                });
            }
        }
        return dx;
    }

    /** Gradient of the weight, {@code [oc, c/groups, kh, kw]}. */
    public static float[] backwardWeight(float[] x, int xo, float[] gy, int gyo, ConvGeom g) {
        return backwardWeight(x, xo, gy, gyo, g, null);
    }

    /** With {@code keptCols} from forward (whole batch, one group), the im2col step is skipped. */
    public static float[] backwardWeight(float[] x, int xo, float[] gy, int gyo, ConvGeom g, float[] keptCols) {
        int l = g.l(), kk = g.kk(), ocg = g.ocg(), chw = g.c() * g.h() * g.w(), gchw = g.cg() * g.h() * g.w();
        // Accumulated transposed, dW_g^T [kk, ocg] per group, then transposed into [oc, kk] at the end.
        float[] dwT = new float[g.oc() * kk];
        int nb = chunk(g);
        boolean kept = keptCols != null && nb == g.n() && g.groups() == 1;
        float[] cols = kept ? keptCols : scratch(1, kk * nb * l), gyT = scratch(0, ocg * nb * l);
        Kernels k = KernelProvider.get();
        for (int n0 = 0; n0 < g.n(); n0 += nb) {
            int cnt = Math.min(nb, g.n() - n0), ld = cnt * l, first = n0;
            for (int grp = 0; grp < g.groups(); grp++) {
                int gg = grp;
                if (!kept) {
                    Parallel.parallelFor(0, cnt, 1, (i0, i1) -> {
                        for (int i = i0; i < i1; i++) im2col(x, xo + (first + i) * chw + gg * gchw, g, cols, i * l, ld);
                    });
                }
                gatherGrad(gy, gyo, g, n0, cnt, grp, gyT);
                // dW_g^T += cols . dY_g^T : (kk x samples*l) . (samples*l x ocg). In this order the
                // long operand (cols) is packed row by row and only the narrow dY_g^T is packed
                // across its stride; dW_g = dY_g . cols^T would pack all of cols^T across it.
                k.sgemm(kk, ocg, ld, 1f, cols, 0, ld, 1, gyT, 0, 1, ld, 1f, dwT, grp * ocg * kk, ocg);
            }
        }
        float[] dw = new float[g.oc() * kk];
        for (int grp = 0; grp < g.groups(); grp++) {
            int off = grp * ocg * kk;
            k.copy2d(ocg, kk, dwT, off, 1, ocg, dw, off, kk, 1);
        }
        return dw;
    }

    /** Sum of the output gradient over batch and positions, per channel ({@code [oc]}). */
    public static float[] backwardBias(float[] gy, int gyo, int n, int oc, int l) {
        float[] db = new float[oc];
        Kernels k = KernelProvider.get();
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < oc; o++) db[o] += k.sum(l, gy, gyo + (b * oc + o) * l, 1);
        }
        return db;
    }

    static void im2col(float[] x, int xo, ConvGeom g, float[] cols, int colOff, int ld) {
        int h = g.h(), w = g.w(), oh = g.oh(), ow = g.ow(), sw = g.sw();
        // Stride 1 with output rows as wide as input rows ("same" padding): the rows of one column-matrix row
        // are one shifted block of the input plane, copied at once; only the padded borders are fixed up.
        boolean sameWidth = sw == 1 && g.sh() == 1 && ow == w;
        int row = 0;
        for (int c = 0; c < g.cg(); c++) {
            for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++, row++) {
                    int ioff = ki * g.dh() - g.ph(), joff = kj * g.dw() - g.pw();
                    if (sameWidth) {
                        int dstRow = colOff + row * ld;
                        int i0 = Math.max(0, -ioff), i1 = Math.min(oh, h - ioff);
                        int lo = Math.max(0, -joff), hi = Math.min(ow, w - joff);
                        if (i1 <= i0 || hi <= lo) {
                            Arrays.fill(cols, dstRow, dstRow + oh * ow, 0f);
                            continue;
                        }
                        if (i0 > 0) Arrays.fill(cols, dstRow, dstRow + i0 * ow, 0f);
                        int first = dstRow + i0 * ow + lo, last = dstRow + (i1 - 1) * ow + hi;
                        System.arraycopy(x, xo + (c * h + i0 + ioff) * w + lo + joff, cols, first, last - first);
                        for (int i = i0; i < i1; i++) {
                            int d = dstRow + i * ow;
                            for (int j = 0; j < lo; j++) cols[d + j] = 0f;
                            for (int j = hi; j < ow; j++) cols[d + j] = 0f;
                        }
                        if (i1 < oh) Arrays.fill(cols, dstRow + i1 * ow, dstRow + oh * ow, 0f);
                        continue;
                    }
                    for (int i = 0; i < oh; i++) {
                        int ih = i * g.sh() + ioff;
                        int dst = colOff + row * ld + i * ow;
                        if (ih < 0 || ih >= h) {
                            Arrays.fill(cols, dst, dst + ow, 0f);
                            continue;
                        }
                        int src = xo + (c * h + ih) * w;
                        if (sw == 1) {
                            int lo = Math.max(0, -joff), hi = Math.min(ow, w - joff);
                            if (hi <= lo) {
                                Arrays.fill(cols, dst, dst + ow, 0f);
                                continue;
                            }
                            // The padding at either end is a few elements: plain loops, since a call of
                            // Arrays.fill per row cost 12% of an inference forward (measured, 3x3 pad 1).
                            for (int q = dst; q < dst + lo; q++) cols[q] = 0f;
                            System.arraycopy(x, src + lo + joff, cols, dst + lo, hi - lo);
                            for (int q = dst + hi; q < dst + ow; q++) cols[q] = 0f;
                        } else {
                            for (int j = 0; j < ow; j++) {
                                int iw = j * sw + joff;
                                cols[dst + j] = iw >= 0 && iw < w ? x[src + iw] : 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    static void col2im(float[] cols, int colOff, int ld, ConvGeom g, float[] dx, int xo) {
        int h = g.h(), w = g.w(), oh = g.oh(), ow = g.ow(), sw = g.sw();
        int row = 0;
        for (int c = 0; c < g.cg(); c++) {
            for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++, row++) {
                    int ioff = ki * g.dh() - g.ph(), joff = kj * g.dw() - g.pw();
                    for (int i = 0; i < oh; i++) {
                        int ih = i * g.sh() + ioff;
                        if (ih < 0 || ih >= h) continue;
                        int src = colOff + row * ld + i * ow;
                        int dst = xo + (c * h + ih) * w;
                        if (sw == 1) {
                            int lo = Math.max(0, -joff), hi = Math.min(ow, w - joff);
                            for (int j = lo; j < hi; j++) dx[dst + j + joff] += cols[src + j];
                        } else {
                            for (int j = 0; j < ow; j++) {
                                int iw = j * sw + joff;
                                if (iw >= 0 && iw < w) dx[dst + iw] += cols[src + j];
                            }
                        }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ float64 (gradcheck path)

    public static double[] forward(double[] x, int xo, double[] w, int wo, double[] b, int bo, ConvGeom g) {
        int l = g.l(), kk = g.kk(), ocg = g.ocg(), cg = g.cg();
        double[] out = new double[g.n() * g.oc() * l];
        double[] cols = new double[kk * l];
        for (int n = 0; n < g.n(); n++) {
            for (int grp = 0; grp < g.groups(); grp++) {
                im2col(x, xo + (n * g.c() + grp * cg) * g.h() * g.w(), g, cols);
                dgemm(ocg, l, kk, w, wo + grp * ocg * kk, kk, 1, cols, 0, l, 1, out, (n * g.oc() + grp * ocg) * l, l);
            }
            if (b != null) {
                for (int o = 0; o < g.oc(); o++) {
                    for (int i = 0; i < l; i++) out[(n * g.oc() + o) * l + i] += b[bo + o];
                }
            }
        }
        return out;
    }

    public static double[] backwardInput(double[] gy, int gyo, double[] w, int wo, ConvGeom g) {
        int l = g.l(), kk = g.kk(), ocg = g.ocg(), cg = g.cg();
        double[] dx = new double[g.n() * g.c() * g.h() * g.w()];
        double[] cols = new double[kk * l];
        for (int n = 0; n < g.n(); n++) {
            for (int grp = 0; grp < g.groups(); grp++) {
                Arrays.fill(cols, 0);
                dgemm(kk, l, ocg, w, wo + grp * ocg * kk, 1, kk, gy, gyo + (n * g.oc() + grp * ocg) * l, l, 1, cols, 0, l);
                col2im(cols, g, dx, (n * g.c() + grp * cg) * g.h() * g.w());
            }
        }
        return dx;
    }

    public static double[] backwardWeight(double[] x, int xo, double[] gy, int gyo, ConvGeom g) {
        int l = g.l(), kk = g.kk(), ocg = g.ocg(), cg = g.cg();
        double[] dw = new double[g.oc() * kk];
        double[] cols = new double[kk * l];
        for (int n = 0; n < g.n(); n++) {
            for (int grp = 0; grp < g.groups(); grp++) {
                im2col(x, xo + (n * g.c() + grp * cg) * g.h() * g.w(), g, cols);
                dgemm(ocg, kk, l, gy, gyo + (n * g.oc() + grp * ocg) * l, l, 1, cols, 0, 1, l, dw, grp * ocg * kk, kk);
            }
        }
        return dw;
    }

    public static double[] backwardBias(double[] gy, int gyo, int n, int oc, int l) {
        double[] db = new double[oc];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < oc; o++) {
                for (int i = 0; i < l; i++) db[o] += gy[gyo + (b * oc + o) * l + i];
            }
        }
        return db;
    }

    /** {@code C += A.B} with strided A and B, row-major C. */
    public static void dgemm(int m, int n, int k, double[] a, int ao, int ars, int acs, double[] b, int bo, int brs,
                             int bcs, double[] c, int co, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double av = a[ao + i * ars + p * acs];
                if (av == 0) continue;
                int bRow = bo + p * brs, cRow = co + i * ldc;
                for (int j = 0; j < n; j++) c[cRow + j] += av * b[bRow + j * bcs];
            }
        }
    }

    static void im2col(double[] x, int xo, ConvGeom g, double[] cols) {
        int h = g.h(), w = g.w(), oh = g.oh(), ow = g.ow(), l = oh * ow;
        int row = 0;
        for (int c = 0; c < g.cg(); c++) {
            for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++, row++) {
                    for (int i = 0; i < oh; i++) {
                        int ih = i * g.sh() + ki * g.dh() - g.ph();
                        for (int j = 0; j < ow; j++) {
                            int iw = j * g.sw() + kj * g.dw() - g.pw();
                            boolean in = ih >= 0 && ih < h && iw >= 0 && iw < w;
                            cols[row * l + i * ow + j] = in ? x[xo + (c * h + ih) * w + iw] : 0;
                        }
                    }
                }
            }
        }
    }

    static void col2im(double[] cols, ConvGeom g, double[] dx, int xo) {
        int h = g.h(), w = g.w(), oh = g.oh(), ow = g.ow(), l = oh * ow;
        int row = 0;
        for (int c = 0; c < g.cg(); c++) {
            for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++, row++) {
                    for (int i = 0; i < oh; i++) {
                        int ih = i * g.sh() + ki * g.dh() - g.ph();
                        if (ih < 0 || ih >= h) continue;
                        for (int j = 0; j < ow; j++) {
                            int iw = j * g.sw() + kj * g.dw() - g.pw();
                            if (iw >= 0 && iw < w) dx[xo + (c * h + ih) * w + iw] += cols[row * l + i * ow + j];
                        }
                    }
                }
            }
        }
    }
}
