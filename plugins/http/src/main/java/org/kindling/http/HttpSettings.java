package org.kindling.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.kindling.http.internal.AdminToken;

/**
 * Settings of the HTTP API: where it listens, the admin token, whether plugins may be installed over HTTP, and the
 * limits that protect the hub from oversized or too many requests. Immutable; change it with the {@code with*}
 * methods.
 *
 * <pre>
 * HttpSettings settings = HttpSettings.defaults()      // 127.0.0.1:8080, generated token, installs off
 *         .withPort(0)                                 // an ephemeral port
 *         .withAdminToken(System.getenv("KINDLING_ADMIN_TOKEN"))
 *         .withMaxConcurrentRequests(8);
 * </pre>
 *
 * @param host the address to bind; loopback by default
 * @param port the port, 0 for an ephemeral one
 * @param adminToken the bearer token admin calls need
 * @param tokenGenerated true when {@code adminToken} was generated here (and must be shown to the operator)
 * @param installEnabled true to accept {@code POST /plugins}
 * @param maxBodyBytes the largest request body accepted (413 above it), except plugin uploads
 * @param maxPluginBytes the largest plugin jar accepted by {@code POST /plugins}
 * @param maxConcurrentRequests requests served at once; more get 503 with {@code Retry-After}
 * @param retryAfterSeconds the {@code Retry-After} value sent with 503
 */
public record HttpSettings(String host, int port, String adminToken, boolean tokenGenerated, boolean installEnabled,
                           long maxBodyBytes, long maxPluginBytes, int maxConcurrentRequests, int retryAfterSeconds) {

    /** Environment variable read by {@link #fromConfig} for the admin token. */
    public static final String TOKEN_VARIABLE = "KINDLING_ADMIN_TOKEN";

    /** The file under the hub's home read by {@link #fromConfig}. */
    public static final String CONFIG_FILE = "http.properties";

    /** Validates every value. */
    public HttpSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank, got '" + host + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        new AdminToken(adminToken);
        positive("maxBodyBytes", maxBodyBytes);
        positive("maxPluginBytes", maxPluginBytes);
        positive("maxConcurrentRequests", maxConcurrentRequests);
        positive("retryAfterSeconds", retryAfterSeconds);
    }

    /**
     * @return 127.0.0.1:8080, a freshly generated admin token, installs off, 16 MiB bodies, 64 MiB plugin jars, and
     *         four concurrent requests per processor (at least 8)
     */
    public static HttpSettings defaults() {
        int concurrency = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
        return new HttpSettings("127.0.0.1", 8080, AdminToken.generate(), true, false, 16L << 20, 64L << 20,
                concurrency, 1);
    }

    /**
     * The defaults, overridden by {@code <home>/http.properties} (keys {@code host}, {@code port},
     * {@code admin.token}, {@code install.enabled}, {@code max.body.bytes}, {@code max.plugin.bytes},
     * {@code max.concurrent.requests}) and then by the environment variable {@value #TOKEN_VARIABLE}.
     *
     * @param home the hub's home folder
     * @param environment the environment, usually {@code System.getenv()}
     * @return the settings
     * @throws IOException when the file exists but cannot be read
     * @throws IllegalArgumentException naming the key whose value is not valid
     */
    public static HttpSettings fromConfig(Path home, Map<String, String> environment) throws IOException {
        HttpSettings s = defaults();
        Path file = home.resolve(CONFIG_FILE);
        if (Files.isRegularFile(file)) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
            String where = " in " + file;
            s = s.withHost(p.getProperty("host", s.host()))
                    .withPort(intValue(p, "port", s.port(), where))
                    .withInstallEnabled(Boolean.parseBoolean(p.getProperty("install.enabled", "false").trim()))
                    .withMaxBodyBytes(longValue(p, "max.body.bytes", s.maxBodyBytes(), where))
                    .withMaxPluginBytes(longValue(p, "max.plugin.bytes", s.maxPluginBytes(), where))
                    .withMaxConcurrentRequests(intValue(p, "max.concurrent.requests", s.maxConcurrentRequests(), where));
            String token = p.getProperty("admin.token");
            if (token != null && !token.isBlank()) {
                s = s.withAdminToken(token.trim());
            }
        }
        String token = environment.get(TOKEN_VARIABLE);
        if (token != null && !token.isBlank()) {
            s = s.withAdminToken(token.trim());
        }
        return s;
    }

    /** @param host the address to bind @return a copy */
    public HttpSettings withHost(String host) {
        return new HttpSettings(host, port, adminToken, tokenGenerated, installEnabled, maxBodyBytes, maxPluginBytes,
                maxConcurrentRequests, retryAfterSeconds);
    }

    /** @param port the port, 0 for an ephemeral one @return a copy */
    public HttpSettings withPort(int port) {
        return new HttpSettings(host, port, adminToken, tokenGenerated, installEnabled, maxBodyBytes, maxPluginBytes,
                maxConcurrentRequests, retryAfterSeconds);
    }

    /** @param token the admin token (not generated) @return a copy */
    public HttpSettings withAdminToken(String token) {
        return new HttpSettings(host, port, token, false, installEnabled, maxBodyBytes, maxPluginBytes,
                maxConcurrentRequests, retryAfterSeconds);
    }

    /** @param enabled true to accept plugin installs over HTTP @return a copy */
    public HttpSettings withInstallEnabled(boolean enabled) {
        return new HttpSettings(host, port, adminToken, tokenGenerated, enabled, maxBodyBytes, maxPluginBytes,
                maxConcurrentRequests, retryAfterSeconds);
    }

    /** @param bytes the largest request body @return a copy */
    public HttpSettings withMaxBodyBytes(long bytes) {
        return new HttpSettings(host, port, adminToken, tokenGenerated, installEnabled, bytes, maxPluginBytes,
                maxConcurrentRequests, retryAfterSeconds);
    }

    /** @param bytes the largest plugin jar @return a copy */
    public HttpSettings withMaxPluginBytes(long bytes) {
        return new HttpSettings(host, port, adminToken, tokenGenerated, installEnabled, maxBodyBytes, bytes,
                maxConcurrentRequests, retryAfterSeconds);
    }

    /** @param requests requests served at once @return a copy */
    public HttpSettings withMaxConcurrentRequests(int requests) {
        return new HttpSettings(host, port, adminToken, tokenGenerated, installEnabled, maxBodyBytes, maxPluginBytes,
                requests, retryAfterSeconds);
    }

    /** @param seconds the Retry-After value sent with 503 @return a copy */
    public HttpSettings withRetryAfterSeconds(int seconds) {
        return new HttpSettings(host, port, adminToken, tokenGenerated, installEnabled, maxBodyBytes, maxPluginBytes,
                maxConcurrentRequests, seconds);
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "HttpSettings[host=" + host + ", port=" + port + ", adminToken=(hidden), installEnabled="
                + installEnabled + ", maxBodyBytes=" + maxBodyBytes + ", maxPluginBytes=" + maxPluginBytes
                + ", maxConcurrentRequests=" + maxConcurrentRequests + "]";
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }

    private static int intValue(Properties p, String key, int fallback, String where) {
        return (int) longValue(p, key, fallback, where);
    }

    private static long longValue(Properties p, String key, long fallback, String where) {
        String text = p.getProperty(key);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + where + " must be an integer, got '" + text + "'");
        }
    }
}
