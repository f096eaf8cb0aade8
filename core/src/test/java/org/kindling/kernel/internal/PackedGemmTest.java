package org.kindling.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * {@link Kernels#sgemmPacked} against a double-precision triple loop, for both providers, on shapes
 * that cross the packing blocks (n above NC = 2048, k above KC = 512), edge slivers, both B layouts
 * and accumulation into C (beta = 1). The same packed operand is reused for several A's, as the
 * recurrences do.
 */
class PackedGemmTest {

    @ParameterizedTest(name = "m={0} n={1} k={2} transposedB={3} beta={4}")
    @CsvSource({
        "32, 512, 128, true, 1", "32, 128, 512, false, 0", "1, 33, 7, false, 0", "13, 31, 5, true, 1",
        "25, 2100, 20, false, 1", "7, 40, 1100, true, 0", "3, 2050, 530, false, 1",
        // few slivers, many rows: split by rows over the threads
        "64, 128, 300, true, 1", "70, 60, 500, false, 0"
    })
    void matchesTripleLoop(int m, int n, int k, boolean transposedB, float beta) {
        Random r = new Random(m * 31L + n * 7L + k);
        float[] b = new float[k * n];
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() * 2 - 1;
        // B's element (p, j) at p*brs + j*bcs: row-major, or stored transposed as a weight W[n, k].
        int brs = transposedB ? 1 : n, bcs = transposedB ? k : 1;
        for (Kernels kernels : new Kernels[] {new ScalarKernels(), new SimdKernels()}) {
            Kernels.PackedRhs packed = kernels.packRhs(k, n, b, 0, brs, bcs);
            assertEquals(k, packed.k());
            assertEquals(n, packed.n());
            for (int rep = 0; rep < 2; rep++) {
                int ao = 3, co = 5, ldc = n + 2;
                float[] a = new float[ao + m * k];
                for (int i = ao; i < a.length; i++) a[i] = r.nextFloat() * 2 - 1;
                float[] c = new float[co + m * ldc];
                for (int i = 0; i < c.length; i++) c[i] = r.nextFloat();
                float[] c0 = c.clone();
                kernels.sgemmPacked(m, 0.5f, a, ao, k, 1, packed, beta, c, co, ldc);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0, mag = 0;
                        for (int p = 0; p < k; p++) {
                            double t = (double) a[ao + i * k + p] * b[p * brs + j * bcs];
                            s += t;
                            mag += Math.abs(t);
                        }
                        int ci = co + i * ldc + j;
                        double want = 0.5 * s + beta * c0[ci];
                        double tol = (k + 4) * 0x1p-24 * (0.5 * mag + Math.abs(beta * c0[ci])) + 1e-30;
                        assertEquals(want, c[ci], tol, kernels.name() + " C[" + i + "," + j + "]");
                    }
                    // Padding between rows is never written.
                    for (int j = n; j < ldc && i < m - 1; j++) assertEquals(c0[co + i * ldc + j], c[co + i * ldc + j]);
                }
                assertEquals(c0[0], c[0], "before C");
            }
        }
    }

    @ParameterizedTest(name = "packed A: m={0} n={1} k={2} transposedA={3} beta={4}")
    @CsvSource({
        "64, 196, 288, false, 0", "32, 784, 9, false, 0", "150, 70, 600, true, 1", "13, 31, 5, false, 1",
        "1, 40, 1100, true, 0", "145, 2100, 20, false, 1"
    })
    void packedLeftOperandMatchesTripleLoop(int m, int n, int k, boolean transposedA, float beta) {
        Random r = new Random(m * 17L + n * 5L + k);
        float[] a = new float[2 + m * k];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() * 2 - 1;
        // A's element (i, p) at 2 + i*ars + p*acs: row-major (a weight [m, k]) or stored transposed.
        int ars = transposedA ? 1 : k, acs = transposedA ? m : 1;
        for (Kernels kernels : new Kernels[] {new ScalarKernels(), new SimdKernels()}) {
            Kernels.PackedLhs packed = kernels.packLhs(m, k, a, 2, ars, acs);
            assertEquals(m, packed.m());
            assertEquals(k, packed.k());
            for (int rep = 0; rep < 2; rep++) {
                int bo = 1, co = 5, ldc = n + 3;
                float[] b = new float[bo + k * n];
                for (int i = bo; i < b.length; i++) b[i] = r.nextFloat() * 2 - 1;
                float[] c = new float[co + m * ldc];
                for (int i = 0; i < c.length; i++) c[i] = r.nextFloat();
                float[] c0 = c.clone();
                kernels.sgemmPackedLhs(packed, n, 0.5f, b, bo, n, 1, beta, c, co, ldc);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0, mag = 0;
                        for (int p = 0; p < k; p++) {
                            double t = (double) a[2 + i * ars + p * acs] * b[bo + p * n + j];
                            s += t;
                            mag += Math.abs(t);
                        }
                        int ci = co + i * ldc + j;
                        double want = 0.5 * s + beta * c0[ci];
                        double tol = (k + 4) * 0x1p-24 * (0.5 * mag + Math.abs(beta * c0[ci])) + 1e-30;
                        assertEquals(want, c[ci], tol, kernels.name() + " C[" + i + "," + j + "]");
                    }
                    for (int j = n; j < ldc && i < m - 1; j++) assertEquals(c0[co + i * ldc + j], c[co + i * ldc + j]);
                }
                assertEquals(c0[0], c[0], "before C");
            }
        }
    }

    @Test
    void rejectsAnOperandPackedByTheOtherProvider() {
        float[] b = new float[12];
        Kernels.PackedRhs scalarPacked = new ScalarKernels().packRhs(3, 4, b, 0, 4, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SimdKernels().sgemmPacked(2, 1f, new float[6], 0, 3, 1, scalarPacked, 0f, new float[8], 0, 4));
        assertEquals(true, e.getMessage().startsWith("operand was not packed by the simd kernels"));
    }
}
