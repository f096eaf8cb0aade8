package org.kindling.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.hub.Hub;
import org.kindling.plugin.RunRequest;
import org.kindling.plugin.RunStatus;
import org.kindling.plugin.WorkloadResult;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Installs, uses and uninstalls the test plugin 50 times in one hub: every plugin class loader must become
 * collectable, and the thread count must not grow.
 */
class LeakTest {

    private static final int CYCLES = 50;

    @TempDir
    Path home;

    @Test
    void fiftyInstallUninstallCyclesLeakNoClassLoaderAndNoThread() throws Exception {
        Path jar = TestPlugins.version(home.resolve("leak.jar"), "1.0.0");
        try (Hub hub = Hubs.start(home)) {
            BundleContext context = hub.bundleContext();
            cycle(hub, context, jar); // warm-up: the runner's pool, SCR's and the JIT's threads exist from here on
            int threadsBefore = liveThreads();
            List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < CYCLES; i++) {
                loaders.add(cycle(hub, context, jar));
            }
            long cycleMillis = (System.nanoTime() - t0) / 1_000_000 / CYCLES;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (loaders.stream().anyMatch(r -> r.get() != null) && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(50);
            }
            long alive = loaders.stream().filter(r -> r.get() != null).count();
            assertEquals(0, alive, alive + " of " + CYCLES + " plugin class loaders are still reachable after GC");
            int threadsAfter = liveThreads();
            System.out.printf("leak test: %d cycles, %d ms per cycle, threads %d -> %d%n", CYCLES, cycleMillis,
                    threadsBefore, threadsAfter);
            assertTrue(threadsAfter <= threadsBefore + 1, "threads grew from " + threadsBefore + " to " + threadsAfter
                    + ": " + Thread.getAllStackTraces().keySet());
        }
    }

    /** Installs the plugin, runs one of its workloads, uninstalls and refreshes; returns its class loader weakly. */
    private static WeakReference<ClassLoader> cycle(Hub hub, BundleContext context, Path jar) throws Exception {
        Bundle b = context.installBundle(jar.toUri() + "#" + System.nanoTime());
        b.start();
        WeakReference<ClassLoader> loader = new WeakReference<>(b.adapt(BundleWiring.class).getClassLoader());
        Hubs.await("test.echo registered", Duration.ofSeconds(5), () -> hub.workloads().describe("test.echo").isPresent());
        WorkloadResult r = hub.workloads().start("test.echo", RunRequest.defaults()).await(Duration.ofSeconds(10));
        assertEquals(RunStatus.SUCCEEDED, r.status(), r.message());
        b.uninstall();
        CountDownLatch refreshed = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(Set.of(b), e -> {
            if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.countDown();
            }
        });
        assertTrue(refreshed.await(10, TimeUnit.SECONDS), "refresh after uninstall did not finish");
        assertTrue(hub.workloads().describe("test.echo").isEmpty(), "workload still listed after uninstall");
        return loader;
    }

    private static int liveThreads() throws InterruptedException {
        Thread.sleep(200); // let threads that finish their last task end
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }
}
