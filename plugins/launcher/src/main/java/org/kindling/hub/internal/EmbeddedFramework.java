package org.kindling.hub.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.stream.Stream;

import org.kindling.plugin.HubException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Starts and stops the Felix framework behind a {@link org.kindling.hub.Hub}: framework properties, the runtime
 * bundles packed into the launcher jar, the distribution's extra bundles, and the cache folder.
 */
public final class EmbeddedFramework {

    /** Where the runtime bundles are packed inside the launcher jar, listed in start order by {@code index.txt}. */
    static final String BUNDLE_RESOURCES = "/org/kindling/hub/bundles/";

    /** Version the system bundle exports the plugin API package with; matches its package-info. */
    public static final String API_PACKAGE = "org.kindling.plugin;version=1.0.0";

    /**
     * What the hub is started with.
     *
     * @param home home folder
     * @param deployDir watched folder
     * @param modelsDir model store folder
     * @param bundlesDir extra bundles folder, or null
     * @param extraBundles more bundle jars
     * @param shell whether to add Gogo
     * @param verbose whether the framework and its services log to the console
     * @param properties extra framework properties
     */
    public record Settings(Path home, Path deployDir, Path modelsDir, Path bundlesDir, List<Path> extraBundles,
                           boolean shell, boolean verbose, Map<String, String> properties) {
    }

    private final Settings settings;
    private final Framework framework;
    private final Path cacheDir;
    /** Errors the framework reported while starting the runtime bundles, such as unresolved requirements. */
    private final List<String> startErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean started;

    private EmbeddedFramework(Settings settings, Framework framework, Path cacheDir) {
        this.settings = settings;
        this.framework = framework;
        this.cacheDir = cacheDir;
    }

