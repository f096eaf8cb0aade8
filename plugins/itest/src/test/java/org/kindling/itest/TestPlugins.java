package org.kindling.itest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Variants of the test plugin bundle the build makes ({@code plugins/testplugin}): the same classes with another
 * version, symbolic name or extra manifest headers, so one module gives version 1, version 2 and the broken
 * variants (unresolved import, failing activation, corrupt file).
 */
public final class TestPlugins {

    /** Symbolic name of the built test plugin. */
    public static final String NAME = "org.kindling.testplugin";

    private TestPlugins() {
    }

    /** @return the jar built by plugins/testplugin */
    public static Path builtJar() {
        String path = System.getProperty("kindling.testplugin.jar");
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new IllegalStateException("system property kindling.testplugin.jar must name the jar built by "
                    + "plugins/testplugin (run the tests through Maven's verify phase); got " + path);
        }
        return Path.of(path);
    }

    /**
     * Writes a copy of the test plugin with manifest changes.
     *
     * @param target where to write (written beside and renamed, so a watcher never sees half of it)
     * @param headers main attributes to set; a value starting with "+" is appended to the existing value after a comma
     * @return target
     */
    public static Path variant(Path target, Map<String, String> headers) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try (JarFile in = new JarFile(builtJar().toFile())) {
            Manifest manifest = new Manifest(in.getManifest());
            Attributes main = manifest.getMainAttributes();
            for (Map.Entry<String, String> h : headers.entrySet()) {
                Attributes.Name name = new Attributes.Name(h.getKey());
                String v = h.getValue();
                main.put(name, v.startsWith("+") ? main.getValue(name) + "," + v.substring(1) : v);
            }
            try (OutputStream os = Files.newOutputStream(tmp); JarOutputStream out = new JarOutputStream(os, manifest)) {
                Enumeration<JarEntry> entries = in.entries();
                while (entries.hasMoreElements()) {
                    JarEntry e = entries.nextElement();
                    if (e.getName().equals(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(e.getName()));
                    try (InputStream data = in.getInputStream(e)) {
                        data.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** @return a copy of the test plugin with this version */
    public static Path version(Path target, String version) throws IOException {
        return variant(target, Map.of("Bundle-Version", version));
    }

    /** Writes the first {@code bytes} bytes of a jar: what a watcher sees while a copy is still running. */
    public static Path truncated(Path source, Path target, int bytes) throws IOException {
        byte[] all = Files.readAllBytes(source);
        Files.write(target, java.util.Arrays.copyOf(all, Math.min(bytes, all.length)));
        return target;
    }
}
