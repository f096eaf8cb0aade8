package org.kindling.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * Checks {@link Sgemm} (through {@link SimdKernels#sgemm} and through each of its internal paths)
 * and {@link ScalarKernels#sgemm} against a double-precision triple loop.
 *
 * <p>Tolerance: a float dot product of length k, summed in any order, is within about
 * {@code k * 2^-24 * sum_p |a_ip * b_pj|} of the exact value; we allow {@code (k + 4) * 2^-24} times that
 * magnitude (plus the beta term). A lost, doubled or misplaced term is about {@code sum/k} in size,
 * far above that bound for the k used here, so the check does catch indexing mistakes.
 */
class SgemmTest {
    private static final float SENTINEL = 12345.5f;

    /** Which implementation entry point a case goes through. */
    enum Path { DISPATCH, BLOCKED, GEMV, SCALAR }

    /**
     * Operand layout: A (m x k) and B (k x n) row-major, transposed, spread out (no unit stride), or
     * expanded (a stride of 0: every row of A, or every column of B, is the same).
     */
    enum Layout { ROW, TRANSPOSED, SPREAD, EXPANDED }

    private static final class Case {
        final int m, n, k;
        final float alpha, beta;
        final Layout la, lb;
        final int ao, bo, co, ldc;
        final float[] a, b, c0;
        final int ars, acs, brs, bcs;

        Case(long seed, int m, int n, int k, float alpha, float beta, Layout la, Layout lb, int ao, int bo, int co,
             int ldcExtra, boolean nanInC) {
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.beta = beta;
            this.la = la;
            this.lb = lb;
            this.ao = ao;
            this.bo = bo;
            this.co = co;
            this.ldc = n + ldcExtra;
            Random r = new Random(seed);
            // A: element (i, p) at ao + i*ars + p*acs.
            switch (la) {
                case ROW -> { ars = k; acs = 1; }
                case TRANSPOSED -> { ars = 1; acs = m; }
                case SPREAD -> { ars = 2 * k + 3; acs = 2; }
                default -> { ars = 0; acs = 1; }
            }
            switch (lb) {
                case ROW -> { brs = n; bcs = 1; }
                case TRANSPOSED -> { brs = 1; bcs = k; }
                case SPREAD -> { brs = 3; bcs = 3 * k + 1; }
                default -> { brs = 1; bcs = 0; }
            }
            a = filled(r, ao + span(m, ars, k, acs) + 5);
            b = filled(r, bo + span(k, brs, n, bcs) + 5);
            c0 = new float[co + Math.max(0, m - 1) * ldc + n + 7];
            java.util.Arrays.fill(c0, SENTINEL);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) c0[co + i * ldc + j] = nanInC ? Float.NaN : r.nextFloat() * 2 - 1;
            }
        }

        private static int span(int rows, int rs, int cols, int cs) {
            return Math.max(0, rows - 1) * rs + Math.max(0, cols - 1) * cs + 1;
        }

        private static float[] filled(Random r, int len) {
            float[] x = new float[len];
            for (int i = 0; i < len; i++) x[i] = r.nextFloat() * 2 - 1;
            return x;
        }

        /** The matrix-vector path only takes m == 1 or n == 1. */
        boolean applies(Path path) {
            return path != Path.GEMV || m == 1 || n == 1;
        }

        float[] run(Path path) {
            float[] c = c0.clone();
            switch (path) {
                case DISPATCH -> new SimdKernels().sgemm(m, n, k, alpha, a, ao, ars, acs, b, bo, brs, bcs, beta, c, co, ldc);
                case BLOCKED -> Sgemm.blocked(m, n, k, alpha, a, ao, ars, acs, b, bo, brs, bcs, beta, c, co, ldc);
                case GEMV -> Sgemm.gemv(m, n, k, alpha, a, ao, ars, acs, b, bo, brs, bcs, beta, c, co, ldc);
                default -> new ScalarKernels().sgemm(m, n, k, alpha, a, ao, ars, acs, b, bo, brs, bcs, beta, c, co, ldc);
            }
            return c;
        }

        void check(Path path) {
            verify(run(path), path.toString());
        }

        void verify(float[] c, String label) {
            String what = label + " " + m + "x" + n + "x" + k + " A=" + la + " B=" + lb + " alpha=" + alpha
                    + " beta=" + beta;
            for (int idx = 0; idx < c.length; idx++) {
                int rel = idx - co;
                boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
                if (!inside) {
                    if (Float.floatToRawIntBits(c[idx]) != Float.floatToRawIntBits(c0[idx])) {
                        fail(what + ": wrote outside C at index " + idx);
                    }
                    continue;
                }
                int i = rel / ldc;
                int j = rel % ldc;
                double exact = 0;
                double mag = 0;
                for (int p = 0; p < k; p++) {
                    double prod = (double) a[ao + i * ars + p * acs] * b[bo + p * brs + j * bcs];
                    exact += prod;
                    mag += Math.abs(prod);
                }
                double want = alpha * exact;
                double scale = Math.abs(alpha) * mag;
                if (beta != 0f) {
                    want += beta * (double) c0[idx];
                    scale += Math.abs(beta * (double) c0[idx]);
                }
                double tol = (k + 4) * 0x1p-24 * scale + 1e-30;
                if (!(Math.abs(c[idx] - want) <= tol)) {
                    fail(what + ": C[" + i + "," + j + "] = " + c[idx] + ", expected " + want + " (tol " + tol + ")");
                }
            }
        }
    }

    private static void checkAllPaths(Case cs) {
        for (Path p : Path.values()) {
            if (cs.applies(p)) cs.check(p);
        }
    }

    @Test
    void tinyShapes() {
        checkAllPaths(new Case(1, 1, 1, 1, 1f, 0f, Layout.ROW, Layout.ROW, 0, 0, 0, 0, false));
        checkAllPaths(new Case(2, 7, 13, 5, 1f, 0f, Layout.ROW, Layout.ROW, 0, 0, 0, 0, false));
        checkAllPaths(new Case(3, 2, 3, 1, 1.5f, 0f, Layout.ROW, Layout.ROW, 0, 0, 0, 0, false));
        checkAllPaths(new Case(4, 5, 1, 9, 1f, 0f, Layout.ROW, Layout.ROW, 0, 0, 0, 0, false));
    }

    @Test
    void edgeTilesInEveryDimension() {
        // Shapes that are not multiples of MR, NR or KC, and some that straddle one block more.
        int[][] shapes = {{65, 33, 129}, {Sgemm.MR + 1, Sgemm.NR - 1, 3}, {Sgemm.MR, Sgemm.NR, Sgemm.KC},
            {Sgemm.MR - 1, Sgemm.NR + 1, Sgemm.KC + 1}, {Sgemm.MC + 5, 40, 2 * Sgemm.KC + 7}, {3, 200, 70}, {200, 3, 70}};
        long seed = 10;
        for (int[] s : shapes) {
            checkAllPaths(new Case(seed++, s[0], s[1], s[2], 1f, 0f, Layout.ROW, Layout.ROW, 0, 0, 0, 0, false));
        }
    }

    @Test
    void largeShapeThroughDispatchAndBlocked() {
        Case cs = new Case(20, 257, 300, 511, 1f, 0f, Layout.ROW, Layout.ROW, 0, 0, 0, 0, false);
        cs.check(Path.DISPATCH);
        cs.check(Path.BLOCKED);
    }

    @Test
    void largeMatrixVectorShapesOnOneAndTwoThreads() {
        int saved = Parallel.numThreads();
        try {
            long seed = 25;
            Layout[] layouts = {Layout.ROW, Layout.TRANSPOSED, Layout.SPREAD};
            for (Layout la : layouts) {
                for (Layout lb : layouts) {
                    // 300 x 500 is above the gemv grain, so on two threads the rows are split.
                    Case row = new Case(seed++, 1, 300, 500, 0.5f, 0.25f, la, lb, 1, 2, 3, 0, false);
                    Case col = new Case(seed++, 300, 1, 500, 0.5f, 0.25f, la, lb, 1, 2, 3, 2, false);
                    for (Case cs : new Case[] {row, col}) {
                        Parallel.setNumThreads(1);
                        checkAllPaths(cs);
                        Parallel.setNumThreads(2);
                        cs.check(Path.DISPATCH);
                        cs.check(Path.GEMV);
                    }
                }
            }
        } finally {
            Parallel.setNumThreads(saved);
        }
    }

    @Test
    void moreColumnsThanOneColumnBlock() {
        // n > NC: several jc blocks, and a last one that is not a multiple of NR.
        Case cs = new Case(21, 13, Sgemm.NC + 37, 9, 1f, 0f, Layout.ROW, Layout.ROW, 0, 0, 0, 0, false);
        cs.check(Path.DISPATCH);
        cs.check(Path.BLOCKED);
    }

    @Test
    void transposedAndSpreadOperands() {
        long seed = 30;
        for (Layout la : Layout.values()) {
            for (Layout lb : Layout.values()) {
                checkAllPaths(new Case(seed++, 37, 45, 71, 1f, 0f, la, lb, 0, 0, 0, 0, false));
                checkAllPaths(new Case(seed++, 1, 45, 71, 1f, 0f, la, lb, 0, 0, 0, 0, false));
                checkAllPaths(new Case(seed++, 37, 1, 71, 1f, 0f, la, lb, 0, 0, 0, 0, false));
                checkAllPaths(new Case(seed++, 4, 5, 6, 1f, 0f, la, lb, 0, 0, 0, 0, false));
            }
        }
    }

    @Test
    void alphaBetaOffsetsAndLeadingDimension() {
        long seed = 50;
        float[][] ab = {{-0.5f, 0.25f}, {2f, 1f}, {1f, -1f}, {0.75f, 0f}};
        for (float[] p : ab) {
            for (int[] s : new int[][] {{3, 4, 5}, {50, 70, 90}, {1, 40, 33}, {40, 1, 33}, {20, 40, Sgemm.KC + 30}}) {
                checkAllPaths(new Case(seed++, s[0], s[1], s[2], p[0], p[1], Layout.ROW, Layout.TRANSPOSED, 7, 11, 13, 9,
                        false));
            }
        }
    }

    @Test
    void betaZeroDoesNotReadC() {
        for (Path p : Path.values()) {
            for (int[] s : new int[][] {{3, 4, 5}, {50, 70, 90}, {1, 40, 33}, {40, 1, 33}, {5, 6, 0}}) {
                Case cs = new Case(60, s[0], s[1], s[2], 1f, 0f, Layout.ROW, Layout.ROW, 0, 0, 0, 3, true);
                if (!cs.applies(p)) continue;
                float[] c = cs.run(p);
                for (int i = 0; i < cs.m; i++) {
                    for (int j = 0; j < cs.n; j++) {
                        assertTrue(Float.isFinite(c[i * cs.ldc + j]), p + ": NaN leaked from C at " + i + "," + j);
                    }
                }
                cs.check(p);
            }
        }
    }

    @Test
    void emptyDepthScalesC() {
        for (Path p : Path.values()) {
            for (int[] s : new int[][] {{3, 4}, {1, 4}, {3, 1}}) {
                Case cs = new Case(70, s[0], s[1], 0, 2f, 0.5f, Layout.ROW, Layout.ROW, 0, 0, 0, 1, false);
                if (!cs.applies(p)) continue;
                float[] c = cs.run(p);
                for (int i = 0; i < s[0]; i++) {
                    for (int j = 0; j < s[1]; j++) {
                        assertEquals(0.5f * cs.c0[i * cs.ldc + j], c[i * cs.ldc + j], 0f);
                    }
                }
            }
        }
    }

    @Test
    void twoThreadsMatchOneThread() {
        int saved = Parallel.numThreads();
        try {
            // Tall (split over rows) and wide (split over columns) problems above the parallel cut-off.
            for (int[] s : new int[][] {{150, 70, 90}, {20, 400, 60}}) {
                Case cs = new Case(80, s[0], s[1], s[2], 0.5f, 0.5f, Layout.ROW, Layout.ROW, 0, 0, 0, 0, false);
                Parallel.setNumThreads(1);
                float[] one = cs.run(Path.DISPATCH);
                Parallel.setNumThreads(2);
                float[] two = cs.run(Path.DISPATCH);
                cs.check(Path.DISPATCH);
                // The split is on micro-tile boundaries and each element's sum runs in the same
                // order either way, so the results are not just close but identical.
                assertArrayEquals(one, two);
            }
        } finally {
            Parallel.setNumThreads(saved);
        }
    }

    @Test
    void bothMicroKernelsOnPackedSlivers() {
        // Only one micro-kernel runs in the tests above (12 rows with 512-bit vectors, 6 otherwise);
        // check both directly on packed slivers: A sliver ap[p*MR + i], B sliver bp[p*NR + j].
        Random r = new Random(95);
        for (int rows : new int[] {6, 12}) {
            for (int kc : new int[] {1, 5, 64}) {
                float[] ap = new float[3 + rows * kc];
                float[] bp = new float[7 + kc * Sgemm.NR];
                for (int i = 0; i < ap.length; i++) ap[i] = r.nextFloat() * 2 - 1;
                for (int i = 0; i < bp.length; i++) bp[i] = r.nextFloat() * 2 - 1;
                float[] tile = new float[rows * Sgemm.NR];
                if (rows == 6) {
                    Sgemm.kernel6(kc, ap, 3, bp, 7, tile);
                } else {
                    Sgemm.kernel12(kc, ap, 3, bp, 7, tile);
                }
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < Sgemm.NR; j++) {
                        double want = 0, mag = 0;
                        for (int p = 0; p < kc; p++) {
                            double prod = (double) ap[3 + p * rows + i] * bp[7 + p * Sgemm.NR + j];
                            want += prod;
                            mag += Math.abs(prod);
                        }
                        assertEquals(want, tile[i * Sgemm.NR + j], (kc + 2) * 0x1p-24 * mag,
                                rows + "-row kernel, kc=" + kc + ", tile[" + i + "," + j + "]");
                    }
                }
            }
        }
    }

    @Test
    void toleranceCatchesAWrongResult() {
        // Guard against a vacuous check: a result off by one average product term must fail it.
        Case cs = new Case(90, 9, 10, 300, 1f, 0f, Layout.ROW, Layout.ROW, 0, 0, 0, 0, false);
        float[] c = cs.run(Path.DISPATCH);
        cs.verify(c, "unchanged");
        double mag = 0;
        for (int p = 0; p < cs.k; p++) mag += Math.abs((double) cs.a[4 * cs.ars + p] * cs.b[p * cs.brs + 5]);
        c[4 * cs.ldc + 5] += (float) (mag / cs.k);
        assertThrows(AssertionFailedError.class, () -> cs.verify(c, "perturbed"));
        float[] d = cs.run(Path.DISPATCH);
        d[d.length - 1] = 0f; // past the last row of C: the "untouched" check must notice
        assertThrows(AssertionFailedError.class, () -> cs.verify(d, "outside"));
    }
}
