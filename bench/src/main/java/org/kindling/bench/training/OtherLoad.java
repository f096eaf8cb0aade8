package org.kindling.bench.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used by everything but this JVM, from {@code /proc/stat} (all CPUs, busy ticks) minus
 * {@code /proc/self/stat} (this process, all threads). On a 2-core machine shared with builds and
 * tests, a burst of outside work makes the 2-thread figures meaningless (libtorch's OpenMP barriers
 * suffer most), so each timed phase records how many cores others used meanwhile. Linux only;
 * elsewhere it reports NaN.
 */
final class OtherLoad {
    private final long busy0;
    private final long self0;
    private final long t0;

    private OtherLoad(long busy, long self, long t) {
        busy0 = busy;
        self0 = self;
        t0 = t;
    }

    static OtherLoad start() {
        return new OtherLoad(systemBusy(), selfTicks(), System.nanoTime());
    }

    /** Average number of cores used by other processes (and the kernel) since start(). */
    double cores() {
        long busy = systemBusy(), self = selfTicks();
        long dt = System.nanoTime() - t0;
        if (busy < 0 || self < 0 || busy0 < 0 || self0 < 0 || dt <= 0) return Double.NaN;
        double ticks = (busy - busy0) - (self - self0);
        return Math.max(0, ticks / 100.0 / (dt / 1e9));   // USER_HZ = 100
    }

    /** user + nice + system + irq + softirq + steal, over all CPUs, in ticks; -1 if unavailable. */
    private static long systemBusy() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long sum = 0;
                    int[] busy = {1, 2, 3, 6, 7, 8};
                    for (int i : busy) if (i < f.length) sum += Long.parseLong(f[i]);
                    return sum;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** utime + stime of this process (all its threads), in ticks; -1 if unavailable. */
    private static long selfTicks() {
        try {
            String s = Files.readString(Path.of("/proc/self/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split("\\s+");
            // after "pid (comm) ": state is field 0, utime field 11, stime field 12
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
