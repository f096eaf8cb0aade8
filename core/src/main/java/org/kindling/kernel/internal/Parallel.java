package org.kindling.kernel.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one way Kindling runs work on several cores: {@link #parallelFor} splits an index range
 * into one chunk per thread; the caller runs the first chunk and a team of worker threads the
 * others. Below a grain size, with one thread, inside a worker, or while another thread's
 * parallel loop holds the team, the loop runs sequentially in the caller.
 *
 * <p>Workers spin briefly before parking (as OpenMP runtimes do), because a training step runs
 * hundreds of short parallel loops back to back and waking a parked thread costs tens of
 * microseconds, more than many of those loops take. {@code -Dkindling.spinMicros=N} (default
 * 200) sets how long; 0 parks at once.
 *
 * <p>Threads: {@code -Dkindling.threads=N}, else the number of available processors;
 * {@link #setNumThreads} changes it at run time ({@code torch.set_num_threads}).
 */
public final class Parallel {
    /** Elements of simple elementwise work below which splitting costs more than it saves. */
    public static final int ELEMENTWISE_GRAIN = 1 << 15;

    private static final long SPIN_NANOS = Math.max(0, Long.getLong("kindling.spinMicros", 200)) * 1000;

    /** Body of a parallel loop over {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static volatile int numThreads = initialThreads();
    private static volatile Team team;
    private static final ReentrantLock TEAM_LOCK = new ReentrantLock();

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
        if (n == numThreads) return;
        TEAM_LOCK.lock();
        try {
            Team old = team;
            team = null;
            numThreads = n;
            if (old != null) old.shutdown();
        } finally {
            TEAM_LOCK.unlock();
        }
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
        if (threads <= 1 || n <= grain || Thread.currentThread() instanceof Worker) {
            body.run(start, end);
            return;
        }
        int chunks = (int) Math.min(threads, (n + (long) grain - 1) / Math.max(grain, 1));
        if (chunks <= 1 || !TEAM_LOCK.tryLock()) {
            body.run(start, end);
            return;
        }
        try {
            Team t = team;
            if (t == null || t.size() < chunks - 1) {
                if (t != null) t.shutdown();
                t = new Team(numThreads - 1);
                team = t;
            }
            t.run(start, end, chunks, body);
        } finally {
            TEAM_LOCK.unlock();
        }
    }

    /** Worker threads and the job they share; only the holder of TEAM_LOCK starts jobs. */
    private static final class Team {
        private final Worker[] workers;
        private final AtomicInteger pending = new AtomicInteger();
        private volatile int generation;
        private volatile boolean shutdown;
        private volatile Throwable failure;
        private volatile Thread caller;
        // Written before the volatile generation bump, read after it.
        private int jobStart;
        private int jobEnd;
        private int jobChunks;
        private RangeBody jobBody;

        Team(int size) {
            workers = new Worker[size];
            for (int i = 0; i < size; i++) {
                workers[i] = new Worker(this, i);
                workers[i].start();
            }
        }

        int size() {
            return workers.length;
        }

        int bound(int chunk) {
            return jobStart + (int) ((long) (jobEnd - jobStart) * chunk / jobChunks);
        }

        void run(int start, int end, int chunks, RangeBody body) {
            jobStart = start;
            jobEnd = end;
            jobChunks = chunks;
            jobBody = body;
            failure = null;
            caller = Thread.currentThread();
            pending.set(chunks - 1);
            generation = generation + 1;
            for (int i = 0; i < chunks - 1; i++) LockSupport.unpark(workers[i]);
            Throwable own = null;
            try {
                body.run(start, bound(1));
            } catch (RuntimeException | Error e) {
                own = e;
            }
            long t0 = System.nanoTime();
            while (pending.get() > 0) {
                if (System.nanoTime() - t0 < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, 100_000);
                }
            }
            jobBody = null;
            Throwable f = own != null ? own : failure;
            if (f instanceof RuntimeException re) throw re;
            if (f instanceof Error er) throw er;
        }

        void shutdown() {
            shutdown = true;
            for (Worker w : workers) LockSupport.unpark(w);
        }
    }

    private static final AtomicInteger WORKER_IDS = new AtomicInteger();

    /** Runs chunk {@code index + 1} of every job it is needed for. */
    private static final class Worker extends Thread {
        private final Team team;
        private final int index;

        Worker(Team team, int index) {
            super("kindling-worker-" + WORKER_IDS.getAndIncrement());
            this.team = team;
            this.index = index;
            setDaemon(true);
        }

        @Override
        public void run() {
            // Generations start at 0 when the team is built; reading team.generation here instead
            // could miss a job published before this thread got to run.
            int seen = 0;
            while (true) {
                long t0 = System.nanoTime();
                int g;
                while ((g = team.generation) == seen && !team.shutdown) {
                    if (System.nanoTime() - t0 < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(team);
                    }
                }
                if (team.shutdown) return;
                seen = g;
                int chunk = index + 1;
                if (chunk < team.jobChunks) {
                    try {
                        team.jobBody.run(team.bound(chunk), team.bound(chunk + 1));
                    } catch (RuntimeException | Error e) {
                        if (team.failure == null) team.failure = e;
                    }
                    if (team.pending.decrementAndGet() == 0) LockSupport.unpark(team.caller);
                }
            }
        }
    }
}
