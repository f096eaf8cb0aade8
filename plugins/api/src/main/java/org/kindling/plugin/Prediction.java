package org.kindling.plugin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link Predictor} returns: named output tensors and a one-line summary for humans.
 *
 * <pre>
 * return new Prediction(Map.of("probabilities", probs), "class 2 (p=0.93)");
 * </pre>
 *
 * @param outputs output name to tensor
 * @param summary one line, such as the predicted label, possibly empty
 */
public record Prediction(Map<String, TensorData> outputs, String summary) {

    /** Copies the outputs. */
    public Prediction {
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        summary = summary == null ? "" : summary;
    }
}
