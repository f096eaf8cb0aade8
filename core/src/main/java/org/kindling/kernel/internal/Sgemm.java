package org.kindling.kernel.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision GEMM with the Vector API, in the GotoBLAS/BLIS layout:
 *
 * <pre>
 * for jc in n step NC              // columns of C and B
 *   for pc in k step KC            // pack B(pc:pc+kc, jc:jc+nc) into NR-wide slivers   (L3/L2)
 *     for ic in m step MC          // pack A(ic:ic+mc, pc:pc+kc) into MR-tall slivers   (L2)
 *       for jr in nc step NR       // one B sliver, kc x NR                              (L1)
 *         for ir in mc step MR     // micro-kernel: MR x NR block of C in registers
 * </pre>
 *
 * The micro-kernel keeps an MR x NR tile of C in {@code MR * 2} vector accumulators (NR is two
 * vectors wide), and for each of the kc steps loads two B vectors, broadcasts MR values of A and
 * does MR * 2 fused multiply-adds. Packing pads A and B with zeros to whole slivers, so the
 * micro-kernel always computes a full tile; edge tiles go through a small scratch tile and only
 * their valid part is merged into C.
 *
 * <p>Large problems are split over row blocks (or column blocks, when C is wide and short) with
 * {@link Parallel#parallelFor}; each worker runs the serial blocked loop on its part with its
 * own pack buffers (one set per thread, reused across calls). Matrix-vector shapes (m == 1 or
 * n == 1) take a vectorised dot/axpy path with no packing.
 *
 * <p>Two JDK 17 Vector API rules shape the code (breaking either silently costs 10-100x, as the
 * vectors get boxed and the operations run in plain Java): a vector is never passed to or
 * returned from a helper method that may not be inlined (the micro-kernel writes its
 * accumulators to a scratch tile instead), and operators are always compile-time constants.
 *
 * <p>Measured on the 2-core AMD EPYC (Zen 5, AVX-512) development machine, 1 thread: ~165
 * GFLOPS at n = 512..2048 (best calls; the machine was shared, medians lower).
 */
final class Sgemm {
    private Sgemm() {}

    static final VectorSpecies<Float> F = SimdKernels.F;
    static final int L = F.length();
    /** Columns per micro-tile: two vectors. */
    static final int NR = 2 * L;
    /**
     * Rows per micro-tile. With 512-bit vectors (AVX-512 has 32 vector registers) 12 rows give
     * 24 accumulators + 2 B vectors + 1 broadcast; with narrower vectors (16 registers on AVX2)
     * 6 rows give 12 accumulators.
     */
    static final int MR = L >= 16 ? 12 : 6;
    /*
     * Cache blocking, tuned on an AMD EPYC (Zen 5, 48 KiB L1D, 1 MiB L2, AVX-512) with JDK 17;
     * at 1 thread, n = 1024 and 2048 (thread CPU time): KC 128 -> ~140 GFLOPS, 256 -> ~140,
     * 384 -> ~155, 512 -> ~165, 768/1024 -> ~165-175; MC between 48 and 288 and NC between 1024
     * and 4096 made no difference above the noise of this shared machine. A deeper KC halves the
     * passes over C (each depth block reads and writes the C tile once).
     */
    /** Depth of a packed block: a kc x NR B sliver is 64 KiB, an MR x kc A sliver 24 KiB. */
    static final int KC = 512;
    /** Rows of A packed at once (MC x KC floats = 288 KiB: stays in L2). */
    static final int MC = MR * 12;
    /** Columns of B packed at once (KC x NC floats = 4 MiB per thread, for L3). */
    static final int NC = 2048;

    /**
     * Above this many multiply-adds the work is split over threads. Waking the pool costs tens
     * of microseconds; measured here, 2 threads lost at n = 96..128 and won from n ~ 200.
     */
    static final long PARALLEL = 160L * 160 * 160;
    /** Matrix-vector work (multiply-adds) per thread below which gemv stays on one thread. */
    static final int GEMV_GRAIN = 1 << 17;

    /** Per-thread pack buffers, grown on demand and reused. */
    private static final class Workspace {
        float[] ap = new float[0];
        float[] bp = new float[0];
        final float[] tile = new float[MR * NR];
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    static void sgemm(int m, int n, int k, float alpha,
                      float[] a, int ao, int ars, int acs,
                      float[] b, int bo, int brs, int bcs,
                      float beta, float[] c, int co, int ldc) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            scaleC(m, n, beta, c, co, ldc);
            return;
        }
        if (m == 1 || n == 1) {
            gemv(m, n, k, alpha, a, ao, ars, acs, b, bo, brs, bcs, beta, c, co, ldc);
            return;
        }
        // Even tiny products go through packing: measured, the packed kernel beat a plain
        // vectorised i-p-j loop at every size from 8 x 8 x 8 up (2.5 vs 1.9 GFLOPS at n = 8,
        // 39 vs 13 at n = 32), the packing being cheap next to the row-by-row loads it saves.
        long work = (long) m * n * k;
        int threads = Parallel.numThreads();
        if (threads > 1 && work > PARALLEL) {
            int mUnits = (m + MR - 1) / MR;
            int nUnits = (n + NR - 1) / NR;
            if (mUnits >= nUnits || mUnits >= 4 * threads) {
                // Split rows of C (and A), in whole micro-tiles.
                Parallel.parallelFor(0, mUnits, 1, (from, to) -> {
                    int i0 = from * MR;
                    int i1 = Math.min(m, to * MR);
                    blocked(i1 - i0, n, k, alpha, a, ao + i0 * ars, ars, acs, b, bo, brs, bcs,
                            beta, c, co + i0 * ldc, ldc);
                });
            } else {
                Parallel.parallelFor(0, nUnits, 1, (from, to) -> {
                    int j0 = from * NR;
                    int j1 = Math.min(n, to * NR);
                    blocked(m, j1 - j0, k, alpha, a, ao, ars, acs, b, bo + j0 * bcs, brs, bcs,
                            beta, c, co + j0, ldc);
                });
            }
            return;
        }
        blocked(m, n, k, alpha, a, ao, ars, acs, b, bo, brs, bcs, beta, c, co, ldc);
    }

    private static void scaleC(int m, int n, float beta, float[] c, int co, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = co + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, row, row + n, 0f);
            } else {
                for (int j = 0; j < n; j++) c[row + j] *= beta;
            }
        }
    }

    // ------------------------------------------------------------------ blocked path

    /** The serial blocked loop nest on one (sub)problem. */
    static void blocked(int m, int n, int k, float alpha,
                        float[] a, int ao, int ars, int acs,
                        float[] b, int bo, int brs, int bcs,
                        float beta, float[] c, int co, int ldc) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            scaleC(m, n, beta, c, co, ldc);
            return;
        }
        Workspace ws = WORKSPACE.get();
        int kcMax = Math.min(KC, k);
        int ncMax = Math.min(NC, roundUp(n, NR));
        int mcMax = Math.min(MC, roundUp(m, MR));
        if (ws.bp.length < kcMax * ncMax) ws.bp = new float[kcMax * ncMax];
        if (ws.ap.length < kcMax * mcMax) ws.ap = new float[kcMax * mcMax];
        float[] ap = ws.ap;
        float[] bp = ws.bp;
        float[] tile = ws.tile;

        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                // Later depth blocks accumulate onto what the first one stored.
                float betaBlock = pc == 0 ? beta : 1f;
                packB(kc, nc, b, bo + pc * brs + jc * bcs, brs, bcs, bp);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(mc, kc, a, ao + ic * ars + pc * acs, ars, acs, ap);
                    macroKernel(mc, nc, kc, ap, 0, bp, 0, alpha, betaBlock, c, co + ic * ldc + jc, ldc, tile);
                }
            }
        }
    }

    // ------------------------------------------------------------------ packed right operand

    /**
     * B packed once into the micro-kernel's sliver layout, block by block ({@code NC} columns by
     * {@code KC} depth, column blocks outer), for products that reuse one B many times, such as
     * the hidden-to-hidden weight of a recurrence applied at every time step.
     */
    static final class Packed implements Kernels.PackedRhs {
        final int k;
        final int n;
        final float[] data;

        Packed(int k, int n, float[] data) {
            this.k = k;
            this.n = n;
            this.data = data;
        }

        @Override
        public int k() {
            return k;
        }

        @Override
        public int n() {
            return n;
        }

        /** Offset of block (jc, pc): the blocks before it hold roundUp(width) x depth floats each. */
        int blockOffset(int jc, int pc) {
            int before = jc * k;
            int width = roundUp(Math.min(NC, n - jc), NR);
            return before + pc * width;
        }
    }

    static Packed pack(int k, int n, float[] b, int bo, int brs, int bcs) {
        int padded = 0;
        for (int jc = 0; jc < n; jc += NC) padded += roundUp(Math.min(NC, n - jc), NR);
        float[] data = new float[Math.multiplyExact(padded, k)];
        Packed packed = new Packed(k, n, data);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float[] tmp = new float[kc * roundUp(nc, NR)];
                packB(kc, nc, b, bo + pc * brs + jc * bcs, brs, bcs, tmp);
                System.arraycopy(tmp, 0, data, packed.blockOffset(jc, pc), tmp.length);
            }
        }
        return packed;
    }

    /**
     * Work (multiply-adds) above which a packed product is split over threads by column
     * slivers. Packing B is already paid, so the split pays off much earlier than for {@link #sgemm}.
     */
    static final long PACKED_PARALLEL = 1L << 19;

    static void sgemmPacked(int m, float alpha, float[] a, int ao, int ars, int acs, Packed b,
                            float beta, float[] c, int co, int ldc) {
        int n = b.n;
        if (m <= 0 || n <= 0) return;
        if (b.k == 0) {
            scaleC(m, n, beta, c, co, ldc);
            return;
        }
        int slivers = (n + NR - 1) / NR;
        int mUnits = (m + MR - 1) / MR;
        int threads = Parallel.numThreads();
        if (threads > 1 && (long) m * n * b.k > PACKED_PARALLEL && slivers < 4 * threads && mUnits >= 2 * threads) {
            // Few column slivers but many rows (a classifier layer over a batch): split the rows, so that each
            // thread packs only its own rows of A instead of all of them.
            Parallel.parallelFor(0, mUnits, 1, (from, to) -> {
                int i0 = from * MR, i1 = Math.min(m, to * MR);
                blockedPacked(i1 - i0, 0, n, alpha, a, ao + i0 * ars, ars, acs, b, beta, c, co + i0 * ldc, ldc);
            });
            return;
        }
        if (threads > 1 && (long) m * n * b.k > PACKED_PARALLEL && slivers >= 2) {
            Parallel.parallelFor(0, slivers, 1, (from, to) ->
                    blockedPacked(m, from * NR, Math.min(n, to * NR), alpha, a, ao, ars, acs, b, beta, c, co, ldc));
            return;
        }
        blockedPacked(m, 0, n, alpha, a, ao, ars, acs, b, beta, c, co, ldc);
    }

    /** Columns {@code [j0, j1)} of C (j0 a multiple of NR) from the packed B. */
    private static void blockedPacked(int m, int j0, int j1, float alpha, float[] a, int ao, int ars, int acs,
                                      Packed b, float beta, float[] c, int co, int ldc) {
        int k = b.k;
        Workspace ws = WORKSPACE.get();
        int kcMax = Math.min(KC, k);
        int mcMax = Math.min(MC, roundUp(m, MR));
        if (ws.ap.length < kcMax * mcMax) ws.ap = new float[kcMax * mcMax];
        float[] ap = ws.ap;
        float[] tile = ws.tile;
        for (int jc = j0 / NC * NC; jc < j1; jc += NC) {
            int lo = Math.max(j0, jc);
            int hi = Math.min(j1, jc + NC);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float betaBlock = pc == 0 ? beta : 1f;
                int block = b.blockOffset(jc, pc);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(mc, kc, a, ao + ic * ars + pc * acs, ars, acs, ap);
                    macroKernel(mc, hi - lo, kc, ap, 0, b.data, block + (lo - jc) * kc, alpha, betaBlock, c,
                            co + ic * ldc + lo, ldc, tile);
                }
            }
        }
    }

    // ------------------------------------------------------------------ packed left operand

    /**
     * A packed once into the micro-kernel's sliver layout, block by block ({@code KC} depth outer, {@code MC}
     * rows inner), for products that reuse one A with many B, such as a convolution's weights applied to
     * each sample's columns.
     */
    static final class PackedA implements Kernels.PackedLhs {
        final int m;
        final int k;
        final float[] data;

        PackedA(int m, int k, float[] data) {
            this.m = m;
            this.k = k;
            this.data = data;
        }

        @Override
        public int m() {
            return m;
        }

        @Override
        public int k() {
            return k;
        }

        /** Offset of block (ic, pc): the depth blocks before it hold roundUp(m) x KC floats each. */
        int blockOffset(int ic, int pc) {
            int kc = Math.min(KC, k - pc);
            return pc * roundUp(m, MR) + ic * kc;
        }
    }

    static PackedA packLhs(int m, int k, float[] a, int ao, int ars, int acs) {
        float[] data = new float[Math.multiplyExact(roundUp(m, MR), k)];
        PackedA packed = new PackedA(m, k, data);
        float[] tmp = new float[Math.min(KC, k) * Math.min(MC, roundUp(m, MR))];
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            for (int ic = 0; ic < m; ic += MC) {
                int mc = Math.min(MC, m - ic);
                packA(mc, kc, a, ao + ic * ars + pc * acs, ars, acs, tmp);
                System.arraycopy(tmp, 0, data, packed.blockOffset(ic, pc), roundUp(mc, MR) * kc);
            }
        }
        return packed;
    }

    /** The serial blocked loop nest with A already packed: only B is packed, once per (jc, pc) block. */
    static void sgemmPackedLhs(PackedA a, int n, float alpha, float[] b, int bo, int brs, int bcs,
                               float beta, float[] c, int co, int ldc) {
        int m = a.m, k = a.k;
        if (m <= 0 || n <= 0) return;
        if (k == 0) {
            scaleC(m, n, beta, c, co, ldc);
            return;
        }
        Workspace ws = WORKSPACE.get();
        int kcMax = Math.min(KC, k);
        int ncMax = Math.min(NC, roundUp(n, NR));
        if (ws.bp.length < kcMax * ncMax) ws.bp = new float[kcMax * ncMax];
        float[] bp = ws.bp;
        float[] tile = ws.tile;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float betaBlock = pc == 0 ? beta : 1f;
                packB(kc, nc, b, bo + pc * brs + jc * bcs, brs, bcs, bp);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    macroKernel(mc, nc, kc, a.data, a.blockOffset(ic, pc), bp, 0, alpha, betaBlock, c,
                            co + ic * ldc + jc, ldc, tile);
                }
            }
        }
    }

    /**
     * One packed block of A (mc x kc, MR-row slivers from {@code aBase}) times one packed block of B (kc x nc,
     * NR-column slivers from {@code bBase}) into C from {@code cBase}: micro-tile by micro-tile, each merged with
     * {@code C = alpha * tile + beta * C}.
     */
    private static void macroKernel(int mc, int nc, int kc, float[] ap, int aBase, float[] bp, int bBase, float alpha,
                                    float beta, float[] c, int cBase, int ldc, float[] tile) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bOff = bBase + jr * kc;
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int cOff = cBase + ir * ldc + jr;
                kernel(kc, ap, aBase + ir * kc, bp, bOff, tile);
                if (mr == MR && nr == NR) {
                    mergeFull(tile, alpha, beta, c, cOff, ldc);
                } else {
                    mergeTile(mr, nr, tile, alpha, beta, c, cOff, ldc);
                }
            }
        }
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }

    /** Edge tile: C[i, j] = alpha * tile[i, j] + beta * C[i, j] for the valid mr x nr part. */
    private static void mergeTile(int mr, int nr, float[] tile, float alpha, float beta,
                                  float[] c, int cOff, int ldc) {
        for (int i = 0; i < mr; i++) {
            int t = i * NR;
            int ci = cOff + i * ldc;
            if (beta == 0f) {
                for (int j = 0; j < nr; j++) c[ci + j] = alpha * tile[t + j];
            } else {
                for (int j = 0; j < nr; j++) c[ci + j] = alpha * tile[t + j] + beta * c[ci + j];
            }
        }
    }

    /**
     * Packs the kc x nc block of B (element (p, j) at {@code b[off + p*brs + j*bcs]}) into
     * NR-column slivers: sliver s holds {@code bp[s*kc*NR + p*NR + j]}, zero-padded past nc.
     */
    static void packB(int kc, int nc, float[] b, int off, int brs, int bcs, float[] bp) {
        for (int jr = 0, s = 0; jr < nc; jr += NR, s += kc * NR) {
            int nr = Math.min(NR, nc - jr);
            int src = off + jr * bcs;
            if (bcs == 1 && nr == NR) {
                // Rows of the sliver are contiguous in B: two vector copies per row.
                for (int p = 0; p < kc; p++) {
                    int si = src + p * brs;
                    int di = s + p * NR;
                    FloatVector.fromArray(F, b, si).intoArray(bp, di);
                    FloatVector.fromArray(F, b, si + L).intoArray(bp, di + L);
                }
            } else if (bcs == 1) {
                for (int p = 0; p < kc; p++) {
                    int si = src + p * brs;
                    int di = s + p * NR;
                    System.arraycopy(b, si, bp, di, nr);
                    // A plain loop: Arrays.fill's call overhead dominates for these few elements.
                    for (int q = di + nr; q < di + NR; q++) bp[q] = 0f;
                }
            } else {
                // Columns first: reads run along p (contiguous when B is a transposed view).
                for (int j = 0; j < nr; j++) {
                    int si = src + j * bcs;
                    int di = s + j;
                    for (int p = 0; p < kc; p++) bp[di + p * NR] = b[si + p * brs];
                }
                if (nr < NR) {
                    for (int p = 0; p < kc; p++) {
                        for (int q = s + p * NR + nr; q < s + (p + 1) * NR; q++) bp[q] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Packs the mc x kc block of A (element (i, p) at {@code a[off + i*ars + p*acs]}) into
     * MR-row slivers: sliver t holds {@code ap[t*kc*MR + p*MR + i]}, zero-padded past mc.
     */
    static void packA(int mc, int kc, float[] a, int off, int ars, int acs, float[] ap) {
        for (int ir = 0, s = 0; ir < mc; ir += MR, s += kc * MR) {
            int mr = Math.min(MR, mc - ir);
            int src = off + ir * ars;
            if (ars == 1 && mr == MR) {
                // A is a transposed view: the MR values for one p are contiguous. A full vector is
                // copied where it stays inside both arrays; its lanes past MR land in the slot of
                // p + 1, which is written right after (the last p copies exactly MR).
                int p = 0;
                if (L >= MR) {
                    for (; p < kc - 1 && src + p * acs + L <= a.length; p++) {
                        FloatVector.fromArray(F, a, src + p * acs).intoArray(ap, s + p * MR);
                    }
                }
                for (; p < kc; p++) System.arraycopy(a, src + p * acs, ap, s + p * MR, MR);
            } else if (acs == 1 && mr == MR) {
                // Row-major A: walk p outside so that the packed sliver is written in order,
                // reading the MR rows side by side.
                for (int p = 0; p < kc; p++) {
                    int d = s + p * MR;
                    int si = src + p;
                    for (int i = 0; i < MR; i++) ap[d + i] = a[si + i * ars];
                }
            } else {
                for (int i = 0; i < mr; i++) {
                    int si = src + i * ars;
                    int di = s + i;
                    for (int p = 0; p < kc; p++) ap[di + p * MR] = a[si + p * acs];
                }
                if (mr < MR) {
                    for (int p = 0; p < kc; p++) {
                        for (int q = s + p * MR + mr; q < s + (p + 1) * MR; q++) ap[q] = 0f;
                    }
                }
            }
        }
    }

    /**
     * The MR x NR micro-kernel: tile (row-major, MR x NR) = packed A sliver . packed B sliver.
     * The accumulators live in registers for the whole kc loop and are written to the small
     * tile buffer once; they are never passed to another method (a vector argument to a call
     * that is not inlined forces C2 to box it, and the boxing then leaks into the loop).
     */
    static void kernel(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] tile) {
        if (MR == 12) {
            kernel12(kc, ap, aOff, bp, bOff, tile);
        } else {
            kernel6(kc, ap, aOff, bp, bOff, tile);
        }
    }

    static void kernel12(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] tile) {
        FloatVector z = FloatVector.zero(F);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        FloatVector c80 = z, c81 = z, c90 = z, c91 = z, ca0 = z, ca1 = z, cb0 = z, cb1 = z;
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p * 12;
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(F, bp, bi);
            FloatVector b1 = FloatVector.fromArray(F, bp, bi + L);
            FloatVector x;
            x = FloatVector.broadcast(F, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(F, ap[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(F, ap[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(F, ap[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(F, ap[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(F, ap[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(F, ap[ai + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(F, ap[ai + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            x = FloatVector.broadcast(F, ap[ai + 8]);
            c80 = x.fma(b0, c80);
            c81 = x.fma(b1, c81);
            x = FloatVector.broadcast(F, ap[ai + 9]);
            c90 = x.fma(b0, c90);
            c91 = x.fma(b1, c91);
            x = FloatVector.broadcast(F, ap[ai + 10]);
            ca0 = x.fma(b0, ca0);
            ca1 = x.fma(b1, ca1);
            x = FloatVector.broadcast(F, ap[ai + 11]);
            cb0 = x.fma(b0, cb0);
            cb1 = x.fma(b1, cb1);
        }
        c00.intoArray(tile, 0 * NR);
        c01.intoArray(tile, 0 * NR + L);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
        c80.intoArray(tile, 8 * NR);
        c81.intoArray(tile, 8 * NR + L);
        c90.intoArray(tile, 9 * NR);
        c91.intoArray(tile, 9 * NR + L);
        ca0.intoArray(tile, 10 * NR);
        ca1.intoArray(tile, 10 * NR + L);
        cb0.intoArray(tile, 11 * NR);
        cb1.intoArray(tile, 11 * NR + L);
    }

    static void kernel6(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] tile) {
        FloatVector z = FloatVector.zero(F);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z;
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p * 6;
            int bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(F, bp, bi);
            FloatVector b1 = FloatVector.fromArray(F, bp, bi + L);
            FloatVector x;
            x = FloatVector.broadcast(F, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(F, ap[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(F, ap[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(F, ap[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(F, ap[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(F, ap[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        c00.intoArray(tile, 0 * NR);
        c01.intoArray(tile, 0 * NR + L);
        c10.intoArray(tile, 1 * NR);
        c11.intoArray(tile, 1 * NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
    }

    /** Full tile: C[i, :NR] = alpha * tile[i, :] + beta * C[i, :NR] (C not read when beta is 0). */
    private static void mergeFull(float[] tile, float alpha, float beta, float[] c, int cOff, int ldc) {
        FloatVector va = FloatVector.broadcast(F, alpha);
        if (beta == 0f) {
            for (int i = 0; i < MR; i++) {
                int ci = cOff + i * ldc;
                int t = i * NR;
                FloatVector.fromArray(F, tile, t).mul(va).intoArray(c, ci);
                FloatVector.fromArray(F, tile, t + L).mul(va).intoArray(c, ci + L);
            }
        } else {
            FloatVector vb = FloatVector.broadcast(F, beta);
            for (int i = 0; i < MR; i++) {
                int ci = cOff + i * ldc;
                int t = i * NR;
                FloatVector.fromArray(F, tile, t).fma(va, FloatVector.fromArray(F, c, ci).mul(vb)).intoArray(c, ci);
                FloatVector.fromArray(F, tile, t + L).fma(va, FloatVector.fromArray(F, c, ci + L).mul(vb))
                        .intoArray(c, ci + L);
            }
        }
    }

    // ------------------------------------------------------------------ matrix-vector path

    /**
     * The m == 1 and n == 1 shapes, as y = M.x with no packing (each element of the matrix is
     * used once, so the work is bound by reading it). For m == 1, M is B transposed (n x k) and x
     * the row of A; for n == 1, M is A (m x k) and x the column of B.
     */
    static void gemv(int m, int n, int k, float alpha,
                     float[] a, int ao, int ars, int acs,
                     float[] b, int bo, int brs, int bcs,
                     float beta, float[] c, int co, int ldc) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            scaleC(m, n, beta, c, co, ldc);
            return;
        }
        if (m == 1) {
            mv(n, k, alpha, b, bo, bcs, brs, a, ao, acs, beta, c, co, 1);
        } else if (n == 1) {
            mv(m, k, alpha, a, ao, ars, acs, b, bo, brs, beta, c, co, ldc);
        } else {
            throw new IllegalArgumentException("gemv needs m == 1 or n == 1, got " + m + "x" + n);
        }
    }

    /**
     * {@code y[yo + i*ys] = alpha * sum_p M[i, p] * x[p] + beta * y[...]} for {@code i < rows}, with
     * M[i, p] at {@code mat[mo + i*rs + p*cs]} and x[p] at {@code x[xo + p*xs]}.
     */
    private static void mv(int rows, int len, float alpha, float[] mat, int mo, int rs, int cs,
                           float[] x, int xo, int xs, float beta, float[] y, int yo, int ys) {
        float[] xv = x;
        int xOff = xo;
        if (xs != 1 && (cs == 1 || rs == 1)) {
            // Gather x once so that the vector loops below read it contiguously. (A fresh array:
            // other threads read it.)
            xv = new float[len];
            for (int p = 0; p < len; p++) xv[p] = x[xo + p * xs];
            xOff = 0;
        }
        final float[] xf = xv;
        final int xfo = xOff;
        int grainRows = Math.max(1, GEMV_GRAIN / len);
        if (cs == 1) {
            // Rows of M are contiguous: one dot product per output.
            Parallel.parallelFor(0, rows, grainRows, (from, to) -> {
                for (int i = from; i < to; i++) {
                    float s = dotUnit(len, mat, mo + i * rs, xf, xfo);
                    int yi = yo + i * ys;
                    y[yi] = beta == 0f ? alpha * s : alpha * s + beta * y[yi];
                }
            });
        } else if (rs == 1) {
            // Columns of M are contiguous: accumulate x[p] * column p into a buffer of outputs.
            Parallel.parallelFor(0, rows, Math.max(grainRows, L), (from, to) -> {
                int cnt = to - from;
                Workspace ws = WORKSPACE.get();
                if (ws.ap.length < cnt) ws.ap = new float[cnt];
                float[] acc = ws.ap;
                java.util.Arrays.fill(acc, 0, cnt, 0f);
                int ub = F.loopBound(cnt);
                for (int p = 0; p < len; p++) {
                    float xp = xf[xfo + p];
                    FloatVector vx = FloatVector.broadcast(F, xp);
                    int col = mo + from + p * cs;
                    int i = 0;
                    // vectorized part
                    for (; i < ub; i += L) {
                        vx.fma(FloatVector.fromArray(F, mat, col + i), FloatVector.fromArray(F, acc, i))
                                .intoArray(acc, i);
                    }
                    // tail
                    for (; i < cnt; i++) acc[i] += xp * mat[col + i];
                }
                for (int i = 0; i < cnt; i++) {
                    int yi = yo + (from + i) * ys;
                    y[yi] = beta == 0f ? alpha * acc[i] : alpha * acc[i] + beta * y[yi];
                }
            });
        } else {
            for (int i = 0; i < rows; i++) {
                int row = mo + i * rs;
                float s = 0f;
                for (int p = 0; p < len; p++) s += mat[row + p * cs] * x[xo + p * xs];
                int yi = yo + i * ys;
                y[yi] = beta == 0f ? alpha * s : alpha * s + beta * y[yi];
            }
        }
    }

    /** Dot product of two contiguous runs, four independent fma accumulators. */
    static float dotUnit(int n, float[] a, int ao, float[] b, int bo) {
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        int ub4 = n - 4 * L;
        // vectorized part
        for (; i <= ub4; i += 4 * L) {
            s0 = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), s0);
            s1 = FloatVector.fromArray(F, a, ao + i + L).fma(FloatVector.fromArray(F, b, bo + i + L), s1);
            s2 = FloatVector.fromArray(F, a, ao + i + 2 * L).fma(FloatVector.fromArray(F, b, bo + i + 2 * L), s2);
            s3 = FloatVector.fromArray(F, a, ao + i + 3 * L).fma(FloatVector.fromArray(F, b, bo + i + 3 * L), s3);
        }
        int ub = F.loopBound(n);
        for (; i < ub; i += L) {
            s0 = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), s0);
        }
        float s = s0.add(s1).add(s2.add(s3)).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        // tail
        for (; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }
}
