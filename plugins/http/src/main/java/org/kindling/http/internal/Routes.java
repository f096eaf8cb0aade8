package org.kindling.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;

import org.kindling.http.HttpSettings;
import org.kindling.http.HubServices;
import org.kindling.plugin.HubException;
import org.kindling.plugin.ModelInfo;
import org.kindling.plugin.PluginInfo;
import org.kindling.plugin.Prediction;
import org.kindling.plugin.PredictionInput;
import org.kindling.plugin.RunRequest;
import org.kindling.plugin.RunStatus;
import org.kindling.plugin.WorkloadDescriptor;
import org.kindling.plugin.WorkloadOption;
import org.kindling.plugin.WorkloadResult;
import org.kindling.plugin.WorkloadRun;

/** The API's routes and their handlers, over the hub services only. */
public final class Routes {

    /** Serves one matched route. */
    @FunctionalInterface
    public interface Handler {
        void handle(Exchange exchange, Router.Match<Handler> match) throws IOException;
    }

    private static final Set<String> UNLIMITED = Set.of("/health", "/metrics");
    private static final Set<String> RUN_FIELDS = Set.of("options", "seed", "timeoutSeconds");

    private final HubServices hub;
    private final HttpSettings settings;
    private final Bodies bodies;
    private final AdminToken admin;
    private final HttpMetrics metrics;

    private Routes(HubServices hub, HttpSettings settings, Bodies bodies, AdminToken admin, HttpMetrics metrics) {
        this.hub = hub;
        this.settings = settings;
        this.bodies = bodies;
        this.admin = admin;
        this.metrics = metrics;
    }

    public static Router<Handler> build(HubServices hub, HttpSettings settings, Bodies bodies, AdminToken admin,
                                        HttpMetrics metrics) {
        Routes r = new Routes(hub, settings, bodies, admin, metrics);
        return new Router<Handler>()
                .add("GET", "/health", (ex, m) -> r.health(ex))
                .add("GET", "/metrics", (ex, m) -> r.metrics(ex))
                .add("GET", "/plugins", (ex, m) -> r.listPlugins(ex))
                .add("POST", "/plugins", (ex, m) -> r.installPlugin(ex))
                .add("GET", "/plugins/{id}", (ex, m) -> r.getPlugin(ex, m.param("id")))
                .add("DELETE", "/plugins/{id}", (ex, m) -> r.uninstallPlugin(ex, m.param("id")))
                .add("GET", "/workloads", (ex, m) -> r.listWorkloads(ex))
                .add("GET", "/workloads/{id}", (ex, m) -> r.describeWorkload(ex, m.param("id")))
                .add("POST", "/workloads/{id}/runs", (ex, m) -> r.startRun(ex, m.param("id")))
                .add("GET", "/runs", (ex, m) -> r.listRuns(ex))
                .add("GET", "/runs/{id}", (ex, m) -> r.getRun(ex, m.param("id")))
                .add("DELETE", "/runs/{id}", (ex, m) -> r.cancelRun(ex, m.param("id")))
                .add("GET", "/models", (ex, m) -> r.listModels(ex))
                .add("GET", "/models/{name}", (ex, m) -> r.getModel(ex, m.param("name")))
                .add("DELETE", "/models/{name}", (ex, m) -> r.deleteModel(ex, m.param("name")))
                .add("POST", "/models/{name}/predict", (ex, m) -> r.predict(ex, m.param("name")));
    }

    /** True for the routes served even when the server is at its concurrency limit. */
    public static boolean isUnlimited(String route) {
        return UNLIMITED.contains(route);
    }

    /** The HTTP form of a hub failure; UNAVAILABLE becomes 503 with Retry-After. */
    public static ApiException map(HubException e, HttpSettings settings) {
        String message = e.getMessage() == null ? e.kind().toString() : e.getMessage();
        switch (e.kind()) {
            case NOT_FOUND: return new ApiException(404, message);
            case BAD_REQUEST: return new ApiException(400, message);
            case CONFLICT: return new ApiException(409, message);
            case UNAVAILABLE:
                return new ApiException(503, message).header("Retry-After", Integer.toString(settings.retryAfterSeconds()));
            default: return new ApiException(500, message);
        }
    }

    // ---- health and metrics

