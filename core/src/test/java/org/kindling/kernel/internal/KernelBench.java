package org.kindling.kernel.internal;

import java.util.Random;

/**
 * Timing harness (not a unit test): {@code java --add-modules jdk.incubator.vector -cp
 * target/classes:target/test-classes org.kindling.kernel.internal.KernelBench [gemm|elem|all] [sizes] [threads]},
 * e.g. {@code gemm 512,1024 1,2}.
 */
public final class KernelBench {
    private KernelBench() {}

    public static void main(String[] args) {
        String what = args.length > 0 ? args[0] : "all";
        if (what.equals("gemm") || what.equals("all")) {
            gemm(args.length > 1 ? args[1] : "256,512,1024,2048", args.length > 2 ? args[2] : "1,2");
        }
        if (what.equals("elem") || what.equals("all")) elementwise();
    }

    static float[] rand(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = r.nextFloat() * 2 - 1;
        return x;
    }

    /**
     * GFLOPS per size and thread count. The machine is shared, so each call is timed on its own
     * and the best and median calls are reported (the best is the least disturbed). The rate per
     * CPU-second of all threads leaves out time spent descheduled: with 2 threads it shows whether
     * each thread still runs at the 1-thread rate, i.e. whether 2 free cores would double it.
     */
    static void gemm(String sizes, String threadCounts) {
        Kernels simd = new SimdKernels();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        // Warm up every path (small, blocked, parallel) so the JIT has compiled them all.
        for (int n : new int[] {8, 33, 100, 300}) {
            float[] a = rand(n * n, 1), b = rand(n * n, 2), c = new float[n * n];
            long until = System.nanoTime() + 700_000_000L;
            while (System.nanoTime() < until) simd.sgemm(n, n, n, 1f, a, 0, n, 1, b, 0, n, 1, 0f, c, 0, n);
        }
        for (String tc : threadCounts.split(",")) {
            int threads = Integer.parseInt(tc.trim());
            Parallel.setNumThreads(threads);
            for (String s : sizes.split(",")) {
                int n = Integer.parseInt(s.trim());
                float[] a = rand(n * n, 1), b = rand(n * n, 2), c = new float[n * n];
                double flops = 2.0 * n * n * n;
                int calls = (int) Math.max(8, Math.min(400, 4e10 / flops));
                for (int w = 0; w < Math.max(3, calls / 4); w++) simd.sgemm(n, n, n, 1f, a, 0, n, 1, b, 0, n, 1, 0f, c, 0, n);
                double[] wall = new double[calls];
                double bestCpu = Double.MAX_VALUE;
                for (int r = 0; r < calls; r++) {
                    long c0 = allThreadsCpu(mx);
                    long t0 = System.nanoTime();
                    simd.sgemm(n, n, n, 1f, a, 0, n, 1, b, 0, n, 1, 0f, c, 0, n);
                    wall[r] = (System.nanoTime() - t0) / 1e9;
                    bestCpu = Math.min(bestCpu, (allThreadsCpu(mx) - c0) / 1e9);
                }
                java.util.Arrays.sort(wall);
                System.out.printf("sgemm n=%5d threads=%d  best %6.1f GFLOPS  median %6.1f GFLOPS"
                        + "  (per CPU-second of all threads: %6.1f)%n", n, threads,
                        flops / wall[0] / 1e9, flops / wall[calls / 2] / 1e9, flops / bestCpu / 1e9);
            }
        }
        Parallel.setNumThreads(Runtime.getRuntime().availableProcessors());
    }

    /** CPU time used so far by every live thread (the caller and the pool's workers). */
    static long allThreadsCpu(java.lang.management.ThreadMXBean mx) {
        long total = 0;
        for (long id : mx.getAllThreadIds()) {
            long t = mx.getThreadCpuTime(id);
            if (t > 0) total += t;
        }
        return total;
    }

    interface Body {
        void run();
    }

    static double time(Body body, int reps) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 7; round++) {
            long t0 = System.nanoTime();
            for (int r = 0; r < reps; r++) body.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9 / reps);
        }
        return best;
    }

    static void elementwise() {
        Kernels simd = new SimdKernels();
        Kernels scalar = new ScalarKernels();
        int n = 1 << 16;
        float[] a = rand(n, 3), b = rand(n, 4), out = new float[n];
        float[] pos = new float[n];
        for (int i = 0; i < n; i++) pos[i] = Math.abs(a[i]) + 1e-3f;
        int reps = 300;
        for (Kernels kk : new Kernels[] {scalar, simd}) {
            for (BinaryOp op : new BinaryOp[] {BinaryOp.ADD, BinaryOp.MUL, BinaryOp.MAX}) {
                double t = time(() -> kk.binary(op, n, a, 0, 1, b, 0, 1, out, 0, 1), reps);
                System.out.printf("%-6s binary %-4s n=%d: %.3f ns/elem%n", kk.name(), op, n, t * 1e9 / n);
            }
            for (UnaryOp op : new UnaryOp[] {UnaryOp.RELU, UnaryOp.SQRT, UnaryOp.EXP, UnaryOp.LOG, UnaryOp.TANH,
                    UnaryOp.SIGMOID, UnaryOp.SILU}) {
                float[] in = op == UnaryOp.LOG || op == UnaryOp.SQRT ? pos : a;
                double t = time(() -> kk.unary(op, n, in, 0, 1, out, 0, 1), reps / 3);
                System.out.printf("%-6s unary  %-7s n=%d: %.3f ns/elem%n", kk.name(), op, n, t * 1e9 / n);
            }
            float[] wide = rand(2 * n, 6);
            for (UnaryOp op : new UnaryOp[] {UnaryOp.RELU, UnaryOp.EXP}) {
                double t = time(() -> kk.unary(op, n, wide, 0, 2, out, 0, 1), reps / 3);
                System.out.printf("%-6s unary  %-7s n=%d input stride 2: %.3f ns/elem%n", kk.name(), op, n, t * 1e9 / n);
            }
            float[] sink = new float[1];
            double t = time(() -> sink[0] += kk.sum(n, a, 0, 1), reps);
            System.out.printf("%-6s sum n=%d: %.3f ns/elem%n", kk.name(), n, t * 1e9 / n);
            t = time(() -> sink[0] += kk.dot(n, a, 0, 1, b, 0, 1), reps);
            System.out.printf("%-6s dot n=%d: %.3f ns/elem%n", kk.name(), n, t * 1e9 / n);
            t = time(() -> sink[0] += kk.max(n, a, 0, 1), reps);
            System.out.printf("%-6s max n=%d: %.3f ns/elem%n", kk.name(), n, t * 1e9 / n);
            int row = 1024;
            t = time(() -> {
                for (int r = 0; r < n; r += row) kk.softmax(row, a, r, out, r, false);
            }, reps / 3);
            System.out.printf("%-6s softmax rows of %d: %.3f ns/elem%n", kk.name(), row, t * 1e9 / n);
            t = time(() -> {
                for (int r = 0; r < n; r += row) kk.softmax(row, a, r, out, r, true);
            }, reps / 3);
            System.out.printf("%-6s logsoftmax rows of %d: %.3f ns/elem%n", kk.name(), row, t * 1e9 / n);
            int d = 1024;
            float[] src = rand(d * d, 5), dst = new float[d * d];
            t = time(() -> kk.copy2d(d, d, src, 0, 1, d, dst, 0, d, 1), 10);
            System.out.printf("%-6s copy2d transpose %dx%d: %.3f ms%n", kk.name(), d, d, t * 1e3);
            if (sink[0] == 12345f) System.out.println();
        }
    }
}
