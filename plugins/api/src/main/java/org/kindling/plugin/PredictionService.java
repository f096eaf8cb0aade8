package org.kindling.plugin;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The client entry point for predictions: finds the stored model and a {@link Predictor} that supports it. While
 * the plugin providing that predictor is being updated, calls wait briefly for the new version and otherwise fail
 * with {@link HubException.Kind#UNAVAILABLE} (HTTP 503 with Retry-After), never with a stack trace.
 *
 * <pre>
 * Prediction p = hub.predictions().predict("demo-mlp",
 *         PredictionInput.tensors(Map.of("x", TensorData.float32(new int[] {1, 2}, 0.3f, -0.7f))));
 * </pre>
 */
@ProviderType
public interface PredictionService {

    /**
     * @param model a model name (its latest version) or {@code name:version}
     * @param input tensors or raw bytes
     * @return the prediction
     * @throws HubException NOT_FOUND for an unknown model, UNAVAILABLE when no predictor serves it now,
     *         BAD_REQUEST for input that does not fit, FAILED when the predictor throws
     */
    Prediction predict(String model, PredictionInput input);
}
