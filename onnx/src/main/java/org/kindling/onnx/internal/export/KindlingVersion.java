package org.kindling.onnx.internal.export;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The Kindling version recorded in exported models, from a resource Maven fills in at build time. */
final class KindlingVersion {
    private static final String VERSION = load();

    private KindlingVersion() {}

    static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = KindlingVersion.class.getResourceAsStream("kindling-version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
