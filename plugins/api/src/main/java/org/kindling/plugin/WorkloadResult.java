package org.kindling.plugin;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of a workload run: a status, a message, final metrics and the files it produced.
 *
 * <pre>
 * return WorkloadResult.succeeded(Map.of("accuracy", 0.97, "loss", 0.08), List.of(outputDir.resolve("model.safetensors")));
 * </pre>
 *
 * @param status terminal status
 * @param message one line: what was done, or why it failed
 * @param metrics final metric values by name (insertion order kept)
 * @param artifacts files the run wrote
 */
public record WorkloadResult(RunStatus status, String message, Map<String, Double> metrics, List<Path> artifacts) {

    /** Checks that the status is terminal and copies the collections. */
    public WorkloadResult {
        Objects.requireNonNull(status, "status");
        if (!status.isTerminal()) {
            throw new IllegalArgumentException("a result needs a terminal status, got " + status);
        }
        message = message == null ? "" : message;
        metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        artifacts = List.copyOf(artifacts);
    }

    /**
     * @param metrics final metrics
     * @param artifacts files written
     * @return a SUCCEEDED result with an empty message
     */
    public static WorkloadResult succeeded(Map<String, Double> metrics, List<Path> artifacts) {
        return new WorkloadResult(RunStatus.SUCCEEDED, "", metrics, artifacts);
    }

    /**
     * @param message why it failed
     * @return a FAILED result with no metrics and no artifacts
     */
    public static WorkloadResult failed(String message) {
        return new WorkloadResult(RunStatus.FAILED, message, Map.of(), List.of());
    }

    /**
     * @param message the new message
     * @return a copy with that message
     */
    public WorkloadResult withMessage(String message) {
        return new WorkloadResult(status, message, metrics, artifacts);
    }
}
