package org.kindling.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.hub.Hub;
import org.kindling.plugin.HubException;
import org.kindling.plugin.PluginInfo;
import org.kindling.plugin.RunRequest;
import org.kindling.plugin.RunStatus;
import org.kindling.plugin.WorkloadDescriptor;
import org.kindling.plugin.WorkloadResult;
import org.kindling.plugin.WorkloadRun;

/**
 * Hot deployment through FileInstall in a real Felix with the real test plugin jar: install, update, uninstall, and
 * every failure case isolated and reported with its reason while the hub keeps working.
 */
class HotDeployTest {

    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

    @TempDir
    static Path home;

    static Hub hub;

    @BeforeAll
    static void startHub() {
        hub = Hubs.start(home);
    }

    @AfterAll
    static void stopHub() {
        hub.stop();
    }

    @AfterEach
    void undeployEverything() throws Exception {
        try (Stream<Path> s = Files.list(hub.deployDir())) {
            for (Path p : s.collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
        Hubs.await("every test plugin uninstalled", FIVE_SECONDS, () -> hub.plugins().list().stream()
                .noneMatch(p -> p.symbolicName().startsWith(TestPlugins.NAME) || p.bundleId() < 0));
    }

    private List<String> workloadIds() {
        return hub.workloads().list().stream().map(WorkloadDescriptor::id).collect(Collectors.toList());
    }

    private Optional<PluginInfo> plugin(String id) {
        return hub.plugins().get(id);
    }

    private WorkloadResult run(String workload, Map<String, String> options) throws Exception {
        return hub.workloads().start(workload, RunRequest.of(options)).await(Duration.ofSeconds(20));
    }

    @Test
    void dropReplaceDeleteInstallsUpdatesAndUninstallsWithinFiveSeconds() throws Exception {
        Path jar = hub.deployDir().resolve("testplugin.jar");
        TestPlugins.version(jar, "1.0.0");
        long installMillis = Hubs.await("v1 workloads listed", FIVE_SECONDS,
                () -> workloadIds().containsAll(List.of("test.echo", "test.only.v1")));
        WorkloadResult v1 = run("test.echo", Map.of("text", "hi", "times", "2"));
        assertEquals(RunStatus.SUCCEEDED, v1.status());
        assertEquals("hihi from 1.0.0", v1.message());
        assertEquals(1.0, v1.metrics().get("major"));
        assertEquals("test.echo", hub.workloads().describe("test.echo").orElseThrow().id());
        assertEquals(TestPlugins.NAME, hub.workloads().describe("test.echo").orElseThrow().plugin());

        Path staged = home.resolve("v2.jar");
        TestPlugins.version(staged, "2.0.0");
        Files.move(staged, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        long updateMillis = Hubs.await("v2 workloads replace v1's", FIVE_SECONDS,
                () -> workloadIds().contains("test.only.v2") && !workloadIds().contains("test.only.v1"));
        assertEquals("hello from 2.0.0", run("test.echo", Map.of()).message());
        assertEquals("2.0.0", plugin(TestPlugins.NAME).orElseThrow().version());
        assertEquals("ACTIVE", plugin(TestPlugins.NAME).orElseThrow().state());

        Files.delete(jar);
        long uninstallMillis = Hubs.await("plugin uninstalled", FIVE_SECONDS,
                () -> plugin(TestPlugins.NAME).isEmpty() && !workloadIds().contains("test.echo"));
        assertEquals(List.of("demo.mlp"), workloadIds());
        System.out.printf("hot deploy: install %d ms, update %d ms, uninstall %d ms%n", installMillis, updateMillis,
                uninstallMillis);
    }

    @Test
    void corruptOrPartiallyCopiedJarIsReportedAndTheCompletedCopyInstalls() throws Exception {
        Path good = TestPlugins.version(home.resolve("good.jar"), "1.0.0");
        Path jar = hub.deployDir().resolve("half.jar");
        TestPlugins.truncated(good, jar, (int) (Files.size(good) / 2));
        Hubs.await("the half jar reported", FIVE_SECONDS, () -> plugin("half.jar").isPresent());
        PluginInfo half = plugin("half.jar").orElseThrow();
        assertEquals("FAILED", half.state());
        assertEquals(-1, half.bundleId());
        assertTrue(half.failure().startsWith("corrupt or partially copied jar"), half.failure());
        assertTrue(workloadIds().contains("demo.mlp"), "the hub's own workloads are still there");

        // The copy completes: the same file now holds the whole jar, and the later deploy works.
        Files.copy(good, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Hubs.await("the completed jar installed", FIVE_SECONDS, () -> workloadIds().contains("test.echo"));
        assertEquals("ACTIVE", plugin(TestPlugins.NAME).orElseThrow().state());
        assertTrue(plugin("half.jar").isEmpty(), "no failure left for the completed file");
        assertEquals("hello from 1.0.0", run("test.echo", Map.of()).message());
    }

    @Test
    void unresolvedImportsAreListedAndOtherPluginsKeepWorking() throws Exception {
        TestPlugins.version(hub.deployDir().resolve("good.jar"), "1.0.0");
        TestPlugins.variant(hub.deployDir().resolve("needs-missing.jar"), Map.of(
                "Bundle-SymbolicName", TestPlugins.NAME + ".unresolved",
                "Import-Package", "+org.example.missing;version=\"[1.0,2)\",org.example.absent"));
        Hubs.await("the unresolved plugin reported", FIVE_SECONDS,
                () -> plugin(TestPlugins.NAME + ".unresolved").isPresent() && workloadIds().contains("test.echo"));
        PluginInfo bad = plugin(TestPlugins.NAME + ".unresolved").orElseThrow();
        assertEquals("INSTALLED", bad.state());
        assertTrue(bad.failure().startsWith("unresolved imports: org.example.missing [1.0.0,2.0.0), org.example.absent"),
                bad.failure());
        assertEquals(List.of(), bad.workloads());
        assertEquals("hello from 1.0.0", run("test.echo", Map.of()).message());
    }

    @Test
    void activationExceptionIsReportedAndTheBundlesOtherComponentsWork() throws Exception {
        TestPlugins.variant(hub.deployDir().resolve("fails.jar"), Map.of("Kindling-Test-Fail-Activation", "true"));
        Hubs.await("activation failure reported", FIVE_SECONDS,
                () -> plugin(TestPlugins.NAME).map(p -> p.state().equals("ACTIVE") && !p.failure().isEmpty()).orElse(false));
        PluginInfo p = plugin(TestPlugins.NAME).orElseThrow();
        assertEquals("ACTIVE", p.state());
        assertTrue(p.failure().contains("component org.kindling.testplugin.FailingActivation failed to activate"),
                p.failure());
        assertTrue(p.failure().contains("activation refused by Kindling-Test-Fail-Activation"), p.failure());
        assertTrue(p.workloads().contains("test.echo"), p.workloads().toString());
        assertEquals("hello from 1.0.0", run("test.echo", Map.of()).message());
    }

    @Test
    void workloadThatThrowsGivesFailedWithTheReason() throws Exception {
        TestPlugins.version(hub.deployDir().resolve("testplugin.jar"), "1.0.0");
        Hubs.await("test plugin", FIVE_SECONDS, () -> workloadIds().contains("test.throws"));
        WorkloadResult r = run("test.throws", Map.of());
        assertEquals(RunStatus.FAILED, r.status());
        assertTrue(r.message().startsWith("IllegalStateException: boom from the test plugin (at org.kindling.testplugin.ThrowingWorkload.run("),
                r.message());
        assertEquals(RunStatus.SUCCEEDED, run("test.echo", Map.of()).status());
    }

    @Test
    void workloadThatNeverFinishesTimesOutOrIsCancelledAndTheRunnerKeepsWorking() throws Exception {
        TestPlugins.version(hub.deployDir().resolve("testplugin.jar"), "1.0.0");
        Hubs.await("test plugin", FIVE_SECONDS, () -> workloadIds().contains("test.hang"));

        long t0 = System.nanoTime();
        WorkloadRun timed = hub.workloads().start("test.hang",
                RunRequest.of(Map.of("seconds", "6")).withTimeout(Duration.ofMillis(300)));
        WorkloadResult timedOut = timed.await(Duration.ofSeconds(3));
        long timedOutMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(RunStatus.TIMED_OUT, timedOut.status());
        assertEquals("timed out after 300 ms", timedOut.message());
        assertTrue(timedOutMillis < 1500, "reported " + timedOutMillis + " ms after start");

        WorkloadRun hanging = hub.workloads().start("test.hang", RunRequest.of(Map.of("seconds", "6")));
        Hubs.await("second hang running", FIVE_SECONDS, () -> hanging.status() == RunStatus.RUNNING);
        assertTrue(hub.workloads().cancel(hanging.id()));
        assertEquals(RunStatus.CANCELLED, hanging.await(Duration.ofMillis(100)).status());
        assertFalse(hub.workloads().cancel(hanging.id()), "cancelling twice reports it was already finished");
        assertThrows(HubException.class, () -> hub.workloads().cancel("no-such-run"));

        // Both pool threads are stuck in workloads that ignore interrupts; the runner still runs new work.
        WorkloadResult after = hub.workloads().start("test.echo", RunRequest.defaults()).await(Duration.ofSeconds(10));
        assertEquals("hello from 1.0.0", after.message());

        WorkloadRun polite = hub.workloads().start("test.sleep", RunRequest.of(Map.of("steps", "500")));
        Hubs.await("progress reported", FIVE_SECONDS, () -> polite.progress() > 0);
        assertTrue(polite.metrics().get("step") >= 1.0);
        assertTrue(polite.cancel());
        assertEquals(RunStatus.CANCELLED, polite.await(Duration.ofSeconds(1)).status());
    }

    @Test
    void pluginManagerInstallsUpdatesAndUninstallsThroughTheDeployFolder() throws Exception {
        PluginInfo installed = hub.plugins().install(TestPlugins.version(home.resolve("pm-v1.jar"), "1.0.0"));
        assertEquals("ACTIVE", installed.state());
        assertEquals("1.0.0", installed.version());
        assertEquals(List.of("test.echo", "test.hang", "test.only.v1", "test.sleep", "test.throws"), installed.workloads());
        assertTrue(Files.exists(hub.deployDir().resolve(TestPlugins.NAME + ".jar")));

        PluginInfo updated = hub.plugins().update(TestPlugins.NAME, TestPlugins.version(home.resolve("pm-v2.jar"), "2.0.0"));
        assertEquals("2.0.0", updated.version());
        assertTrue(updated.workloads().contains("test.only.v2"), updated.workloads().toString());
        assertEquals(installed.bundleId(), updated.bundleId(), "an update keeps the bundle");

        HubException notABundle = assertThrows(HubException.class, () -> hub.plugins().install(
                TestPlugins.truncated(TestPlugins.builtJar(), home.resolve("cut.jar"), 100)));
        assertEquals(HubException.Kind.BAD_REQUEST, notABundle.kind());
        assertTrue(notABundle.getMessage().contains("is not a readable jar"), notABundle.getMessage());
        HubException hubOwn = assertThrows(HubException.class, () -> hub.plugins().uninstall("org.kindling.core"));
        assertEquals(HubException.Kind.CONFLICT, hubOwn.kind());

        hub.plugins().uninstall(TestPlugins.NAME);
        assertTrue(plugin(TestPlugins.NAME).isEmpty());
        assertFalse(workloadIds().contains("test.echo"));
        assertEquals(HubException.Kind.NOT_FOUND,
                assertThrows(HubException.class, () -> hub.plugins().uninstall(TestPlugins.NAME)).kind());
    }
}
