package org.kindling.plugin;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Serves stored models of some kind: a plugin registers one for the models its workloads produce. Clients do not
 * call predictors directly but through {@link PredictionService}, which picks the predictor and shields them from
 * plugin updates.
 *
 * <pre>
 * &#64;Component(property = Predictor.WORKLOADS + "=demo.mlp")
 * public class MlpPredictor implements Predictor {
 *     public boolean supports(ModelInfo model) { return model.workload().equals("demo.mlp"); }
 *     public Prediction predict(ModelInfo model, Path file, PredictionInput input) { ... }
 * }
 * </pre>
 */
@ConsumerType
public interface Predictor {

    /** Service property: ids of the workloads whose models this predictor serves (String or String[]). */
    String WORKLOADS = "predictor.workloads";

    /**
     * @param model a stored model
     * @return true if this predictor can serve it
     */
    boolean supports(ModelInfo model);

    /**
     * Computes outputs for one input. Called concurrently; an implementation may cache the loaded model by
     * {@link ModelInfo#sha256()}.
     *
     * @param model the stored model's metadata
     * @param modelFile its file in the store
     * @param input tensors or raw bytes
     * @return the outputs
     * @throws HubException BAD_REQUEST when the input does not fit the model (the message names the expected and
     *         given shapes)
     * @throws Exception any other failure
     */
    Prediction predict(ModelInfo model, Path modelFile, PredictionInput input) throws Exception;
}
