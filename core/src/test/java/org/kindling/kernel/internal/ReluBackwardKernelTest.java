package org.kindling.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReluBackwardKernelTest {

    @Test
    void simdMatchesScalarOnAwkwardLengths() {
        Kernels simd = KernelProvider.simdOrNull();
        assertNotNull(simd, "surefire runs with --add-modules jdk.incubator.vector");
        Kernels scalar = KernelProvider.scalar();
        SplittableRandom r = new SplittableRandom(4);
        for (int n : new int[] {1, 7, 1021, 4099}) {
            float[] g = new float[n + 3];
            float[] y = new float[n + 5];
            for (int i = 0; i < g.length; i++) g[i] = (float) r.nextGaussian();
            for (int i = 0; i < y.length; i++) {
                int kind = r.nextInt(5);
                y[i] = kind == 0 ? 0f : kind == 1 ? Float.NaN : kind == 2 ? -0f : (float) r.nextGaussian();
            }
            float[] a = new float[n + 2];
            float[] b = new float[n + 2];
            simd.reluBackward(n, g, 3, y, 5, a, 2);
            scalar.reluBackward(n, g, 3, y, 5, b, 2);
            assertArrayEquals(b, a, 0f, "length " + n);
            for (int i = 0; i < n; i++) {
                float yi = y[5 + i];
                float expected = yi <= 0f ? 0f : g[3 + i];
                assertEquals(expected, b[2 + i], 0f, "y=" + yi);
            }
        }
    }
}
