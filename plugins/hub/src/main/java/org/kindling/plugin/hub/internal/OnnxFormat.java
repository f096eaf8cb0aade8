package org.kindling.plugin.hub.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.kindling.Kindling;
import org.kindling.nn.Module;
import org.kindling.onnx.ExportOptions;
import org.kindling.onnx.Onnx;
import org.kindling.onnx.OnnxModel;
import org.kindling.onnx.OnnxSummary;
import org.kindling.plugin.ModelFormat;
import org.kindling.plugin.ModelInfo;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;

/**
 * The "onnx" format over the onnx bundle, for the models this bundle knows how to rebuild (those of
 * {@code demo.mlp}): export traces the MLP to ONNX with a dynamic batch and checks the file by running it with the
 * onnx bundle's own graph executor against the module; import checks a file with {@link Onnx#inspect}. Enabled by
 * {@link OnnxFormatEnabler} only when the onnx bundle is present (the import is optional).
 */
final class OnnxFormat implements ModelFormat {

    private static final double TOLERANCE = 1e-4;

    @Override
    public String name() {
        return "onnx";
    }

    @Override
    public String fileExtension() {
        return ".onnx";
    }

    @Override
    public Map<String, String> inspect(Path file) throws IOException {
        OnnxSummary s = Onnx.inspect(file);
        Map<String, String> d = new LinkedHashMap<>();
        d.put("ir_version", Long.toString(s.irVersion()));
        d.put("producer", s.producer());
        d.put("inputs", String.join(",", s.inputs()));
        d.put("outputs", String.join(",", s.outputs()));
        d.put("parameters", Long.toString(s.parameterCount()));
        return d;
    }

    @Override
    public boolean canWrite(ModelInfo source) {
        return source.format().equals("onnx")
                || (source.workload().equals(DemoMlpWorkload.ID) && source.format().equals("safetensors"));
    }

    @Override
    public void write(ModelInfo source, Path sourceFile, Path target) throws IOException {
        if (source.format().equals("onnx")) {
            Files.copy(sourceFile, target, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        Module module = DemoMlpPredictor.load(source, sourceFile);
        Tensor example = Kindling.fromArray(new float[] {0f, 0.5f, -0.43f, -0.25f, 0.43f, -0.25f}, 3, DemoMlp.INPUTS);
        Onnx.export(module, new Tensor[] {example}, target,
                ExportOptions.builder().dynamicBatch().inputNames("x").outputNames("logits").build());
        try (var g = GradMode.noGrad()) {
            float[] expected = module.forward(example).toFloatArray();
            List<Tensor> outputs = Onnx.load(target).forward(example);
            float[] actual = outputs.get(0).toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                if (!(Math.abs(expected[i] - actual[i]) <= TOLERANCE * (1 + Math.abs(expected[i])))) {
                    throw new IOException("the exported ONNX graph disagrees with " + source.reference() + " at output "
                            + i + ": expected " + expected[i] + ", got " + actual[i]);
                }
            }
        }
    }
}
