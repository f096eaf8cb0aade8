package org.kindling.itest.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.http.HubServices;
import org.kindling.http.KindlingServlet;
import org.kindling.hub.Hub;
import org.kindling.itest.http.PredictorPlugins;
import org.kindling.plugin.HubException;
import org.kindling.plugin.Prediction;
import org.kindling.plugin.PredictionInput;
import org.kindling.plugin.Predictor;
import org.kindling.plugin.TensorData;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleWiring;

/**
 * A servlet application in an embedded Jetty whose listener starts a hub with {@code Hub.builder()} and stops it
 * with the application: a plugin is hot-deployed while it runs, a servlet of the application predicts through the
 * hub API, {@link KindlingServlet} is mounted from the servlet context attribute as an application server would,
 * and the application is stopped and started 20 times in this JVM without leaking threads or bundle class loaders.
 */
class EmbeddedJettyHubTest {

    private static final int RESTARTS = 20;
    private static final String HUB_ATTRIBUTE = "test.kindling.hub";

    @TempDir
    Path home;

    /** The application's listener: one hub per application start. */
    public static final class HubListener implements ServletContextListener {
        private final Path home;

        HubListener(Path home) {
            this.home = home;
        }

        @Override
        public void contextInitialized(ServletContextEvent event) {
            Hub hub = Hub.builder().home(home).deployDir(home.resolve("deploy"))
                    .property("felix.fileinstall.poll", "100").start();
            event.getServletContext().setAttribute(HUB_ATTRIBUTE, hub);
            event.getServletContext().setAttribute(KindlingServlet.SERVICES_ATTRIBUTE,
                    new HubServices(hub.workloads(), hub.models(), hub.predictions(), hub.plugins()));
        }

        @Override
        public void contextDestroyed(ServletContextEvent event) {
            ((Hub) event.getServletContext().getAttribute(HUB_ATTRIBUTE)).stop();
        }
    }

