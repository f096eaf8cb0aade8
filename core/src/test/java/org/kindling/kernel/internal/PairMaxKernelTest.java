package org.kindling.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PairMaxKernelTest {

    @Test
    void simdMatchesScalarAndTheDefinitionIncludingNaN() {
        Kernels simd = KernelProvider.simdOrNull();
        assertNotNull(simd, "surefire runs with --add-modules jdk.incubator.vector");
        Kernels scalar = KernelProvider.scalar();
        SplittableRandom r = new SplittableRandom(9);
        for (int n : new int[] {1, 7, 8, 9, 16, 17, 196, 1025}) {
            float[] a = new float[2 * n + 3];
            for (int i = 0; i < a.length; i++) {
                int kind = r.nextInt(8);
                a[i] = kind == 0 ? Float.NaN : kind == 1 ? -0f : kind == 2 ? Float.NEGATIVE_INFINITY : (float) r.nextGaussian();
            }
            float[] viaSimd = new float[n + 4];
            float[] viaScalar = new float[n + 4];
            viaSimd[0] = viaScalar[0] = 42f;
            viaSimd[n + 1] = viaScalar[n + 1] = 43f;
            simd.pairMax(n, a, 3, viaSimd, 1);
            scalar.pairMax(n, a, 3, viaScalar, 1);
            assertArrayEquals(viaScalar, viaSimd, 0f, "length " + n);
            assertEquals(42f, viaSimd[0], "nothing written before the output");
            assertEquals(43f, viaSimd[n + 1], "nothing written past the output");
            for (int i = 0; i < n; i++) {
                float x = a[3 + 2 * i], y = a[3 + 2 * i + 1];
                float expected = Float.isNaN(x) || Float.isNaN(y) ? Float.NaN : Math.max(x, y);
                assertEquals(expected, viaScalar[1 + i], 0f, "pair " + x + ", " + y);
            }
        }
    }

    @Test
    void rowMaxMatchesScalarOnShortAndLongRows() {
        Kernels simd = KernelProvider.simdOrNull();
        assertNotNull(simd);
        Kernels scalar = KernelProvider.scalar();
        SplittableRandom r = new SplittableRandom(10);
        for (int n : new int[] {1, 7, 8, 14, 15, 16, 28, 33, 100}) {
            float[] a = new float[n + 2], b = new float[n + 5];
            for (int i = 0; i < a.length; i++) a[i] = r.nextInt(9) == 0 ? Float.NaN : (float) r.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = r.nextInt(9) == 0 ? Float.NaN : (float) r.nextGaussian();
            float[] viaSimd = new float[n + 2], viaScalar = new float[n + 2];
            viaSimd[n + 1] = viaScalar[n + 1] = 7f;
            simd.rowMax(n, a, 2, b, 5, viaSimd, 1);
            scalar.rowMax(n, a, 2, b, 5, viaScalar, 1);
            assertArrayEquals(viaScalar, viaSimd, 0f, "length " + n);
            assertEquals(7f, viaSimd[n + 1], "nothing written past the output");
            for (int i = 0; i < n; i++) {
                float x = a[2 + i], y = b[5 + i];
                assertEquals(Float.isNaN(x) || Float.isNaN(y) ? Float.NaN : Math.max(x, y), viaScalar[1 + i], 0f);
            }
        }
    }

    @Test
    void smallKProductMatchesScalarAndATripleLoop() {
        Kernels simd = KernelProvider.simdOrNull();
        assertNotNull(simd);
        Kernels scalar = KernelProvider.scalar();
        SplittableRandom r = new SplittableRandom(11);
        int[][] cases = {{32, 784, 9}, {5, 37, 27}, {3, 16, 1}, {4, 7, 3}};
        for (int[] c : cases) {
            int m = c[0], n = c[1], k = c[2], ldb = n + 3, ldc = n + 5;
            float[] a = new float[2 + m * k], b = new float[1 + k * ldb], bias = new float[m + 1];
            for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
            for (int i = 0; i < bias.length; i++) bias[i] = (float) r.nextGaussian();
            b[1 + 3] = Float.NaN;
            for (boolean relu : new boolean[] {false, true}) {
                float[] viaSimd = new float[m * ldc], viaScalar = new float[m * ldc];
                java.util.Arrays.fill(viaSimd, 9f);
                java.util.Arrays.fill(viaScalar, 9f);
                simd.sgemmSmallK(m, n, k, a, 2, b, 1, ldb, bias, 1, relu, viaSimd, 0, ldc);
                scalar.sgemmSmallK(m, n, k, a, 2, b, 1, ldb, bias, 1, relu, viaScalar, 0, ldc);
                assertArrayEquals(viaScalar, viaSimd, 0f, java.util.Arrays.toString(c));
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < ldc; j++) {
                        float got = viaScalar[i * ldc + j];
                        if (j >= n) {
                            assertEquals(9f, got, "padding of C untouched");
                            continue;
                        }
                        double s = bias[1 + i];
                        for (int p = 0; p < k; p++) s += (double) a[2 + i * k + p] * b[1 + p * ldb + j];
                        if (relu) s = Double.isNaN(s) ? s : Math.max(s, 0);
                        if (Double.isNaN(s)) assertTrue(Float.isNaN(got), "NaN kept");
                        else assertEquals(s, got, 1e-4 * (1 + Math.abs(s)), "C[" + i + "," + j + "]");
                    }
                }
            }
        }
    }
}
