package org.kindling.bench.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small System.nanoTime harness for the side-by-side comparison.
 *
 * <p>One {@link Op} is one call of the operation under test (allocating its result, like
 * torch's out-of-place ops). Fast ops are timed in batches of {@code k} calls so that one timed
 * sample lasts at least {@link #MIN_SAMPLE_NS}; a sample's per-op time is the batch time / k.
 */
final class Harness {
    /** A single call of the op under test. */
    @FunctionalInterface
    interface Op {
        void run() throws Exception;
    }

    /** Shortest timed sample: below this, nanoTime resolution and call overhead show. */
    static final long MIN_SAMPLE_NS = 2_000_000L;

    private Harness() {}

    /**
     * Warms {@code op} up for at least {@code warmupNs} and {@code minCalls} calls, and returns
     * an estimate of one call's time in ns (the median of the last calls' times).
     */
    static double warmUp(Op op, long warmupNs, int minCalls) throws Exception {
        long start = System.nanoTime();
        long[] recent = new long[64];
        int calls = 0;
        while (true) {
            long t0 = System.nanoTime();
            op.run();
            long dt = System.nanoTime() - t0;
            recent[calls % recent.length] = dt;
            calls++;
            long elapsed = System.nanoTime() - start;
            if (calls >= minCalls && elapsed >= warmupNs) break;
            if (calls >= 2 && elapsed >= 4 * warmupNs) break; // a very slow op: two calls will do
        }
        long[] tail = Arrays.copyOf(recent, Math.min(calls, recent.length));
        Arrays.sort(tail);
        return Math.max(1, tail[tail.length / 2]);
    }

    /** Calls per timed sample so that a sample lasts at least {@link #MIN_SAMPLE_NS}. */
    static int batchFor(double nsPerCall) {
        return (int) Math.max(1, Math.min(1_000_000, Math.ceil(MIN_SAMPLE_NS / nsPerCall)));
    }

    /** {@code reps} timed samples of {@code batch} calls each; returns per-call times in ns. */
    static List<Double> sample(Op op, int batch, int reps) throws Exception {
        List<Double> out = new ArrayList<>(reps);
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < batch; i++) op.run();
            long dt = System.nanoTime() - t0;
            out.add((double) dt / batch);
        }
        return out;
    }

    static double quantile(List<Double> xs, double q) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (a.length == 0) return Double.NaN;
        double pos = q * (a.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return a[lo] + (a[hi] - a[lo]) * (pos - lo);
    }

    static double median(List<Double> xs) {
        return quantile(xs, 0.5);
    }
}