    /** The application's own servlet: {@code POST /scale?x=2.5} answers {@code y=<x * scale> by=<plugin@version>}. */
    public static final class ScaleServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Hub hub = (Hub) getServletContext().getAttribute(HUB_ATTRIBUTE);
            float x = Float.parseFloat(request.getParameter("x"));
            response.setContentType("text/plain");
            try {
                Prediction p = hub.predictions().predict("scaler",
                        PredictionInput.tensors(Map.of("x", TensorData.float32(new int[] {1}, x))));
                response.getWriter().print("y=" + (float) p.outputs().get("y").get(0) + " by=" + p.summary());
            } catch (HubException e) {
                response.setStatus(e.kind() == HubException.Kind.NOT_FOUND ? 404
                        : e.kind() == HubException.Kind.UNAVAILABLE ? 503 : 500);
                response.getWriter().print(e.kind() + ": " + e.getMessage());
            }
        }
    }

    @Test
    void hubLivesAndDiesWithTheApplication20TimesWithoutLeaks() throws Exception {
        Files.createDirectories(home.resolve("deploy"));
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler app = new ServletContextHandler("/app");
        app.addEventListener(new HubListener(home));
        app.addServlet(ScaleServlet.class, "/scale");
        app.addServlet(KindlingServlet.class, "/api/*");
        jetty.setHandler(app);
        jetty.start();
        // One fixed client thread: the JDK client's default pool would add idle workers that blur the thread count.
        java.util.concurrent.ExecutorService clientThread = java.util.concurrent.Executors.newSingleThreadExecutor();
        HttpClient client = HttpClient.newBuilder().executor(clientThread).build();
        URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/app/");
        List<WeakReference<ClassLoader>> bundleLoaders = new ArrayList<>();
        int baselineThreads = -1;
        Set<String> baselineNames = Set.of();
        try {
            // First start: deploy the plugin while the application runs, then store the model it serves.
            Hub hub = (Hub) app.getServletContext().getAttribute(HUB_ATTRIBUTE);
            HttpResponse<String> before = post(client, base.resolve("scale?x=1"));
            assertEquals(404, before.statusCode(), before.body());
            assertTrue(before.body().startsWith("NOT_FOUND: ") && before.body().contains("'scaler'"), before.body());
            PredictorPlugins.variant(hub.deployDir().resolve("scaler.jar"), PredictorPlugins.A, "1.0.0", 4);
            PredictorPlugins.awaitActive(hub.plugins(), PredictorPlugins.A, "1.0.0", Duration.ofSeconds(15));
            PredictorPlugins.storeModel(hub.models(), "scaler", PredictorPlugins.A,
                    Files.createDirectories(home.resolve("scratch")));

            long cycleNanos = 0;
            for (int cycle = 0; cycle <= RESTARTS; cycle++) {
                if (cycle > 0) {
                    long t0 = System.nanoTime();
                    app.stop();
                    if (cycle == 2) {
                        // Taken with the hub stopped after two full runs, so that JVM-wide threads started lazily
                        // by the first ones (JIT, reference handling, the client's) are in the baseline.
                        baselineNames = threadNames();
                        baselineThreads = baselineNames.size();
                    }
                    app.start();
                    cycleNanos += System.nanoTime() - t0;
                    hub = (Hub) app.getServletContext().getAttribute(HUB_ATTRIBUTE);
                    // FileInstall finds the jar already in the deploy folder at start.
                    PredictorPlugins.awaitActive(hub.plugins(), PredictorPlugins.A, "1.0.0", Duration.ofSeconds(15));
                }
                HttpResponse<String> r = post(client, base.resolve("scale?x=2.5"));
                assertEquals(200, r.statusCode(), "cycle " + cycle + ": " + r.body());
                assertEquals("y=10.0 by=" + PredictorPlugins.A + "@1.0.0", r.body(), "cycle " + cycle);

                HttpResponse<String> api = client.send(HttpRequest.newBuilder(base.resolve("api/models/scaler/predict"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": {\"x\": [1, 2]}}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, api.statusCode(), "cycle " + cycle + ": " + api.body());
                assertTrue(api.body().contains("\"data\":[4.0,8.0]"), api.body());

                for (Bundle b : hub.bundleContext().getBundles()) {
                    BundleWiring wiring = b.adapt(BundleWiring.class);
                    if (b.getBundleId() != 0 && wiring != null && wiring.getClassLoader() != null) {
                        bundleLoaders.add(new WeakReference<>(wiring.getClassLoader()));
                    }
                }
                Bundle plugin = find(hub, PredictorPlugins.A);
                assertSame(Predictor.class, plugin.loadClass(Predictor.class.getName()),
                        "the plugin sees the host's API class, not a copy");
                assertSame(TensorData.class, find(hub, "org.kindling.plugin.hub").loadClass(TensorData.class.getName()));
            }
            System.out.printf(java.util.Locale.ROOT, "embedded hub: %d restarts, %.0f ms per stop+start%n", RESTARTS,
                    cycleNanos / 1e6 / RESTARTS);
        } finally {
            app.stop();
        }

        Set<String> after = awaitThreads(baselineThreads, Duration.ofSeconds(10));
        Set<String> extra = new TreeSet<>(after);
        extra.removeAll(baselineNames);
        assertTrue(after.size() <= baselineThreads, "threads after " + RESTARTS + " restarts: " + after.size()
                + ", baseline " + baselineThreads + "; new: " + extra);

        int total = bundleLoaders.size();
        assertTrue(total >= RESTARTS * 3, "expected several bundle class loaders per start, got " + total);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long alive = total;
        while (System.nanoTime() < deadline) {
            System.gc();
            alive = bundleLoaders.stream().filter(r -> r.get() != null).count();
            if (alive == 0) {
                break;
            }
            Thread.sleep(100);
        }
        List<String> leaked = bundleLoaders.stream().map(WeakReference::get).filter(l -> l != null)
                .map(String::valueOf).distinct().limit(10).toList();
        assertEquals(0, alive, alive + " of " + total + " bundle class loaders are still reachable after the hub"
                + " stopped, e.g. " + leaked);
        jetty.stop();
        clientThread.shutdownNow();
    }

    private static HttpResponse<String> post(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Bundle find(Hub hub, String symbolicName) {
        for (Bundle b : hub.bundleContext().getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    private static Set<String> threadNames() {
        Set<String> names = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                names.add(t.getName() + "#" + t.getId());
            }
        }
        return names;
    }

    private static Set<String> awaitThreads(int baseline, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> names = threadNames();
        while (names.size() > baseline && System.nanoTime() < deadline) {
            Thread.sleep(100);
            names = threadNames();
        }
        return names;
    }
}
