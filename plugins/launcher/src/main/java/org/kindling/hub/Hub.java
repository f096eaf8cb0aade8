package org.kindling.hub;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.kindling.hub.internal.EmbeddedFramework;
import org.kindling.plugin.HubException;
import org.kindling.plugin.ModelStore;
import org.kindling.plugin.PluginManager;
import org.kindling.plugin.PredictionService;
import org.kindling.plugin.WorkloadRunner;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A running Kindling hub embedded in the current JVM: an Apache Felix framework with Declarative Services,
 * ConfigAdmin, FileInstall hot deployment from the deploy folder, core, the hub bundle and every bundle of the
 * distribution. The host talks to it through the {@code org.kindling.plugin} API, which the framework exports from
 * its system bundle so host and bundles share one copy of every API class.
 *
 * <pre>
 * try (Hub hub = Hub.builder().home(Path.of("kindling-home")).deployDir(Path.of("deploy")).start()) {
 *     hub.workloads().list().forEach(w -&gt; System.out.println(w.id()));
 *     WorkloadResult r = hub.workloads().start("demo.mlp", RunRequest.defaults()).await(Duration.ofMinutes(1));
 *     Prediction p = hub.predictions().predict("demo-mlp", input);
 * }
 * </pre>
 *
 * <p>The objects returned by {@link #workloads()}, {@link #models()}, {@link #predictions()} and {@link #plugins()}
 * stay valid for the hub's life: each call goes to the hub bundle's current service, so they keep working across
 * updates of the hub bundle, and fail with {@link HubException.Kind#UNAVAILABLE} while it is away.
 */
public final class Hub implements AutoCloseable {

    private final EmbeddedFramework framework;
    private final ServiceTracker<WorkloadRunner, WorkloadRunner> runner;
    private final ServiceTracker<ModelStore, ModelStore> models;
    private final ServiceTracker<PredictionService, PredictionService> predictions;
    private final ServiceTracker<PluginManager, PluginManager> plugins;
    private final long startupMillis;

    private Hub(EmbeddedFramework framework, long startupMillis) {
        this.framework = framework;
        BundleContext context = framework.context();
        this.runner = open(context, WorkloadRunner.class);
        this.models = open(context, ModelStore.class);
        this.predictions = open(context, PredictionService.class);
        this.plugins = open(context, PluginManager.class);
        this.startupMillis = startupMillis;
    }

    /** @return a builder with the defaults: home {@code ./kindling-home}, deploy folder {@code <home>/deploy} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the workload runner: list, describe, run, cancel */
    public WorkloadRunner workloads() {
        return proxy(WorkloadRunner.class, runner);
    }

    /** @return the model store */
    public ModelStore models() {
        return proxy(ModelStore.class, models);
    }

    /** @return predictions with stored models */
    public PredictionService predictions() {
        return proxy(PredictionService.class, predictions);
    }

    /** @return installed plugins: list, install, update, uninstall */
    public PluginManager plugins() {
        return proxy(PluginManager.class, plugins);
    }

    /** @return milliseconds from {@link Builder#start()} until the hub's services were ready */
    public long startupMillis() {
        return startupMillis;
    }

    /** @return the hub's home folder */
    public Path home() {
        return framework.settings().home();
    }

    /** @return the folder FileInstall watches */
    public Path deployDir() {
        return framework.settings().deployDir();
    }

    /** @return the system bundle's context, for hosts that need the framework itself (tests, the shell) */
    public BundleContext bundleContext() {
        return framework.context();
    }

    /**
     * Blocks until the framework stops (for example from the shell's {@code stop 0}).
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitStop() throws InterruptedException {
        framework.awaitStop();
    }

    /** Stops the framework, waits for it (at most 30 s) and deletes its cache; calling it twice is harmless. */
    public void stop() {
        runner.close();
        models.close();
        predictions.close();
        plugins.close();
        framework.stop();
    }

    @Override
    public void close() {
        stop();
    }

    private static <S> ServiceTracker<S, S> open(BundleContext context, Class<S> type) {
        ServiceTracker<S, S> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        return tracker;
    }

    private static <S> S proxy(Class<S> type, ServiceTracker<S, S> tracker) {
        InvocationHandler handler = (self, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                switch (method.getName()) {
                    case "equals": return self == args[0];
                    case "hashCode": return System.identityHashCode(self);
                    default: return "Hub." + type.getSimpleName();
                }
            }
            S service = tracker.waitForService(5_000);
            if (service == null) {
                throw new HubException(HubException.Kind.UNAVAILABLE,
                        type.getSimpleName() + " is not available: the hub bundle is not active");
            }
            try {
                return method.invoke(service, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    /**
     * Configures and starts a {@link Hub}.
     *
     * <pre>
     * Hub hub = Hub.builder()
     *         .home(Path.of("/var/lib/kindling"))     // models/, runs/, cache/ go here
     *         .deployDir(Path.of("/var/lib/kindling/deploy"))
     *         .bundlesDir(Path.of("/opt/kindling/bundles"))  // extra bundles started with the hub
     *         .property("felix.fileinstall.poll", "500")
     *         .start();
     * </pre>
     */
    public static final class Builder {

        private Path home = Path.of("kindling-home");
        private Path deployDir;
        private Path bundlesDir;
        private Path modelsDir;
        private boolean shell;
        private boolean verbose;
        private Duration readyTimeout = Duration.ofSeconds(30);
        private final Map<String, String> properties = new java.util.LinkedHashMap<>();
        private final List<Path> extraBundles = new java.util.ArrayList<>();

        private Builder() {
        }

        /** @param home folder for the model store, run outputs and the framework cache (created if missing) @return this */
        public Builder home(Path home) {
            this.home = Objects.requireNonNull(home, "home");
            return this;
        }

        /** @param deployDir folder watched for plugin jars (default {@code <home>/deploy}) @return this */
        public Builder deployDir(Path deployDir) {
            this.deployDir = Objects.requireNonNull(deployDir, "deployDir");
            return this;
        }

        /** @param modelsDir the model store's folder (default {@code <home>/models}) @return this */
        public Builder modelsDir(Path modelsDir) {
            this.modelsDir = Objects.requireNonNull(modelsDir, "modelsDir");
            return this;
        }

        /** @param bundlesDir a folder whose jars are installed and started with the hub (not watched) @return this */
        public Builder bundlesDir(Path bundlesDir) {
            this.bundlesDir = bundlesDir;
            return this;
        }

        /** @param bundle one more bundle jar to install and start with the hub @return this */
        public Builder bundle(Path bundle) {
            extraBundles.add(Objects.requireNonNull(bundle, "bundle"));
            return this;
        }

        /** @param shell true to add the Gogo shell bundles (the console reads standard input) @return this */
        public Builder shell(boolean shell) {
            this.shell = shell;
            return this;
        }

        /** @param verbose true to let Felix, SCR and FileInstall log to the console @return this */
        public Builder verbose(boolean verbose) {
            this.verbose = verbose;
            return this;
        }

        /** @param timeout how long {@link #start()} waits for the hub's services (default 30 s) @return this */
        public Builder readyTimeout(Duration timeout) {
            this.readyTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * @param key a framework property (Felix, FileInstall, SCR or {@code kindling.*} setting)
         * @param value its value
         * @return this
         */
        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /**
         * Starts the framework, installs and starts the bundles and waits until the hub's services are registered.
         *
         * @return the running hub
         * @throws HubException FAILED naming the bundles that did not start, with their errors, when the hub is not
         *         ready within the timeout
         */
        public Hub start() {
            long t0 = System.nanoTime();
            Path home = this.home.toAbsolutePath().normalize();
            EmbeddedFramework.Settings settings = new EmbeddedFramework.Settings(home,
                    (deployDir == null ? home.resolve("deploy") : deployDir).toAbsolutePath().normalize(),
                    (modelsDir == null ? home.resolve("models") : modelsDir).toAbsolutePath().normalize(),
                    bundlesDir == null ? null : bundlesDir.toAbsolutePath().normalize(), List.copyOf(extraBundles),
                    shell, verbose, Map.copyOf(properties));
            EmbeddedFramework framework = EmbeddedFramework.start(settings);
            try {
                framework.awaitServices(readyTimeout, WorkloadRunner.class, ModelStore.class, PredictionService.class,
                        PluginManager.class);
            } catch (RuntimeException e) {
                framework.stop();
                throw e;
            }
            return new Hub(framework, (System.nanoTime() - t0) / 1_000_000);
        }
    }
}
