package org.kindling.plugin;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A model to add to the {@link ModelStore}: the file to copy in and its metadata. The store assigns the version,
 * checksum, size and time.
 *
 * <pre>
 * ModelInfo stored = context.models().put(new NewModel("demo-mlp", "safetensors", file, context.workloadId(),
 *         Map.of("accuracy", 0.98), Map.of("layers", "2,16,3")));
 * </pre>
 *
 * @param name model name, see {@link ModelInfo#checkName(String)}
 * @param format the file's format name
 * @param file the file to copy into the store (left in place)
 * @param workload producing workload id, or empty
 * @param metrics metrics to keep with the model
 * @param properties what a predictor needs to rebuild the model
 */
public record NewModel(String name, String format, Path file, String workload, Map<String, Double> metrics,
                       Map<String, String> properties) {

    /** Checks the name and copies the maps, keeping their order. */
    public NewModel {
        ModelInfo.checkName(name);
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(file, "file");
        workload = workload == null ? "" : workload;
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
        properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
    }
}