    private void health(Exchange ex) throws IOException {
        ObjectNode body = ex.object();
        try {
            List<PluginInfo> plugins = hub.plugins().list();
            long active = plugins.stream().filter(p -> "ACTIVE".equals(p.state())).count();
            long failed = plugins.stream().filter(p -> !p.failure().isEmpty()).count();
            body.put("status", "UP");
            ObjectNode p = body.putObject("plugins");
            p.put("total", plugins.size());
            p.put("active", active);
            p.put("failed", failed);
            body.put("workloads", hub.workloads().list().size());
            body.put("models", hub.models().list().size());
            ex.json(200, body);
        } catch (HubException e) {
            body.put("status", "DOWN");
            body.put("reason", e.getMessage());
            ex.response().setHeader("Retry-After", Integer.toString(settings.retryAfterSeconds()));
            ex.json(503, body);
        }
    }

    private void metrics(Exchange ex) throws IOException {
        StringBuilder out = new StringBuilder(4096);
        metrics.writeTo(out);
        boolean up = true;
        try {
            Map<Map<String, String>, Integer> runs = new TreeMap<>(Routes::compareLabels);
            for (RunStatus s : RunStatus.values()) {
                runs.put(Map.of("status", s.name()), 0);
            }
            for (WorkloadRun run : hub.workloads().runs()) {
                runs.merge(Map.of("status", run.status().name()), 1, Integer::sum);
            }
            HttpMetrics.gauge(out, "kindling_runs", "Workload runs known to the hub, by status.", runs);

            List<PluginInfo> plugins = hub.plugins().list();
            Map<Map<String, String>, Integer> byState = new TreeMap<>(Routes::compareLabels);
            Map<Map<String, String>, Integer> each = new TreeMap<>(Routes::compareLabels);
            for (PluginInfo p : plugins) {
                byState.merge(Map.of("state", p.state()), 1, Integer::sum);
                each.put(Map.of("plugin", p.id(), "version", p.version(), "state", p.state()),
                        "ACTIVE".equals(p.state()) && p.failure().isEmpty() ? 1 : 0);
            }
            HttpMetrics.gauge(out, "kindling_plugins", "Plugins, by bundle state (FAILED: could not be installed).",
                    byState);
            HttpMetrics.gauge(out, "kindling_plugin_up", "1 for a plugin that is active without failure, else 0.",
                    each);
            HttpMetrics.gauge(out, "kindling_workloads", "Workloads registered now.",
                    Map.of(Map.of(), hub.workloads().list().size()));
            HttpMetrics.gauge(out, "kindling_models", "Models in the store.", Map.of(Map.of(), hub.models().list().size()));
        } catch (HubException e) {
            up = false;
        }
        HttpMetrics.gauge(out, "kindling_hub_up", "1 when the hub's services answer, else 0.", Map.of(Map.of(), up ? 1 : 0));
        ex.text(200, "text/plain; version=0.0.4; charset=utf-8", out.toString());
    }

    private static int compareLabels(Map<String, String> a, Map<String, String> b) {
        return new TreeMap<>(a).toString().compareTo(new TreeMap<>(b).toString());
    }

    // ---- plugins

    private void listPlugins(Exchange ex) throws IOException {
        listOf(ex, "plugins", hub.plugins().list(), Routes::plugin);
    }

    /** Answers {@code {"<key>": [item, ...]}}. */
    private static <T> void listOf(Exchange ex, String key, List<T> items, BiFunction<Exchange, T, ObjectNode> toJson)
            throws IOException {
        ObjectNode body = ex.object();
        ArrayNode list = body.putArray(key);
        items.forEach(item -> list.add(toJson.apply(ex, item)));
        ex.json(200, body);
    }

    private void getPlugin(Exchange ex, String id) throws IOException {
        PluginInfo p = hub.plugins().get(id)
                .orElseThrow(() -> ApiException.notFound("no plugin '" + id + "'; GET /plugins lists them"));
        ex.json(200, plugin(ex, p));
    }

