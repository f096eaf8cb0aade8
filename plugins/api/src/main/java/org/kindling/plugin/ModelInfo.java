package org.kindling.plugin;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The metadata of one stored model version, as kept in the model store beside the model file.
 *
 * <pre>
 * ModelInfo m = hub.models().get("demo-mlp").orElseThrow();
 * System.out.println(m.name() + " v" + m.version() + " " + m.format() + " from " + m.workload() + " " + m.metrics());
 * </pre>
 *
 * @param name model name (letters, digits, '.', '-', '_')
 * @param version version number, 1 for the first model stored under the name
 * @param format name of the {@link ModelFormat} of the file, such as "safetensors" or "onnx"
 * @param fileName name of the model file inside the store
 * @param workload id of the workload that produced it, or empty for an imported model
 * @param metrics metrics of the producing run
 * @param properties free-form properties a predictor needs (architecture, input shape, labels...)
 * @param sha256 SHA-256 of the file, lower-case hex
 * @param sizeBytes size of the file
 * @param created when it was stored
 */
public record ModelInfo(String name, int version, String format, String fileName, String workload,
                        Map<String, Double> metrics, Map<String, String> properties, String sha256, long sizeBytes,
                        Instant created) {

    /** Checks the name and copies the maps. */
    public ModelInfo {
        checkName(name);
        if (version < 1) {
            throw new IllegalArgumentException("model version must be >= 1, got " + version);
        }
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(fileName, "fileName");
        workload = workload == null ? "" : workload;
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(created, "created");
    }

    /** @return {@code name:version}, how the CLI and HTTP API name one version */
    public String reference() {
        return name + ":" + version;
    }

    /**
     * Checks a model name.
     *
     * @param name the name
     * @return the name
     * @throws HubException BAD_REQUEST when it is empty, longer than 100 characters, or has characters outside
     *         letters, digits, '.', '-', '_' (so a name can never leave the store's folder)
     */
    public static String checkName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,99}")) {
            throw new HubException(HubException.Kind.BAD_REQUEST,
                    "model name must be 1-100 characters of letters, digits, '.', '-', '_' (not starting with '.' or '-'), got '"
                            + name + "'");
        }
        return name;
    }
}