    /**
     * Creates the folders, starts Felix and installs and starts every bundle.
     *
     * @param settings what to start
     * @return the running framework
     * @throws HubException FAILED when the framework or a runtime bundle cannot start
     */
    public static EmbeddedFramework start(Settings settings) {
        Path cacheDir = settings.home().resolve("cache").resolve(UUID.randomUUID().toString());
        try {
            Files.createDirectories(settings.deployDir());
            Files.createDirectories(settings.modelsDir());
            Files.createDirectories(cacheDir);
        } catch (IOException e) {
            throw new HubException(HubException.Kind.FAILED, "cannot create the hub's folders under "
                    + settings.home() + ": " + e);
        }
        Map<String, String> config = frameworkProperties(settings, cacheDir);
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, EmbeddedFramework.class.getClassLoader())
                .findFirst().orElseThrow(() -> new HubException(HubException.Kind.FAILED,
                        "no OSGi framework on the class path: expected org.apache.felix.framework"));
        Framework framework = factory.newFramework(config);
        EmbeddedFramework embedded = new EmbeddedFramework(settings, framework, cacheDir);
        try {
            framework.init();
            framework.getBundleContext().addFrameworkListener(embedded::frameworkEvent);
            List<Bundle> installed = embedded.installBundles();
            for (Bundle b : installed) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
            }
            framework.start();
        } catch (BundleException | IOException | RuntimeException e) {
            embedded.stop();
            throw new HubException(HubException.Kind.FAILED, "the hub did not start: " + e.getMessage(), e);
        }
        return embedded;
    }

    private void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.STARTED) {
            started = true;
        } else if (event.getType() == FrameworkEvent.ERROR && !started) {
            Throwable t = event.getThrowable();
            String bundle = event.getBundle() == null ? "?" : event.getBundle().getSymbolicName();
            String message = t == null ? "error" : t.getMessage();
            startErrors.add(bundle + ": " + (message == null ? t.toString() : message.lines().findFirst().orElse("")));
        }
    }

    private static boolean onHostClassPath(String className) {
        try {
            Class.forName(className, false, EmbeddedFramework.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static Map<String, String> frameworkProperties(Settings settings, Path cacheDir) {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, cacheDir.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // Felix's parallel resolver keeps its idle threads, and through them the stopped framework with every bundle
        // class loader, alive for 60 s; resolving on the calling thread leaves nothing behind when a host stops a hub.
        config.put("felix.resolver.parallelism", "1");
        StringBuilder extra = new StringBuilder(API_PACKAGE);
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            extra.append(",jdk.incubator.vector");
        }
        if (onHostClassPath("ai.onnxruntime.OrtEnvironment")) {
            extra.append(",ai.onnxruntime,ai.onnxruntime.providers");
        }
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, extra.toString());
        config.put("felix.fileinstall.dir", settings.deployDir().toString());
        config.put("felix.fileinstall.poll", "1000");
        config.put("felix.fileinstall.noInitialDelay", "true");
        config.put("felix.fileinstall.filter", ".*\\.jar");
        config.put("felix.fileinstall.bundles.new.start", "true");
        config.put("felix.fileinstall.log.level", settings.verbose() ? "3" : "0");
        config.put("felix.log.level", settings.verbose() ? "2" : "0");
        config.put("ds.loglevel", settings.verbose() ? "info" : "error");
        config.put("gosh.args", settings.shell() ? "" : "--nointeractive");
        // Like Felix's own launcher: -Dfelix.*, -Dds.* and -Dkindling.runner.* / -Dkindling.predict.* tune the hub.
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("felix.") || key.startsWith("ds.") || key.startsWith("kindling.runner.")
                    || key.startsWith("kindling.predict.")) {
                config.put(key, System.getProperty(key));
            }
        }
        config.put("kindling.home", settings.home().toString());
        config.put("kindling.deploy.dir", settings.deployDir().toString());
        config.put("kindling.models.dir", settings.modelsDir().toString());
        config.putAll(settings.properties());
        return config;
    }

    private List<Bundle> installBundles() throws IOException, BundleException {
        BundleContext context = framework.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        for (String line : packedBundles()) {
            boolean optional = line.startsWith("optional:");
            String name = optional ? line.substring("optional:".length()) : line;
            try (InputStream in = EmbeddedFramework.class.getResourceAsStream(BUNDLE_RESOURCES + name)) {
                if (in == null && optional) {
                    continue;
                }
                if (in == null) {
                    throw new HubException(HubException.Kind.FAILED, "the launcher jar lacks the runtime bundle "
                            + BUNDLE_RESOURCES + name + " listed in its index");
                }
                bundles.add(context.installBundle("kindling:runtime/" + name, in));
            }
        }
        List<Path> files = new ArrayList<>();
        if (settings.bundlesDir() != null && Files.isDirectory(settings.bundlesDir())) {
            try (Stream<Path> s = Files.list(settings.bundlesDir())) {
                s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted(Comparator.naturalOrder())
                        .forEach(files::add);
            }
        }
        files.addAll(settings.extraBundles());
        for (Path file : files) {
            bundles.add(context.installBundle(file.toUri().toString()));
        }
        // FileInstall goes last, so the deploy folder is scanned once the hub bundle is up.
        bundles.sort(Comparator.comparing(b -> "org.apache.felix.fileinstall".equals(b.getSymbolicName())));
        return bundles;
    }

    private List<String> packedBundles() throws IOException {
        List<String> names = new ArrayList<>();
        try (InputStream in = EmbeddedFramework.class.getResourceAsStream(BUNDLE_RESOURCES + "index.txt")) {
            if (in == null) {
                throw new HubException(HubException.Kind.FAILED, "the launcher jar lacks " + BUNDLE_RESOURCES
                        + "index.txt: it was not built by the plugins/launcher Maven module");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("shell:")) {
                    if (settings.shell()) {
                        names.add(line.substring("shell:".length()));
                    }
                } else {
                    names.add(line);
                }
            }
        }
        return names;
    }

    /** @return the settings it started with */
    public Settings settings() {
        return settings;
    }

    /** @return the system bundle's context */
    public BundleContext context() {
        return framework.getBundleContext();
    }

    /**
     * Waits until a service of each type is registered.
     *
     * @param timeout how long to wait in all
     * @param types the service interfaces
     * @throws HubException FAILED listing the missing services and every bundle that is not active, with the reason
     */
    public void awaitServices(Duration timeout, Class<?>... types) {
        long deadline = System.nanoTime() + timeout.toNanos();
        BundleContext context = framework.getBundleContext();
        while (true) {
            List<String> missing = new ArrayList<>();
            for (Class<?> t : types) {
                if (context.getServiceReference(t.getName()) == null) {
                    missing.add(t.getSimpleName());
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            if (started && !startErrors.isEmpty()) {
                throw new HubException(HubException.Kind.FAILED, "the hub did not start: missing services " + missing
                        + "; " + String.join("; ", startErrors));
            }
            if (System.nanoTime() > deadline) {
                StringBuilder why = new StringBuilder();
                for (Bundle b : context.getBundles()) {
                    if (b.getState() != Bundle.ACTIVE && b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                        why.append("; ").append(b.getSymbolicName()).append(" is not active");
                    }
                }
                throw new HubException(HubException.Kind.FAILED, "the hub was not ready after " + timeout.toMillis()
                        + " ms: missing services " + missing + why);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HubException(HubException.Kind.FAILED, "interrupted while waiting for the hub");
            }
        }
    }

    /**
     * Blocks until the framework has stopped.
     *
     * @throws InterruptedException if interrupted
     */
    public void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    /** Stops the framework, waits up to 30 s, and deletes the cache folder. */
    public void stop() {
        try {
            if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) != 0) {
                framework.stop();
            }
            FrameworkEvent event = framework.waitForStop(30_000);
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                System.err.println("kindling: the framework did not stop within 30 s");
            }
        } catch (BundleException e) {
            System.err.println("kindling: stopping the framework failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteTree(cacheDir);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a file still held open on a platform that forbids deleting it; the next start cleans it
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }
}