    private void installPlugin(Exchange ex) throws IOException {
        admin.check(ex.request().getHeader("Authorization"));
        if (!settings.installEnabled()) {
            throw new ApiException(403, "installing plugins over HTTP is disabled; enable it with 'install.enabled=true'"
                    + " in " + HttpSettings.CONFIG_FILE + " or 'kindling serve --allow-install'");
        }
        Path upload = Files.createTempFile("kindling-upload-", ".jar");
        try {
            long size = bodies.copyTo(ex.request(), upload, settings.maxPluginBytes());
            if (size == 0) {
                throw ApiException.badRequest("send the plugin jar as the request body (Content-Type: application/java-archive)");
            }
            PluginInfo installed = hub.plugins().install(upload);
            ObjectNode body = plugin(ex, installed);
            if (!installed.failure().isEmpty()) {
                ObjectNode error = ex.object();
                error.put("error", "plugin " + installed.id() + " was installed but does not work: " + installed.failure());
                error.put("status", 422);
                error.set("plugin", body);
                ex.json(422, error);
                return;
            }
            ex.response().setHeader("Location", "/plugins/" + installed.id());
            ex.json(201, body);
        } finally {
            Files.deleteIfExists(upload);
        }
    }

    private void uninstallPlugin(Exchange ex, String id) throws IOException {
        admin.check(ex.request().getHeader("Authorization"));
        hub.plugins().uninstall(id);
        ObjectNode body = ex.object();
        body.put("uninstalled", id);
        ex.json(200, body);
    }

    private static ObjectNode plugin(Exchange ex, PluginInfo p) {
        ObjectNode n = ex.object();
        n.put("id", p.id());
        n.put("bundleId", p.bundleId());
        n.put("version", p.version());
        n.put("state", p.state());
        ArrayNode w = n.putArray("workloads");
        p.workloads().forEach(w::add);
        if (!p.failure().isEmpty()) {
            n.put("failure", p.failure());
        }
        return n;
    }

    // ---- workloads and runs

    private void listWorkloads(Exchange ex) throws IOException {
        listOf(ex, "workloads", hub.workloads().list(), Routes::workload);
    }

    private void describeWorkload(Exchange ex, String id) throws IOException {
        WorkloadDescriptor w = hub.workloads().describe(id)
                .orElseThrow(() -> ApiException.notFound("no workload '" + id + "'; GET /workloads lists them"));
        ex.json(200, workload(ex, w));
    }

