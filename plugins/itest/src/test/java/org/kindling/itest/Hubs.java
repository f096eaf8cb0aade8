package org.kindling.itest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.kindling.hub.Hub;

/** Starting hubs for tests, and waiting for conditions. */
public final class Hubs {

    private Hubs() {
    }

    /** A hub in {@code home} polling its deploy folder every 250 ms. */
    public static Hub start(Path home) {
        return Hub.builder().home(home).property("felix.fileinstall.poll", "250").start();
    }

    /**
     * Polls a condition every 25 ms.
     *
     * @return the milliseconds it took
     * @throws AssertionError naming {@code what} if it does not hold within {@code timeout}
     */
    public static long await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what);
            }
            Thread.sleep(25);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
