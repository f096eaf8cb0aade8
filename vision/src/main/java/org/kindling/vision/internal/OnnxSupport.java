package org.kindling.vision.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.kindling.nn.Module;
import org.kindling.onnx.ExportOptions;
import org.kindling.onnx.Onnx;
import org.kindling.onnx.OnnxModel;
import org.kindling.onnx.VerificationReport;
import org.kindling.tensor.Tensor;

/**
 * The vision bundle's use of the onnx bundle, an optional import: callers check {@link #available()} first, so this
 * class (and with it {@code org.kindling.onnx}) is only loaded when the onnx bundle is installed.
 */
final class OnnxSupport {

    static final String INPUT = "image";
    static final String OUTPUT = "logits";

    private OnnxSupport() {
    }

    /** @return true when the onnx bundle's API can be loaded from this bundle */
    static boolean available() {
        try {
            Class.forName("org.kindling.onnx.Onnx", false, TrainWorkload.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Exports the model (eval mode, dynamic batch) and runs it in ONNX Runtime and Kindling on {@code sample}.
     *
     * @return the comparison; {@link VerificationReport#agrees} tells whether the export is faithful
     */
    static VerificationReport exportAndVerify(Module model, Tensor sample, Path file, String docString) {
        Onnx.export(model, new Tensor[] {sample}, file, ExportOptions.builder().dynamicBatch().inputNames(INPUT)
                .outputNames(OUTPUT).docString(docString).build());
        return Onnx.verify(file, Map.of(INPUT, sample));
    }

    /** @return the stored ONNX model as a function from a batch of images to logits */
    static UnaryOperator<Tensor> load(Path file) {
        OnnxModel model = Onnx.load(file);
        return x -> model.forward(x).get(0);
    }
}
