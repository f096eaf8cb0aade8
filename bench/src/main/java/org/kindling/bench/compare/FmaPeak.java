package org.kindling.bench.compare;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.DoubleAdder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * This machine's FP32 peak as seen from Java: each thread runs a loop of 12 independent
 * {@code FloatVector.fma} chains (enough to cover FMA latency x FMA ports on current x86 cores),
 * so the loop is bound by FMA throughput alone. Flops = 2 x lanes x 12 per iteration.
 */
public final class FmaPeak {
    private FmaPeak() {}

    private static final float MUL = 0.99999f;
    private static final float ADD = 1e-3f;

    private static final VectorSpecies<Float> PREFERRED = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;

    /**
     * One thread's loop on species {@code s} (the preferred one or the 256-bit one): returns a
     * value so that nothing is dead code. The species must be a constant for C2 to emit vector
     * instructions, hence one copy of the loop per species.
     */
    public static float loop(VectorSpecies<Float> s, long iters) {
        if (s == PREFERRED) return loopPreferred(iters);
        if (s == S256) return loop256(iters);
        throw new IllegalArgumentException("unsupported species " + s);
    }

    private static float loopPreferred(long iters) {
        FloatVector m = FloatVector.broadcast(PREFERRED, MUL);
        FloatVector c = FloatVector.broadcast(PREFERRED, ADD);
        FloatVector a0 = FloatVector.broadcast(PREFERRED, 0.1f), a1 = FloatVector.broadcast(PREFERRED, 0.2f);
        FloatVector a2 = FloatVector.broadcast(PREFERRED, 0.3f), a3 = FloatVector.broadcast(PREFERRED, 0.4f);
        FloatVector a4 = FloatVector.broadcast(PREFERRED, 0.5f), a5 = FloatVector.broadcast(PREFERRED, 0.6f);
        FloatVector a6 = FloatVector.broadcast(PREFERRED, 0.7f), a7 = FloatVector.broadcast(PREFERRED, 0.8f);
        FloatVector a8 = FloatVector.broadcast(PREFERRED, 0.9f), a9 = FloatVector.broadcast(PREFERRED, 1.0f);
        FloatVector a10 = FloatVector.broadcast(PREFERRED, 1.1f), a11 = FloatVector.broadcast(PREFERRED, 1.2f);
        for (long i = 0; i < iters; i++) {
            a0 = a0.fma(m, c); a1 = a1.fma(m, c); a2 = a2.fma(m, c); a3 = a3.fma(m, c);
            a4 = a4.fma(m, c); a5 = a5.fma(m, c); a6 = a6.fma(m, c); a7 = a7.fma(m, c);
            a8 = a8.fma(m, c); a9 = a9.fma(m, c); a10 = a10.fma(m, c); a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }

    private static float loop256(long iters) {
        FloatVector m = FloatVector.broadcast(S256, MUL);
        FloatVector c = FloatVector.broadcast(S256, ADD);
        FloatVector a0 = FloatVector.broadcast(S256, 0.1f), a1 = FloatVector.broadcast(S256, 0.2f);
        FloatVector a2 = FloatVector.broadcast(S256, 0.3f), a3 = FloatVector.broadcast(S256, 0.4f);
        FloatVector a4 = FloatVector.broadcast(S256, 0.5f), a5 = FloatVector.broadcast(S256, 0.6f);
        FloatVector a6 = FloatVector.broadcast(S256, 0.7f), a7 = FloatVector.broadcast(S256, 0.8f);
        FloatVector a8 = FloatVector.broadcast(S256, 0.9f), a9 = FloatVector.broadcast(S256, 1.0f);
        FloatVector a10 = FloatVector.broadcast(S256, 1.1f), a11 = FloatVector.broadcast(S256, 1.2f);
        for (long i = 0; i < iters; i++) {
            a0 = a0.fma(m, c); a1 = a1.fma(m, c); a2 = a2.fma(m, c); a3 = a3.fma(m, c);
            a4 = a4.fma(m, c); a5 = a5.fma(m, c); a6 = a6.fma(m, c); a7 = a7.fma(m, c);
            a8 = a8.fma(m, c); a9 = a9.fma(m, c); a10 = a10.fma(m, c); a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }

    static volatile float sink;

    /** GFLOPS of {@code threads} threads running the loop at once on species {@code s}. */
    public static double measure(VectorSpecies<Float> s, int threads, long itersPerThread) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        DoubleAdder acc = new DoubleAdder();
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                acc.add(loop(s, itersPerThread));
            }, "fma-peak-" + t);
            ts[t].start();
        }
        ready.await();
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread t : ts) t.join();
        long dt = System.nanoTime() - t0;
        sink = (float) acc.sum();
        double flops = 2.0 * s.length() * 12 * itersPerThread * threads;
        return flops / dt;
    }

    /** Best of several runs (the peak is a maximum, so noise only lowers it). */
    public static double peak(VectorSpecies<Float> s, int threads) throws InterruptedException {
        for (int i = 0; i < 20; i++) loop(s, 100_000); // JIT warm-up: compiles loop() itself, not only an OSR copy
        measure(s, threads, 2_000_000);
        long iters = 20_000_000L * 16 / s.length(); // about 0.1-0.3 s per run
        double best = 0;
        for (int i = 0; i < 7; i++) best = Math.max(best, measure(s, threads, iters));
        return best;
    }

    /** Peak over the preferred species and the 256-bit one, in GFLOPS. */
    public static double peak(int threads) throws InterruptedException {
        double p = peak(FloatVector.SPECIES_PREFERRED, threads);
        if (FloatVector.SPECIES_PREFERRED.vectorBitSize() != 256) {
            p = Math.max(p, peak(FloatVector.SPECIES_256, threads));
        }
        return p;
    }

    public static void main(String[] args) throws Exception {
        int[] threads = args.length == 0 ? new int[] {1, 2}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.println("preferred species: " + FloatVector.SPECIES_PREFERRED);
        for (int t : threads) {
            System.out.printf("threads=%d  %d-bit: %.1f GFLOPS%n", t,
                    FloatVector.SPECIES_PREFERRED.vectorBitSize(), peak(FloatVector.SPECIES_PREFERRED, t));
            if (FloatVector.SPECIES_PREFERRED.vectorBitSize() != 256) {
                System.out.printf("threads=%d  256-bit: %.1f GFLOPS%n", t, peak(FloatVector.SPECIES_256, t));
            }
        }
    }
}
