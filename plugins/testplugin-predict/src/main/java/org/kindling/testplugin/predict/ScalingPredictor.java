package org.kindling.testplugin.predict;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.kindling.plugin.ElementType;
import org.kindling.plugin.HubException;
import org.kindling.plugin.ModelInfo;
import org.kindling.plugin.Prediction;
import org.kindling.plugin.PredictionInput;
import org.kindling.plugin.Predictor;
import org.kindling.plugin.TensorData;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Serves models whose property {@code plugin} names this bundle's symbolic name. Tensor input {@code x} gives
 * {@code y = x * scale}; text input gives {@code length = [bytes * scale]}. The scale comes from the bundle's
 * {@code Kindling-Test-Scale} header and the summary is {@code <symbolic name>@<version>}, so a test can tell which
 * variant of this jar answered and check that the answer is right for it. An input tensor named {@code fail} makes
 * it throw, to test that a plugin's exception never reaches a client as a stack trace.
 */
@Component
public class ScalingPredictor implements Predictor {

    /** The model property naming the plugin that serves the model. */
    public static final String PLUGIN_PROPERTY = "plugin";

    private String symbolicName;
    private String identity;
    private double scale;

    @Activate
    void activate(BundleContext context) {
        Bundle bundle = context.getBundle();
        symbolicName = bundle.getSymbolicName();
        identity = symbolicName + "@" + bundle.getVersion();
        String header = bundle.getHeaders().get("Kindling-Test-Scale");
        scale = header == null ? 1 : Double.parseDouble(header.trim());
    }

    @Override
    public boolean supports(ModelInfo model) {
        return symbolicName.equals(model.properties().get(PLUGIN_PROPERTY));
    }

    @Override
    public Prediction predict(ModelInfo model, Path modelFile, PredictionInput input) {
        Map<String, TensorData> outputs = new LinkedHashMap<>();
        if (input.isRaw()) {
            if (!input.mediaType().startsWith("text/")) {
                throw new HubException(HubException.Kind.BAD_REQUEST,
                        "this predictor reads text/* or a tensor 'x', got " + input.mediaType());
            }
            int length = new String(input.bytes(), StandardCharsets.UTF_8).length();
            outputs.put("length", new TensorData(ElementType.FLOAT32, new int[] {1}, new double[] {length * scale}));
        } else {
            if (input.tensors().containsKey("fail")) {
                throw new IllegalStateException("the test predictor was asked to fail");
            }
            TensorData x = input.tensors().get("x");
            if (x == null) {
                throw new HubException(HubException.Kind.BAD_REQUEST,
                        "expected an input tensor named 'x', got " + input.tensors().keySet());
            }
            double[] y = x.values();
            for (int i = 0; i < y.length; i++) {
                y[i] *= scale;
            }
            outputs.put("y", new TensorData(ElementType.FLOAT32, x.shape(), y));
        }
        return new Prediction(outputs, identity);
    }
}
