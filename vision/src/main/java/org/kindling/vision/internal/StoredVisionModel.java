package org.kindling.vision.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.kindling.io.Safetensors;
import org.kindling.nn.Module;
import org.kindling.plugin.ModelInfo;
import org.kindling.tensor.Tensor;
import org.kindling.vision.models.VisionModels;

/**
 * What the model store keeps beside a vision model's weights, so a predictor or evaluator can rebuild it: the
 * architecture, the input geometry, the normalisation and the class labels.
 */
record StoredVisionModel(String architecture, int channels, int height, int width, double mean, double std,
                         List<String> labels, String dataset) {

    static final String LABEL_SEPARATOR = "\n";

    Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("architecture", architecture);
        p.put("channels", Integer.toString(channels));
        p.put("height", Integer.toString(height));
        p.put("width", Integer.toString(width));
        p.put("mean", Double.toString(mean));
        p.put("std", Double.toString(std));
        p.put("classes", Integer.toString(labels.size()));
        p.put("labels", String.join(LABEL_SEPARATOR, labels));
        p.put("dataset", dataset);
        p.put("input", "[N, " + channels + ", " + height + ", " + width + "] float32, (pixel/255 - mean) / std");
        return p;
    }

    static StoredVisionModel of(ModelInfo model) throws IOException {
        Map<String, String> p = model.properties();
        try {
            List<String> labels = Arrays.asList(p.get("labels").split(LABEL_SEPARATOR, -1));
            int classes = Integer.parseInt(p.get("classes"));
            if (labels.size() != classes) {
                throw new IOException("model " + model.reference() + " has " + classes + " classes but "
                        + labels.size() + " labels");
            }
            return new StoredVisionModel(p.get("architecture"), Integer.parseInt(p.get("channels")),
                    Integer.parseInt(p.get("height")), Integer.parseInt(p.get("width")),
                    Double.parseDouble(p.get("mean")), Double.parseDouble(p.get("std")), labels,
                    p.getOrDefault("dataset", ""));
        } catch (NullPointerException | NumberFormatException e) {
            throw new IOException("model " + model.reference() + " lacks the vision properties architecture, "
                    + "channels, height, width, mean, std, classes, labels; found " + p.keySet(), e);
        }
    }

    Module build() {
        return VisionModels.create(architecture, channels, height, width, labels.size());
    }

    /**
     * @param model a stored model of vision.train, safetensors or (with the onnx bundle) onnx
     * @param file its file
     * @return the model as a batch-of-images-to-logits function, in eval mode
     */
    UnaryOperator<Tensor> forward(ModelInfo model, Path file) throws IOException {
        if ("onnx".equals(model.format())) {
            if (!OnnxSupport.available()) {
                throw new IOException("model " + model.reference() + " is ONNX; install the onnx plugin to run it");
            }
            return OnnxSupport.load(file);
        }
        return load(file)::forward;
    }

    Module load(Path weights) throws IOException {
        Module m = build();
        m.loadStateDict(Safetensors.load(weights));
        m.eval();
        return m;
    }
}
