package org.kindling.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void everyIndexRunsExactlyOnce() {
        int saved = Parallel.numThreads();
        try {
            for (int threads : new int[] {1, 2, 3}) {
                Parallel.setNumThreads(threads);
                for (int[] range : new int[][] {{0, 1}, {0, 7}, {5, 1000}, {0, 100_003}}) {
                    for (int grain : new int[] {1, 10, 1 << 15}) {
                        AtomicIntegerArray hits = new AtomicIntegerArray(range[1]);
                        Parallel.parallelFor(range[0], range[1], grain, (from, to) -> {
                            for (int i = from; i < to; i++) hits.incrementAndGet(i);
                        });
                        for (int i = 0; i < range[1]; i++) {
                            assertEquals(i >= range[0] ? 1 : 0, hits.get(i), "index " + i);
                        }
                    }
                }
            }
        } finally {
            Parallel.setNumThreads(saved);
        }
    }

    @Test
    void workerThreadsHaveDistinctNames() {
        int saved = Parallel.numThreads();
        try {
            Parallel.setNumThreads(3);
            Map<Long, String> names = new ConcurrentHashMap<>();
            String caller = Thread.currentThread().getName();
            for (int r = 0; r < 50; r++) {
                Parallel.parallelFor(0, 3, 1, (from, to) -> {
                    names.put(Thread.currentThread().getId(), Thread.currentThread().getName());
                    long t = System.nanoTime();
                    while (System.nanoTime() - t < 100_000) {
                        Thread.onSpinWait();
                    }
                });
            }
            assertEquals(names.size(), names.values().stream().distinct().count(), names.toString());
            // The caller runs the first chunk itself; every other chunk runs on a named worker.
            assertTrue(names.containsValue(caller), "the calling thread takes a chunk: " + names);
            names.values().stream().filter(n -> !n.equals(caller))
                    .forEach(n -> assertTrue(n.startsWith("kindling-worker-"), n));
            assertTrue(names.size() >= 2, "work is spread over threads: " + names);
        } finally {
            Parallel.setNumThreads(saved);
        }
    }

    @Test
    void exceptionsReachTheCaller() {
        int saved = Parallel.numThreads();
        try {
            Parallel.setNumThreads(2);
            assertThrows(IllegalStateException.class, () -> Parallel.parallelFor(0, 100, 1, (from, to) -> {
                if (to == 100) throw new IllegalStateException("boom");
            }));
        } finally {
            Parallel.setNumThreads(saved);
        }
    }
}
