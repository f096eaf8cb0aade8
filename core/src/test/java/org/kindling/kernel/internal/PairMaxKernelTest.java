package org.kindling.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
}
