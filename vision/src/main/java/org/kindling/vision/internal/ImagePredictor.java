package org.kindling.vision.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.kindling.Kindling;
import org.kindling.nn.F;
import org.kindling.plugin.ElementType;
import org.kindling.plugin.HubException;
import org.kindling.plugin.ModelInfo;
import org.kindling.plugin.Prediction;
import org.kindling.plugin.PredictionInput;
import org.kindling.plugin.Predictor;
import org.kindling.plugin.TensorData;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;
import org.kindling.vision.Images;
import org.kindling.vision.transforms.Compose;
import org.kindling.vision.transforms.Normalize;
import org.kindling.vision.transforms.Resize;
import org.kindling.vision.transforms.ToTensor;
import org.osgi.service.component.annotations.Component;

/**
 * Serves models stored by {@code vision.train}, as safetensors or (when the onnx bundle is installed) as ONNX, and
 * ONNX image classifiers stored by {@code vision.import}. Raw input: PNG, JPEG, GIF or BMP bytes of any size,
 * converted to the model's channels (grey by luma), resized (bilinear) to its input size and normalised as in
 * training (or as given at import). Tensor
 * input: one tensor [C, H, W] or [N, C, H, W] already normalised. Outputs {@code probabilities} [N, classes],
 * {@code top_classes} and {@code top_probabilities} [N, k] (k = min(5, classes), best first); the summary names the
 * top labels of the first image.
 */
@Component(property = {Predictor.WORKLOADS + "=" + TrainWorkload.ID, Predictor.WORKLOADS + "=" + ImportWorkload.ID})
public class ImagePredictor implements Predictor {

    static final int TOP_K = 5;

    private record Loaded(StoredVisionModel description, UnaryOperator<Tensor> forward) {
    }

    private final Map<String, Loaded> cache = Collections.synchronizedMap(new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Loaded> eldest) {
            return size() > 4;
        }
    });

    @Override
    public boolean supports(ModelInfo model) {
        return StoredVisionModel.WORKLOADS.contains(model.workload()) && ("safetensors".equals(model.format())
                || ("onnx".equals(model.format()) && OnnxSupport.available()));
    }

    @Override
    public Prediction predict(ModelInfo model, Path modelFile, PredictionInput input) throws IOException {
        Loaded loaded = cache.get(model.sha256());
        if (loaded == null) {
            StoredVisionModel description = StoredVisionModel.of(model);
            loaded = new Loaded(description, description.forward(model, modelFile));
            cache.put(model.sha256(), loaded);
        }
        StoredVisionModel d = loaded.description();
        Tensor x = input.isRaw() ? fromImage(input.bytes(), d) : fromTensor(input, d);
        Tensor probabilities;
        synchronized (loaded) {
            try (var g = GradMode.noGrad()) {
                probabilities = F.softmax(loaded.forward().apply(x), 1);
            }
        }
        return describe(probabilities, d);
    }

    static Prediction describe(Tensor probabilities, StoredVisionModel d) {
        int n = probabilities.size(0);
        int classes = probabilities.size(1);
        int k = Math.min(TOP_K, classes);
        float[] p = probabilities.toFloatArray();
        double[] topClasses = new double[n * k];
        double[] topProbabilities = new double[n * k];
        for (int i = 0; i < n; i++) {
            Integer[] order = new Integer[classes];
            for (int c = 0; c < classes; c++) {
                order[c] = c;
            }
            int row = i * classes;
            Arrays.sort(order, (a, b) -> Float.compare(p[row + b], p[row + a]));
            for (int j = 0; j < k; j++) {
                topClasses[i * k + j] = order[j];
                topProbabilities[i * k + j] = p[row + order[j]];
            }
        }
        Map<String, TensorData> outputs = new LinkedHashMap<>();
        outputs.put("probabilities", TensorData.float32(new int[] {n, classes}, p));
        outputs.put("top_classes", new TensorData(ElementType.INT64, new int[] {n, k}, topClasses));
        outputs.put("top_probabilities", new TensorData(ElementType.FLOAT32, new int[] {n, k}, topProbabilities));
        StringBuilder summary = new StringBuilder();
        for (int j = 0; j < k; j++) {
            summary.append(j == 0 ? "" : ", ").append(d.labels().get((int) topClasses[j]))
                    .append(String.format(" (p=%.3f)", topProbabilities[j]));
        }
        if (n > 1) {
            summary.append(" [first of ").append(n).append(" images]");
        }
        return new Prediction(outputs, summary.toString());
    }

    static Tensor fromImage(byte[] bytes, StoredVisionModel d) {
        try {
            Tensor raw = Images.toTensor(Images.decode(bytes), d.channels());
            Tensor x = Compose.of(new Resize(d.height(), d.width()), new ToTensor(), new Normalize(d.mean(), d.std()))
                    .apply(raw);
            return x.unsqueeze(0);
        } catch (IOException e) {
            throw new HubException(HubException.Kind.BAD_REQUEST, "vision model input: " + e.getMessage(), e);
        }
    }

    private static Tensor fromTensor(PredictionInput input, StoredVisionModel d) {
        if (input.tensors().size() != 1) {
            throw new HubException(HubException.Kind.BAD_REQUEST, "vision models take one input tensor, got "
                    + input.tensors().size() + ": " + input.tensors().keySet());
        }
        TensorData t = input.tensors().values().iterator().next();
        int[] s = t.shape();
        int[] expected = {d.channels(), d.height(), d.width()};
        boolean single = s.length == 3 && Arrays.equals(s, expected);
        boolean batch = s.length == 4 && s[0] >= 1 && Arrays.equals(Arrays.copyOfRange(s, 1, 4), expected);
        if (!single && !batch) {
            throw new HubException(HubException.Kind.BAD_REQUEST, "vision model input must have shape "
                    + Arrays.toString(expected) + " or [N, " + d.channels() + ", " + d.height() + ", " + d.width()
                    + "] (normalised), or be PNG/JPEG bytes; got shape " + Arrays.toString(s));
        }
        Tensor x = Kindling.fromArray(t.toFloatArray(), s);
        return single ? x.unsqueeze(0) : x;
    }
}
