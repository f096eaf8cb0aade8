package org.kindling.itest.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.http.HttpSettings;
import org.kindling.http.HubServer;
import org.kindling.http.HubServices;
import org.kindling.hub.Hub;

/**
 * The HTTP API against a real hub (Felix, the hub bundle, the demo workload, a predictor plugin deployed through the
 * deploy folder) and a real Jetty on an ephemeral port, called with java.net.http.
 */
class HttpApiTest {

    private static final String TOKEN = "test-admin-token-7f3a";
    private static final long BODY_LIMIT = 64 * 1024;

    @TempDir
    static Path home;

    private static Hub hub;
    private static HubServices services;
    private static HubServer server;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        hub = Hub.builder().home(home).property("felix.fileinstall.poll", "200").start();
        PredictorPlugins.variant(hub.deployDir().resolve("predict-a.jar"), PredictorPlugins.A, "1.0.0", 3);
        PredictorPlugins.awaitActive(hub.plugins(), PredictorPlugins.A, "1.0.0", Duration.ofSeconds(15));
        PredictorPlugins.storeModel(hub.models(), "model-a", PredictorPlugins.A, Files.createDirectories(home.resolve("scratch")));
        services = new HubServices(hub.workloads(), hub.models(), hub.predictions(), hub.plugins());
        server = HubServer.start(services, settings());
        api = new Api(server.uri());
    }

    private static HttpSettings settings() {
        return HttpSettings.defaults().withPort(0).withAdminToken(TOKEN).withMaxBodyBytes(BODY_LIMIT)
                .withMaxConcurrentRequests(8);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
        if (hub != null) {
            hub.stop();
        }
    }

    @Test
    void healthCountsPluginsWorkloadsAndModels() throws Exception {
        Api.Response r = api.get("/health");
        assertEquals(200, r.status(), r.toString());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
        JsonNode body = r.json();
        assertEquals("UP", body.path("status").asText());
        assertEquals(hub.plugins().list().size(), body.path("plugins").path("total").asInt());
        assertTrue(body.path("plugins").path("active").asInt() >= 2, body.toString());
        assertEquals(hub.workloads().list().size(), body.path("workloads").asInt());
        assertTrue(body.path("models").asInt() >= 1, body.toString());
    }

    @Test
    void pluginsListTheDeployedPredictorAsActive() throws Exception {
        JsonNode plugins = api.get("/plugins").json().path("plugins");
        JsonNode a = find(plugins, "id", PredictorPlugins.A);
        assertEquals("ACTIVE", a.path("state").asText());
        assertEquals("1.0.0", a.path("version").asText());
        assertTrue(a.path("bundleId").asLong() > 0);
        assertEquals(200, api.get("/plugins/" + PredictorPlugins.A).status());
        assertEquals(404, api.get("/plugins/no.such.plugin").status());
    }

    @Test
    void workloadsDescribeTheDemoWithItsOptions() throws Exception {
        JsonNode demo = find(api.get("/workloads").json().path("workloads"), "id", "demo.mlp");
        JsonNode epochs = find(demo.path("options"), "name", "epochs");
        assertEquals("int", epochs.path("type").asText());
        assertEquals("300", epochs.path("default").asText());
        assertEquals("demo.mlp", api.get("/workloads/demo.mlp").json().path("id").asText());
        Api.Response missing = api.get("/workloads/no.such.workload");
        assertEquals(404, missing.status());
        assertTrue(missing.json().path("error").asText().contains("no.such.workload"), missing.toString());
    }

    @Test
    void runTrainsTheDemoAsynchronouslyAndItsModelPredicts() throws Exception {
        Api.Response started = api.postJson("/workloads/demo.mlp/runs",
                "{\"options\": {\"epochs\": 30, \"hidden\": 8, \"points\": 30, \"model\": \"http-demo\"}, \"seed\": 7}");
        assertEquals(202, started.status(), started.toString());
        String id = started.json().path("id").asText();
        assertFalse(id.isEmpty(), started.toString());
        assertEquals("/runs/" + id, started.header("Location"));

        JsonNode run = awaitRun(id, Duration.ofSeconds(60));
        assertEquals("SUCCEEDED", run.path("status").asText(), run.toString());
        assertEquals("SUCCEEDED", run.path("result").path("status").asText(), run.toString());
        assertEquals(1.0, run.path("progress").asDouble(), 1e-9, run.toString());
        assertTrue(run.path("result").path("metrics").size() > 0, run.toString());
        assertTrue(find(api.get("/runs").json().path("runs"), "id", id).path("status").asText().equals("SUCCEEDED"));

        JsonNode model = api.get("/models/http-demo").json();
        assertEquals("demo.mlp", model.path("workload").asText(), model.toString());
        assertEquals(64, model.path("sha256").asText().length(), model.toString());

        Api.Response p = api.postJson("/models/http-demo/predict", "{\"inputs\": {\"x\": [[0.3, -0.7], [0.0, 0.9]]}}");
        assertEquals(200, p.status(), p.toString());
        JsonNode probs = p.json().path("outputs").path("probabilities");
        assertEquals("[2,3]", probs.path("shape").toString());
        for (int row = 0; row < 2; row++) {
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                double v = probs.path("data").get(row * 3 + c).asDouble();
                assertTrue(v >= 0 && v <= 1, probs.toString());
                sum += v;
            }
            assertEquals(1.0, sum, 1e-5, probs.toString());
        }
    }

    @Test
    void deleteCancelsARunningRun() throws Exception {
        Api.Response started = api.postJson("/workloads/demo.mlp/runs",
                "{\"options\": {\"epochs\": 10000000, \"model\": \"never-stored\"}}");
        assertEquals(202, started.status(), started.toString());
        String id = started.json().path("id").asText();
        Api.Response cancelled = api.delete("/runs/" + id, null);
        assertEquals(202, cancelled.status(), cancelled.toString());
        JsonNode run = awaitRun(id, Duration.ofSeconds(30));
        assertEquals("CANCELLED", run.path("status").asText(), run.toString());
        Api.Response again = api.delete("/runs/" + id, null);
        assertEquals(409, again.status(), again.toString());
        assertTrue(again.json().path("error").asText().contains("CANCELLED"), again.toString());
        assertEquals(404, api.get("/runs/no-such-run").status());
        assertEquals(404, api.get("/models/never-stored").status());
    }

    @Test
    void badRunRequestsNameTheProblem() throws Exception {
        Api.Response unknownOption = api.postJson("/workloads/demo.mlp/runs", "{\"options\": {\"epoch\": 3}}");
        assertEquals(400, unknownOption.status(), unknownOption.toString());
        assertTrue(unknownOption.json().path("error").asText().contains("epoch"), unknownOption.toString());
        Api.Response badType = api.postJson("/workloads/demo.mlp/runs", "{\"options\": {\"epochs\": \"many\"}}");
        assertEquals(400, badType.status(), badType.toString());
        assertTrue(badType.json().path("error").asText().contains("many"), badType.toString());
        Api.Response unknownField = api.postJson("/workloads/demo.mlp/runs", "{\"option\": {}}");
        assertEquals(400, unknownField.status(), unknownField.toString());
        assertTrue(unknownField.json().path("error").asText().contains("'option'"), unknownField.toString());
    }

    @Test
    void predictTakesTensorsInBothFormsAndRawText() throws Exception {
        Api.Response p = api.postJson("/models/model-a/predict",
                "{\"inputs\": {\"x\": {\"shape\": [2, 2], \"data\": [1.5, -2, 0.25, 4]}}}");
        assertEquals(200, p.status(), p.toString());
        JsonNode y = p.json().path("outputs").path("y");
        assertEquals("[2,2]", y.path("shape").toString());
        assertEquals("[4.5,-6.0,0.75,12.0]", y.path("data").toString());
        assertEquals(PredictorPlugins.A + "@1.0.0", p.json().path("summary").asText());

        Api.Response nested = api.postJson("/models/model-a/predict", "{\"inputs\": {\"x\": [[1], [2], [3]]}}");
        assertEquals("[3,1]", nested.json().path("outputs").path("y").path("shape").toString(), nested.toString());
        assertEquals("[3.0,6.0,9.0]", nested.json().path("outputs").path("y").path("data").toString());

        Api.Response text = api.send(api.request("/models/model-a/predict").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("héllo")).build());
        assertEquals(200, text.status(), text.toString());
        assertEquals("[15.0]", text.json().path("outputs").path("length").path("data").toString());

        Api.Response image = api.send(api.request("/models/model-a/predict").header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {(byte) 0x89, 'P', 'N', 'G'})).build());
        assertEquals(400, image.status(), image.toString());
        assertTrue(image.json().path("error").asText().contains("image/png"), image.toString());
    }

    @Test
    void malformedJsonIs400NamingTheProblemAndWhere() throws Exception {
        Api.Response r = api.postJson("/models/model-a/predict", "{\"inputs\": {\"x\": [1, 2,]}}");
        assertEquals(400, r.status(), r.toString());
        String error = r.json().path("error").asText();
        assertTrue(error.startsWith("malformed JSON: "), error);
        assertTrue(error.contains("line 1, column"), error);
        noStackTrace(r.body());

        Api.Response notObject = api.postJson("/models/model-a/predict", "[1, 2]");
        assertEquals(400, notObject.status());
        assertTrue(notObject.json().path("error").asText().contains("expected a JSON object"), notObject.toString());

        Api.Response trailing = api.postJson("/models/model-a/predict", "{\"inputs\": {}} {}");
        assertEquals(400, trailing.status(), trailing.toString());

        Api.Response shape = api.postJson("/models/model-a/predict",
                "{\"inputs\": {\"x\": {\"shape\": [2, 3], \"data\": [1, 2]}}}");
        assertEquals(400, shape.status());
        assertEquals("'inputs.x': shape [2, 3] holds 6 values, but data has 2", shape.json().path("error").asText());

        Api.Response ragged = api.postJson("/models/model-a/predict", "{\"inputs\": {\"x\": [[1, 2], [3]]}}");
        assertEquals(400, ragged.status());
        assertTrue(ragged.json().path("error").asText().contains("not rectangular"), ragged.toString());

        Api.Response deep = api.postJson("/models/model-a/predict",
                "{\"inputs\": {\"x\": " + "[".repeat(200) + "]".repeat(200) + "}}");
        assertEquals(400, deep.status(), deep.toString());
        assertTrue(deep.json().path("error").asText().contains("nesting depth"), deep.toString());

        Api.Response wrongInput = api.postJson("/models/model-a/predict", "{\"inputs\": {\"z\": [1]}}");
        assertEquals(400, wrongInput.status());
        assertTrue(wrongInput.json().path("error").asText().contains("named 'x'"), wrongInput.toString());
    }

    @Test
    void oversizedBodiesAre413WithOrWithoutContentLength() throws Exception {
        String big = "{\"inputs\": {\"x\": [" + "1,".repeat((int) BODY_LIMIT) + "1]}}";
        Api.Response declared = api.postJson("/models/model-a/predict", big);
        assertEquals(413, declared.status(), declared.body());
        assertTrue(declared.json().path("error").asText().contains("limit is " + BODY_LIMIT + " bytes"), declared.body());

        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        Api.Response chunked = api.send(api.request("/models/model-a/predict")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))).build());
        assertEquals(413, chunked.status(), chunked.body());
        assertTrue(chunked.json().path("error").asText().contains("more than " + BODY_LIMIT), chunked.body());

        String huge = raw("POST /models/model-a/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 10000000000\r\nConnection: close\r\n\r\n{");
        assertTrue(huge.startsWith("HTTP/1.1 413"), huge);
        assertTrue(huge.contains("10000000000 bytes declared"), huge);

        assertEquals(200, api.postJson("/models/model-a/predict", "{\"inputs\": {\"x\": [1]}}").status(),
                "the server still serves after refusing large bodies");
    }

    @Test
    void unknownRoutesAre404AndWrongMethods405() throws Exception {
        Api.Response r = api.get("/no/such/route");
        assertEquals(404, r.status());
        assertEquals("no route for GET /no/such/route", r.json().path("error").asText());
        Api.Response model = api.postJson("/models/no-such-model/predict", "{\"inputs\": {\"x\": [1]}}");
        assertEquals(404, model.status(), model.toString());
        assertTrue(model.json().path("error").asText().contains("no-such-model"), model.toString());
        Api.Response method = api.delete("/health", null);
        assertEquals(405, method.status());
        assertEquals("GET", method.header("Allow"));
    }

    @Test
    void aFailingPredictorGivesAMessageNeverAStackTrace() throws Exception {
        Api.Response r = api.postJson("/models/model-a/predict", "{\"inputs\": {\"fail\": [1]}}");
        assertEquals(500, r.status(), r.toString());
        assertTrue(r.json().path("error").asText().contains("the test predictor was asked to fail"), r.toString());
        noStackTrace(r.body());
    }

    @Test
    void jettyLevelErrorsCarryNoStackTrace() throws Exception {
        String response = raw("GET /models/%zz/predict HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 400"), response);
        noStackTrace(response);
        String badLength = raw("POST /models/model-a/predict HTTP/1.1\r\nHost: localhost\r\nContent-Length: x\r\n"
                + "Connection: close\r\n\r\n");
        assertTrue(badLength.startsWith("HTTP/1.1 400"), badLength);
        noStackTrace(badLength);
    }

    @Test
    void adminCallsNeedTheBearerToken() throws Exception {
        PredictorPlugins.storeModel(hub.models(), "doomed", PredictorPlugins.A, home.resolve("scratch"));
        Api.Response none = api.delete("/models/doomed", null);
        assertEquals(401, none.status());
        assertTrue(none.header("WWW-Authenticate").startsWith("Bearer"), none.toString());
        Api.Response wrong = api.delete("/models/doomed", TOKEN + "x");
        assertEquals(401, wrong.status());
        assertEquals("the admin token does not match", wrong.json().path("error").asText());
        Api.Response basic = api.send(api.request("/models/doomed").DELETE()
                .header("Authorization", "Basic " + TOKEN).build());
        assertEquals(401, basic.status());
        assertEquals(200, api.get("/models/doomed").status(), "a refused delete keeps the model");

        Api.Response ok = api.delete("/models/doomed", TOKEN);
        assertEquals(200, ok.status(), ok.toString());
        assertEquals(404, api.get("/models/doomed").status());
        assertEquals(404, api.delete("/models/doomed", TOKEN).status());

        Api.Response install = api.send(api.request("/plugins").header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofFile(PredictorPlugins.builtJar())).build());
        assertEquals(403, install.status(), install.toString());
        assertTrue(install.json().path("error").asText().contains("disabled"), install.toString());
        Api.Response installNoToken = api.send(api.request("/plugins")
                .POST(HttpRequest.BodyPublishers.ofFile(PredictorPlugins.builtJar())).build());
        assertEquals(401, installNoToken.status());
        assertEquals(401, api.delete("/plugins/" + PredictorPlugins.A, null).status());
        assertEquals("ACTIVE", hub.plugins().get(PredictorPlugins.A).orElseThrow().state());
    }

    @Test
    void installAndUninstallOverHttpWhenEnabled() throws Exception {
        Path jar = PredictorPlugins.variant(home.resolve("upload-c.jar"), "org.kindling.testplugin.predict.c", "1.2.0", 5);
        try (HubServer admin = HubServer.start(services, settings().withInstallEnabled(true))) {
            Api adminApi = new Api(admin.uri());
            Api.Response notAJar = adminApi.send(adminApi.request("/plugins").header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString("not a jar")).build());
            assertEquals(400, notAJar.status(), notAJar.toString());

            Api.Response installed = adminApi.send(adminApi.request("/plugins")
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/java-archive")
                    .POST(HttpRequest.BodyPublishers.ofFile(jar)).build());
            assertEquals(201, installed.status(), installed.toString());
            assertEquals("ACTIVE", installed.json().path("state").asText(), installed.toString());
            assertEquals("1.2.0", installed.json().path("version").asText());
            assertEquals("/plugins/org.kindling.testplugin.predict.c", installed.header("Location"));

            PredictorPlugins.storeModel(hub.models(), "model-c", "org.kindling.testplugin.predict.c", home.resolve("scratch"));
            Api.Response p = adminApi.postJson("/models/model-c/predict", "{\"inputs\": {\"x\": [2]}}");
            assertEquals("[10.0]", p.json().path("outputs").path("y").path("data").toString(), p.toString());

            Api.Response removed = adminApi.delete("/plugins/org.kindling.testplugin.predict.c", TOKEN);
            assertEquals(200, removed.status(), removed.toString());
            assertTrue(hub.plugins().get("org.kindling.testplugin.predict.c").isEmpty());
            Api.Response gone = adminApi.postJson("/models/model-c/predict", "{\"inputs\": {\"x\": [2]}}");
            assertEquals(503, gone.status(), gone.toString());
            assertEquals("1", gone.header("Retry-After"));
        }
    }

    @Test
    void overloadIs503WithRetryAfter() throws Exception {
        try (HubServer small = HubServer.start(services, settings().withMaxConcurrentRequests(2))) {
            Api smallApi = new Api(small.uri());
            String body = "{\"inputs\": {\"x\": [1]}}";
            String head = "POST /models/model-a/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n";
            List<Socket> held = new ArrayList<>();
            try {
                // Two requests whose bodies stop after the first byte: each holds one of the two slots.
                for (int i = 0; i < 2; i++) {
                    Socket socket = new Socket(small.uri().getHost(), small.port());
                    socket.setSoTimeout(20_000);
                    held.add(socket);
                    socket.getOutputStream().write((head + body.charAt(0)).getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                }
                awaitGauge(smallApi, "kindling_http_concurrency_in_use", 2, Duration.ofSeconds(10));
                Api.Response refused = smallApi.postJson("/models/model-a/predict", body);
                assertEquals(503, refused.status(), refused.toString());
                assertEquals("1", refused.header("Retry-After"));
                assertTrue(refused.json().path("error").asText().contains("limit of 2 concurrent requests"),
                        refused.toString());
                assertEquals(200, smallApi.get("/health").status(), "health is served at the limit");

                for (Socket socket : held) {
                    socket.getOutputStream().write(body.substring(1).getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(response.startsWith("HTTP/1.1 200"), response);
                    assertTrue(response.contains("\"data\":[3.0]"), response);
                }
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
            assertEquals(200, smallApi.postJson("/models/model-a/predict", body).status());
            assertTrue(metric(smallApi.get("/metrics").body(), "kindling_http_overload_rejections_total") >= 1);
            assertEquals(0, metric(smallApi.get("/metrics").body(), "kindling_http_concurrency_in_use"));
        }
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        api.get("/health");
        api.postJson("/models/model-a/predict", "{\"inputs\": {\"x\": [1]}}");
        api.get("/no/such/route");
        Api.Response r = api.get("/metrics");
        assertEquals(200, r.status());
        assertTrue(r.header("Content-Type").startsWith("text/plain; version=0.0.4"), r.header("Content-Type"));
        String text = r.body();
        assertTrue(metric(text, "kindling_http_requests_total{method=\"GET\",route=\"/health\",status=\"200\"}") >= 1, text);
        assertTrue(metric(text, "kindling_http_requests_total{method=\"POST\",route=\"/models/{name}/predict\",status=\"200\"}") >= 1, text);
        assertTrue(metric(text, "kindling_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}") >= 1, text);
        double count = metric(text, "kindling_http_request_duration_seconds_count{route=\"/models/{name}/predict\"}");
        assertEquals(count, metric(text, "kindling_http_request_duration_seconds_bucket{route=\"/models/{name}/predict\",le=\"+Inf\"}"));
        assertTrue(metric(text, "kindling_http_request_duration_seconds_bucket{route=\"/models/{name}/predict\",le=\"0.001\"}") <= count);
        assertTrue(text.contains("# TYPE kindling_http_request_duration_seconds histogram"), text);
        assertEquals(1, metric(text, "kindling_plugin_up{plugin=\"" + PredictorPlugins.A + "\",state=\"ACTIVE\",version=\"1.0.0\"}"), text);
        assertTrue(metric(text, "kindling_plugins{state=\"ACTIVE\"}") >= 2, text);
        assertTrue(text.contains("kindling_runs{status=\"SUCCEEDED\"}"), text);
        assertEquals(1, metric(text, "kindling_hub_up"));
        assertEquals(hub.models().list().size(), (int) metric(text, "kindling_models"));
        for (String line : text.split("\n")) {
            assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE ")
                    || line.matches("[a-z_]+(\\{.*\\})? (-?[0-9.E+-]+|NaN)"), "not exposition format: " + line);
        }
    }

    // ---- helpers

    private static JsonNode awaitRun(String id, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode run = null;
        while (System.nanoTime() < deadline) {
            Api.Response r = api.get("/runs/" + id);
            assertEquals(200, r.status(), r.toString());
            run = r.json();
            if (!run.path("status").asText().matches("QUEUED|RUNNING")) {
                return run;
            }
            Thread.sleep(50);
        }
        fail("run " + id + " did not finish in " + timeout + ": " + run);
        return null;
    }

    static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.path(field).asText())) {
                return n;
            }
        }
        throw new AssertionError("no element with " + field + "=" + value + " in " + array);
    }

    static double metric(String exposition, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(exposition);
        assertTrue(m.find(), "no series " + series + " in\n" + exposition);
        return Double.parseDouble(m.group(1));
    }

    private static void awaitGauge(Api api, String series, double value, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        double last = Double.NaN;
        while (System.nanoTime() < deadline) {
            last = metric(api.get("/metrics").body(), series);
            if (last == value) {
                return;
            }
            Thread.sleep(10);
        }
        fail(series + " did not reach " + value + " within " + timeout + "; last " + last);
    }

    private static final Pattern FRAME = Pattern.compile("\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\([\\w$]+\\.java:\\d+\\)");

    /** A message may name an exception and the line that threw it, but never carries a trace of frames. */
    static void noStackTrace(String body) {
        assertFalse(body.contains("\tat ") || body.contains("\\tat ") || body.contains("Caused by"),
                "stack trace in response: " + body);
        Matcher frames = FRAME.matcher(body);
        int count = 0;
        while (frames.find()) {
            count++;
        }
        assertTrue(count <= 1, count + " stack frames in response: " + body);
        assertFalse(body.contains("org.eclipse.jetty"), "server internals in response: " + body);
    }

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket(server.uri().getHost(), server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