    private void startRun(Exchange ex, String workloadId) throws IOException {
        JsonNode body = bodies.readObject(ex.request());
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!RUN_FIELDS.contains(name)) {
                throw ApiException.badRequest("unknown field '" + name + "' in the run request; expected "
                        + String.join(", ", new java.util.TreeSet<>(RUN_FIELDS)));
            }
        }
        Map<String, String> options = new LinkedHashMap<>();
        JsonNode given = body.get("options");
        if (given != null && !given.isNull()) {
            if (!given.isObject()) {
                throw ApiException.badRequest("'options' must be an object of name -> value, found " + Bodies.kind(given));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> o = it.next();
                if (!o.getValue().isValueNode() || o.getValue().isNull()) {
                    throw ApiException.badRequest("option '" + o.getKey() + "' must be a string, number or boolean, found "
                            + Bodies.kind(o.getValue()));
                }
                options.put(o.getKey(), o.getValue().asText());
            }
        }
        RunRequest request = RunRequest.of(options);
        JsonNode seed = body.get("seed");
        if (seed != null && !seed.isNull()) {
            if (!seed.isIntegralNumber() || !seed.canConvertToLong()) {
                throw ApiException.badRequest("'seed' must be an integer, found " + Bodies.kind(seed));
            }
            request = request.withSeed(seed.longValue());
        }
        JsonNode timeout = body.get("timeoutSeconds");
        if (timeout != null && !timeout.isNull()) {
            if (!timeout.isNumber() || timeout.doubleValue() <= 0 || timeout.doubleValue() > 7 * 24 * 3600) {
                throw ApiException.badRequest("'timeoutSeconds' must be a number in (0, 604800], found "
                        + Bodies.kind(timeout));
            }
            request = request.withTimeout(Duration.ofMillis(Math.max(1, (long) (timeout.doubleValue() * 1000))));
        }
        WorkloadRun run = hub.workloads().start(workloadId, request);
        ex.response().setHeader("Location", "/runs/" + run.id());
        ex.json(202, run(ex, run));
    }

    private void listRuns(Exchange ex) throws IOException {
        listOf(ex, "runs", hub.workloads().runs(), Routes::run);
    }

    private void getRun(Exchange ex, String id) throws IOException {
        ex.json(200, run(ex, findRun(id)));
    }

    private void cancelRun(Exchange ex, String id) throws IOException {
        WorkloadRun run = findRun(id);
        if (run.status().isTerminal()) {
            throw new ApiException(409, "run " + id + " has already finished with status " + run.status());
        }
        hub.workloads().cancel(id);
        ex.json(202, run(ex, run));
    }

    private WorkloadRun findRun(String id) {
        return hub.workloads().run(id)
                .orElseThrow(() -> ApiException.notFound("no run '" + id + "'; GET /runs lists them"));
    }

    private static ObjectNode workload(Exchange ex, WorkloadDescriptor w) {
        ObjectNode n = ex.object();
        n.put("id", w.id());
        n.put("title", w.title());
        n.put("description", w.description());
        ArrayNode tags = n.putArray("tags");
        w.tags().forEach(tags::add);
        ArrayNode options = n.putArray("options");
        for (WorkloadOption o : w.options()) {
            ObjectNode on = options.addObject();
            on.put("name", o.name());
            on.put("type", o.type().name().toLowerCase(Locale.ROOT));
            if (o.defaultValue() != null) {
                on.put("default", o.defaultValue());
            }
            on.put("required", o.required());
            on.put("help", o.help());
        }
        n.put("plugin", w.plugin());
        n.put("pluginVersion", w.pluginVersion());
        return n;
    }

    private static ObjectNode run(Exchange ex, WorkloadRun r) {
        ObjectNode n = ex.object();
        n.put("id", r.id());
        n.put("workload", r.workloadId());
        n.put("status", r.status().name());
        n.put("progress", r.progress());
        n.put("message", r.progressMessage());
        n.put("submitted", r.submitted().toString());
        ObjectNode m = n.putObject("metrics");
        r.metrics().forEach(m::put);
        r.result().ifPresent(result -> n.set("result", result(ex, result)));
        return n;
    }

    private static ObjectNode result(Exchange ex, WorkloadResult result) {
        ObjectNode n = ex.object();
        n.put("status", result.status().name());
        n.put("message", result.message());
        ObjectNode m = n.putObject("metrics");
        result.metrics().forEach(m::put);
        ArrayNode artifacts = n.putArray("artifacts");
        // File names only: absolute server paths tell a client nothing it can use and reveal the host's layout.
        result.artifacts().forEach(p -> artifacts.add(String.valueOf(p.getFileName())));
        return n;
    }

    // ---- models and predictions

    private void listModels(Exchange ex) throws IOException {
        listOf(ex, "models", hub.models().list(), Routes::model);
    }

    private void getModel(Exchange ex, String name) throws IOException {
        ModelInfo m = hub.models().get(name)
                .orElseThrow(() -> ApiException.notFound("no model '" + name + "'; GET /models lists them"));
        ex.json(200, model(ex, m));
    }

    private void deleteModel(Exchange ex, String name) throws IOException {
        admin.check(ex.request().getHeader("Authorization"));
        if (!hub.models().delete(name)) {
            throw ApiException.notFound("no model '" + name + "'; GET /models lists them");
        }
        ObjectNode body = ex.object();
        body.put("deleted", name);
        ex.json(200, body);
    }

    private void predict(Exchange ex, String model) throws IOException {
        String contentType = ex.request().getContentType();
        PredictionInput input;
        if (contentType == null || contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            input = PredictionInput.tensors(bodies.readTensors(ex.request()));
        } else {
            byte[] raw = bodies.read(ex.request());
            if (raw.length == 0) {
                throw ApiException.badRequest("empty " + contentType + " body: send the image or text to predict on");
            }
            input = PredictionInput.bytes(raw, contentType);
        }
        Prediction p = hub.predictions().predict(model, input);
        ObjectNode body = ex.object();
        body.put("model", model);
        body.set("outputs", TensorJson.writeAll(p.outputs()));
        body.put("summary", p.summary());
        ex.json(200, body);
    }

    private static ObjectNode model(Exchange ex, ModelInfo m) {
        ObjectNode n = ex.object();
        n.put("name", m.name());
        n.put("version", m.version());
        n.put("format", m.format());
        n.put("workload", m.workload());
        ObjectNode metrics = n.putObject("metrics");
        m.metrics().forEach(metrics::put);
        ObjectNode props = n.putObject("properties");
        m.properties().forEach(props::put);
        n.put("sha256", m.sha256());
        n.put("sizeBytes", m.sizeBytes());
        n.put("created", m.created().toString());
        return n;
    }
}
