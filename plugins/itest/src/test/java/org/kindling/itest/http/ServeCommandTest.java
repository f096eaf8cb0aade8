package org.kindling.itest.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kindling serve} from the distribution: it prints where it listens and the generated admin token, serves the
 * API, accepts a plugin over HTTP with {@code --allow-install} and the token, and stops cleanly on SIGTERM.
 */
class ServeCommandTest {

    private static final Pattern SERVING = Pattern.compile("serving (http://\\S+)");
    private static final Pattern TOKEN = Pattern.compile("admin token \\(generated for this run\\): (\\S+)");

    @TempDir
    Path home;

    @Test
    void servePrintsItsAddressAndTokenAndStopsOnSigterm() throws Exception {
        Path script = Path.of(System.getProperty("kindling.dist"), "bin", "kindling");
        ProcessBuilder builder = new ProcessBuilder(script.toString(), "--home", home.toString(), "serve", "--port", "0",
                "--allow-install").redirectErrorStream(true);
        builder.environment().remove("KINDLING_ADMIN_TOKEN");
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        URI uri = null;
        String token = null;
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((uri == null || token == null) && System.nanoTime() < deadline) {
                String line = lines.readLine();
                if (line == null) {
                    break;
                }
                output.append(line).append('\n');
                Matcher serving = SERVING.matcher(line);
                if (serving.find()) {
                    uri = URI.create(serving.group(1));
                }
                Matcher t = TOKEN.matcher(line);
                if (t.find()) {
                    token = t.group(1);
                }
            }
            assertNotNull(uri, "no 'serving http://...' line in:\n" + output);
            assertNotNull(token, "no generated admin token printed in:\n" + output);
            assertEquals("127.0.0.1", uri.getHost(), "loopback by default");
            assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token);
            new Thread(() -> lines.lines().forEach(l -> { }), "drain-serve-output").start();

            Api api = new Api(uri);
            assertEquals("UP", api.get("/health").json().path("status").asText());
            assertEquals(401, api.delete("/models/none", null).status());
            assertEquals(404, api.delete("/models/none", token).status(), "the printed token is the admin token");

            Path jar = PredictorPlugins.variant(home.resolve("upload.jar"), "org.kindling.testplugin.predict.served",
                    "1.0.0", 2);
            Api.Response installed = api.send(api.request("/plugins").header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofFile(jar)).build());
            assertEquals(201, installed.status(), installed.toString());
            assertEquals("ACTIVE", installed.json().path("state").asText());
        } finally {
            process.destroy();
        }
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "kindling serve did not stop on SIGTERM:\n" + output);
        assertTrue(refused(uri), "the port is closed after the stop");
    }

    private static boolean refused(URI uri) throws IOException {
        try (Socket ignored = new Socket(uri.getHost(), uri.getPort())) {
            return false;
        } catch (ConnectException e) {
            return true;
        }
    }
}
