package org.kindling.vision.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.Optional;
import java.util.Set;
import org.kindling.io.Safetensors;
import org.kindling.nn.Module;
import org.kindling.plugin.HubException;
import org.kindling.plugin.ModelInfo;
import org.kindling.plugin.ModelStore;
import org.kindling.tensor.Tensor;
import org.kindling.vision.models.VisionModels;

/**
 * What the model store keeps beside a vision model's weights, so a predictor or evaluator can rebuild it: the
 * architecture, the input geometry, the normalisation and the class labels. Models of {@code vision.train} name a
 * {@link VisionModels} architecture; imported ONNX classifiers (and models fine-tuned from them) have the
 * architecture {@value #ONNX_GRAPH}: the graph is in the file.
 */
record StoredVisionModel(String architecture, int channels, int height, int width, double mean, double std,
                         List<String> labels, String dataset) {

    static final String LABEL_SEPARATOR = "\n";

    /** The architecture of a model whose graph is its ONNX file. */
    static final String ONNX_GRAPH = "onnx";

    /** The workloads whose models carry these properties. */
    static final Set<String> WORKLOADS = Set.of(TrainWorkload.ID, ImportWorkload.ID);

    /**
     * @param store the model store
     * @param reference {@code name} (its latest version) or {@code name:version}
     * @return the stored vision model
     * @throws HubException NOT_FOUND for an unknown model, BAD_REQUEST for a malformed reference or a model that is
     *         not a vision model
     */
    static ModelInfo find(ModelStore store, String reference) {
        int colon = reference.lastIndexOf(':');
        Optional<ModelInfo> found;
        if (colon > 0) {
            int version;
            try {
                version = Integer.parseInt(reference.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new HubException(HubException.Kind.BAD_REQUEST, "a stored model is named name or name:version, "
                        + "got '" + reference + "'");
            }
            found = store.get(reference.substring(0, colon), version);
        } else {
            found = store.get(reference);
        }
        ModelInfo info = found.orElseThrow(() -> new HubException(HubException.Kind.NOT_FOUND, "no stored model '"
                + reference + "'; see 'kindling models list'"));
        if (!WORKLOADS.contains(info.workload())) {
            throw new HubException(HubException.Kind.BAD_REQUEST, "model " + info.reference() + " was made by '"
                    + info.workload() + "', not by " + TrainWorkload.ID + " or " + ImportWorkload.ID
                    + " (import an ONNX image classifier with 'kindling models import FILE.onnx --labels FILE')");
        }
        return info;
    }

    /** @return "[1, 28, 28] images and 10 classes", for messages */
    String geometry() {
        return "[" + channels + ", " + height + ", " + width + "] images and " + labels.size() + " classes";
    }

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

    /**
     * @param model a stored vision model
     * @param file its file
     * @return the model as a trainable module (train mode) with the stored weights: a {@link VisionModels} module
     *         (for a {@code vision.train} model stored as ONNX, its initializers, named as in the module's state
     *         dict, are loaded into a new module, so batch norm and dropout train as they did), or for an imported
     *         ONNX classifier its graph as a module whose parameters are the file's float initializers
     */
    Module trainable(ModelInfo model, Path file) throws IOException {
        Module m;
        if (!"onnx".equals(model.format())) {
            m = load(file);
        } else if (!OnnxSupport.available()) {
            throw new IOException("model " + model.reference() + " is ONNX; install the onnx plugin "
                    + "(org.kindling.onnx) to train it");
        } else if (isGraph()) {
            m = OnnxSupport.loadTrainable(file);
        } else {
            m = build();
            // ONNX keeps float tensors only; batch norm's step counter matters only without momentum, which
            // VisionModels never use
            List<String> missing = m.loadStateDict(OnnxSupport.initializers(file), false).missingKeys().stream()
                    .filter(k -> !k.endsWith("num_batches_tracked")).toList();
            if (!missing.isEmpty()) {
                throw new IOException("model " + model.reference() + " (" + architecture + ") lacks the weights "
                        + missing + " in its ONNX file");
            }
        }
        m.train();
        return m;
    }

    /** @return true for an imported ONNX classifier (or one fine-tuned from it): the graph is the file's */
    boolean isGraph() {
        return ONNX_GRAPH.equals(architecture);
    }

    Module load(Path weights) throws IOException {
        Module m = build();
        m.loadStateDict(Safetensors.load(weights));
        m.eval();
        return m;
    }
}
