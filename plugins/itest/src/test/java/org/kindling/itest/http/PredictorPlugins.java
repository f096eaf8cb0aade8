package org.kindling.itest.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.kindling.plugin.ModelInfo;
import org.kindling.plugin.ModelStore;
import org.kindling.plugin.NewModel;
import org.kindling.plugin.PluginInfo;
import org.kindling.plugin.PluginManager;

/**
 * Variants of the scaling-predictor bundle that the build makes ({@code plugins/testplugin-predict}): the same
 * classes under another symbolic name, version and {@code Kindling-Test-Scale}, so one module gives the tests
 * plugins A v1, A v2 and B that answer distinguishably.
 */
public final class PredictorPlugins {

    /** System property naming the built test plugin jar (set by the itest pom). */
    public static final String JAR_PROPERTY = "kindling.testplugin.predict.jar";

    /** The model property the scaling predictor matches against its own symbolic name. */
    public static final String PLUGIN_PROPERTY = "plugin";

    public static final String A = "org.kindling.testplugin.predict.a";
    public static final String B = "org.kindling.testplugin.predict.b";

    private PredictorPlugins() {
    }

    /** The jar built by the testplugin-predict module. */
    public static Path builtJar() {
        String path = System.getProperty(JAR_PROPERTY);
        if (path == null) {
            throw new IllegalStateException("system property " + JAR_PROPERTY + " is not set: run the tests through"
                    + " Maven (plugins/itest), which points it at plugins/testplugin-predict/target/*.jar");
        }
        Path jar = Path.of(path);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(JAR_PROPERTY + " names " + jar + ", which does not exist: build"
                    + " plugins/testplugin-predict first");
        }
        return jar;
    }

    /**
     * Writes a copy of the built jar with another identity.
     *
     * @param target the jar to write (atomically: a temporary file in the same folder, then a rename)
     * @param symbolicName the new Bundle-SymbolicName
     * @param version the new Bundle-Version
     * @param scale the new Kindling-Test-Scale: the predictor answers {@code y = x * scale}
     * @return target
     */
    public static Path variant(Path target, String symbolicName, String version, double scale) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".part");
        try (JarFile source = new JarFile(builtJar().toFile())) {
            Manifest manifest = new Manifest(source.getManifest());
            Attributes main = manifest.getMainAttributes();
            main.putValue("Bundle-SymbolicName", symbolicName);
            main.putValue("Bundle-Version", version);
            main.putValue("Kindling-Test-Scale", Double.toString(scale));
            try (OutputStream file = Files.newOutputStream(temp);
                 JarOutputStream out = new JarOutputStream(file, manifest)) {
                for (Enumeration<JarEntry> entries = source.entries(); entries.hasMoreElements(); ) {
                    JarEntry entry = entries.nextElement();
                    if (entry.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream in = source.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        return Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Stores a model served by the plugin {@code symbolicName} (its file content does not matter to it). */
    public static ModelInfo storeModel(ModelStore models, String name, String symbolicName, Path scratch)
            throws IOException {
        Path file = Files.writeString(scratch.resolve(name + ".bin"), "weights of " + name);
        return models.put(new NewModel(name, "test-scale", file, "", Map.of(),
                Map.of(PLUGIN_PROPERTY, symbolicName)));
    }

    /** Waits until {@code symbolicName} is ACTIVE at {@code version}, or fails naming what it found. */
    public static PluginInfo awaitActive(PluginManager plugins, String symbolicName, String version, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        PluginInfo last = null;
        while (System.nanoTime() < deadline) {
            last = plugins.get(symbolicName).orElse(null);
            if (last != null && "ACTIVE".equals(last.state()) && last.version().equals(version)) {
                return last;
            }
            Thread.sleep(20);
        }
        List<PluginInfo> all = plugins.list();
        throw new AssertionError("plugin " + symbolicName + " " + version + " was not ACTIVE after "
                + timeout.toMillis() + " ms; found " + last + "; all plugins: " + all);
    }
}
