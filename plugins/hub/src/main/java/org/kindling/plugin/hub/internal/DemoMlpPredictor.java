package org.kindling.plugin.hub.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.kindling.Kindling;
import org.kindling.io.Safetensors;
import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.plugin.ElementType;
import org.kindling.plugin.HubException;
import org.kindling.plugin.ModelInfo;
import org.kindling.plugin.Prediction;
import org.kindling.plugin.PredictionInput;
import org.kindling.plugin.Predictor;
import org.kindling.plugin.TensorData;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;
import org.osgi.service.component.annotations.Component;

/**
 * Serves models stored by {@code demo.mlp}. Input: one tensor of shape [2] or [n, 2], or text with one point per
 * line ("0.3,-0.7"). Output: {@code probabilities} [n, 3] and {@code class} [n]. Loaded models are cached by
 * checksum (a few at most).
 */
@Component(property = Predictor.WORKLOADS + "=" + DemoMlpWorkload.ID)
public class DemoMlpPredictor implements Predictor {

    private final Map<String, Module> cache = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Module> eldest) {
                    return size() > 4;
                }
            });

    @Override
    public boolean supports(ModelInfo model) {
        return DemoMlpWorkload.ID.equals(model.workload()) && "safetensors".equals(model.format());
    }

    static Module load(ModelInfo model, Path file) throws IOException {
        int hidden;
        try {
            hidden = Integer.parseInt(model.properties().getOrDefault("hidden", ""));
        } catch (NumberFormatException e) {
            throw new IOException("model " + model.reference() + " lacks a numeric 'hidden' property: "
                    + model.properties());
        }
        Module m = DemoMlp.build(hidden);
        m.loadStateDict(Safetensors.load(file));
        m.eval();
        return m;
    }

    @Override
    public Prediction predict(ModelInfo model, Path modelFile, PredictionInput input) throws IOException {
        Module m = cache.get(model.sha256());
        if (m == null) {
            m = load(model, modelFile);
            cache.put(model.sha256(), m);
        }
        float[] points = input.isRaw() ? parseText(input) : fromTensor(input);
        int n = points.length / DemoMlp.INPUTS;
        float[] probabilities;
        long[] classes;
        try (var g = GradMode.noGrad()) {
            Tensor p = F.softmax(m.forward(Kindling.fromArray(points, n, DemoMlp.INPUTS)), 1);
            probabilities = p.toFloatArray();
            classes = p.argmax(1).toLongArray();
        }
        double[] classValues = Arrays.stream(classes).asDoubleStream().toArray();
        Map<String, TensorData> outputs = new LinkedHashMap<>();
        outputs.put("probabilities", TensorData.float32(new int[] {n, DemoMlp.CLASSES}, probabilities));
        outputs.put("class", new TensorData(ElementType.INT64, new int[] {n}, classValues));
        String summary = n == 1
                ? String.format("class %d (p=%.3f)", classes[0], probabilities[(int) classes[0]])
                : n + " points classified";
        return new Prediction(outputs, summary);
    }

    private static float[] fromTensor(PredictionInput input) {
        if (input.tensors().size() != 1) {
            throw new HubException(HubException.Kind.BAD_REQUEST, "demo.mlp models take one input tensor of shape "
                    + "[2] or [n, 2], got " + input.tensors().size() + " tensors: " + input.tensors().keySet());
        }
        TensorData t = input.tensors().values().iterator().next();
        int[] shape = t.shape();
        boolean ok = (shape.length == 1 && shape[0] == 2) || (shape.length == 2 && shape[1] == 2 && shape[0] >= 1);
        if (!ok) {
            throw new HubException(HubException.Kind.BAD_REQUEST, "demo.mlp models take an input of shape [2] or "
                    + "[n, 2], got " + Arrays.toString(shape));
        }
        return t.toFloatArray();
    }

    private static float[] parseText(PredictionInput input) {
        String text = new String(input.bytes(), StandardCharsets.UTF_8);
        List<Float> values = new ArrayList<>();
        int line = 0;
        for (String l : text.split("\\R")) {
            line++;
            if (l.isBlank()) {
                continue;
            }
            String[] parts = l.trim().split("\\s*[,\\s]\\s*");
            if (parts.length != 2) {
                throw new HubException(HubException.Kind.BAD_REQUEST, "line " + line + ": expected two numbers "
                        + "'x,y', got '" + l.trim() + "'");
            }
            for (String p : parts) {
                try {
                    values.add(Float.parseFloat(p));
                } catch (NumberFormatException e) {
                    throw new HubException(HubException.Kind.BAD_REQUEST, "line " + line + ": '" + p
                            + "' is not a number");
                }
            }
        }
        if (values.isEmpty()) {
            throw new HubException(HubException.Kind.BAD_REQUEST, "no points in the text input: expected lines 'x,y'");
        }
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
