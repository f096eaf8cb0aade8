package org.kindling.kernel.internal;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one way Kindling runs work on several cores: {@link #parallelFor} splits an index range
 * into chunks for a private fork/join pool, and runs sequentially below a grain size or when
 * one thread is configured.
 *
 * <p>Threads: {@code -Dkindling.threads=N}, else the number of available processors;
 * {@link #setNumThreads} changes it at run time ({@code torch.set_num_threads}).
 */
public final class Parallel {
    /** Elements of simple elementwise work below which splitting costs more than it saves. */
    public static final int ELEMENTWISE_GRAIN = 1 << 15;

    /** Body of a parallel loop over {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static volatile int numThreads = initialThreads();
    private static volatile ForkJoinPool pool;

    private Parallel() {}

    private static int initialThreads() {
        String p = System.getProperty("kindling.threads");
        if (p != null && !p.isBlank()) {
            try {
                int n = Integer.parseInt(p.trim());
                if (n >= 1) return n;
            } catch (NumberFormatException ignored) {
                // fall through to the default below
            }
            System.getLogger("org.kindling").log(System.Logger.Level.WARNING,
                    "ignoring -Dkindling.threads=" + p + ": expected a positive integer");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    public static int numThreads() {
        return numThreads;
    }

    public static synchronized void setNumThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("number of threads must be >= 1, got " + n);
        if (n != numThreads) {
            ForkJoinPool old = pool;
            pool = null;
            numThreads = n;
            if (old != null) old.shutdown();
        }
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    // (getPoolIndex() is not assigned yet when the factory runs, so count here.)
                    AtomicInteger ids = new AtomicInteger();
                    p = new ForkJoinPool(numThreads, pool -> {
                        var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                        t.setName("kindling-worker-" + ids.getAndIncrement());
                        t.setDaemon(true);
                        return t;
                    }, null, false);
                    pool = p;
                }
            }
        }
        return p;
    }

    /**
     * Runs {@code body} over {@code [start, end)} in chunks of at least {@code grain} indices,
     * on up to {@link #numThreads()} threads. Returns when every chunk is done; an exception in
     * any chunk is rethrown here.
     */
    public static void parallelFor(int start, int end, int grain, RangeBody body) {
        int n = end - start;
        if (n <= 0) return;
        int threads = numThreads;
        if (threads <= 1 || n <= grain || ForkJoinTask.inForkJoinPool()) {
            body.run(start, end);
            return;
        }
        int chunks = (int) Math.min(threads, (n + (long) grain - 1) / Math.max(grain, 1));
        if (chunks <= 1) {
            body.run(start, end);
            return;
        }
        // The caller runs the first chunk itself: one wake-up fewer, and no idle caller while
        // workers run (the fork/join round trip was longer than a 1e6-element sum).
        int firstEnd = start + (int) ((long) n / chunks);
        ForkJoinTask<Void> rest = pool().submit(new Chunks(firstEnd, end, chunks - 1, body));
        Throwable failure = null;
        try {
            body.run(start, firstEnd);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        try {
            rest.join();
        } catch (RuntimeException | Error e) {
            if (failure == null) failure = e;
        }
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error er) throw er;
    }

    private static final class Chunks extends RecursiveAction {
        private final int start;
        private final int end;
        private final int chunks;
        private final RangeBody body;

        Chunks(int start, int end, int chunks, RangeBody body) {
            this.start = start;
            this.end = end;
            this.chunks = chunks;
            this.body = body;
        }

        @Override
        protected void compute() {
            if (chunks == 1) {
                body.run(start, end);
                return;
            }
            int leftChunks = chunks / 2;
            int mid = start + (int) ((long) (end - start) * leftChunks / chunks);
            invokeAll(new Chunks(start, mid, leftChunks, body), new Chunks(mid, end, chunks - leftChunks, body));
        }
    }
}
