package org.kindling.nn.conv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.kindling.kernel.internal.KernelProvider;
import org.kindling.nn.internal.ConvGeom;
import org.kindling.nn.internal.ConvKernels;

/** Conv kernels against one sgemm of the same size (run with {@code -Dkindling.bench=true}). */
@EnabledIfSystemProperty(named = "kindling.bench", matches = "true")
class ConvKernelBenchmarkTest {
    /** Milliseconds per call: wall time, or this thread's CPU time with -Dkindling.bench.cpu=true (one thread only). */
    private static double time(Runnable r, int warm, int iters) {
        for (int i = 0; i < warm; i++) r.run();
        boolean cpu = Boolean.getBoolean("kindling.bench.cpu");
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long t0 = cpu ? mx.getCurrentThreadCpuTime() : System.nanoTime();
        for (int i = 0; i < iters; i++) r.run();
        return ((cpu ? mx.getCurrentThreadCpuTime() : System.nanoTime()) - t0) / 1e6 / iters;
    }

    @Test
    void kernels() {
        for (int[] c : new int[][] {{1, 32, 28}, {32, 64, 14}}) {
            int cin = c[0], cout = c[1], hw = c[2], n = 64;
            ConvGeom g = new ConvGeom(n, cin, hw, hw, cout, 3, 3, 1, 1, 1, 1, 1, 1, 1, hw, hw);
            float[] x = new float[n * cin * hw * hw], w = new float[cout * cin * 9], b = new float[cout];
            float[] gy = new float[n * cout * hw * hw];
            java.util.Random r = new java.util.Random(1);
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            for (int i = 0; i < gy.length; i++) gy[i] = (float) r.nextGaussian();
            for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
            double f = time(() -> ConvKernels.forward(x, 0, w, 0, b, 0, g), 15, 20);
            double bi = time(() -> ConvKernels.backwardInput(gy, 0, w, 0, g), 15, 20);
            double bw = time(() -> ConvKernels.backwardWeight(x, 0, gy, 0, g), 15, 20);
            int m = cout, nn = n * hw * hw, k = cin * 9;
            float[] a = new float[m * k], bb = new float[k * nn], cc = new float[m * nn];
            double s = time(() -> KernelProvider.get().sgemm(m, nn, k, 1f, a, 0, k, 1, bb, 0, nn, 1, 0f, cc, 0, nn), 15, 20);
            System.out.printf("conv %d->%d %dx%d: fwd %.2f ms, dx %.2f ms, dw %.2f ms; one sgemm %dx%dx%d %.2f ms (%.1f GFLOP/s)%n",
                    cin, cout, hw, hw, f, bi, bw, m, nn, k, s, 2.0 * m * nn * k / s / 1e6);
        }
    }
}
