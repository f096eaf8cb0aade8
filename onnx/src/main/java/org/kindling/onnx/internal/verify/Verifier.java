package org.kindling.onnx.internal.verify;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.kindling.onnx.OnnxException;
import org.kindling.onnx.VerificationReport;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/** Runs a model file in ONNX Runtime and in Kindling on the same inputs and compares every output. */
public final class Verifier {
    private Verifier() {}

    /**
     * Compares ONNX Runtime's outputs (the reference) with {@code kindling}'s, which maps the same
     * named inputs to named outputs.
     */
    public static VerificationReport verify(Path model, Map<String, Tensor> inputs,
                                            UnaryOperator<Map<String, Tensor>> kindling) {
        if (!ortOnClassPath()) {
            throw new OnnxException("ONNX Runtime is not available: put com.microsoft.onnxruntime:onnxruntime (1.23.2) "
                    + "on the class path (in OSGi, as a bundle or on the system class path) to verify models");
        }
        Map<String, Tensor> reference;
        try (OrtRunner ort = new OrtRunner(model, 0)) {
            reference = ort.run(inputs);
        }
        Map<String, Tensor> ours = kindling.apply(inputs);
        List<VerificationReport.OutputDiff> diffs = new ArrayList<>();
        for (var e : reference.entrySet()) {
            Tensor ref = e.getValue();
            Tensor got = ours.get(e.getKey());
            if (got == null) {
                throw new OnnxException("Kindling produced no output named '" + e.getKey() + "'; it produced "
                        + ours.keySet());
            }
            diffs.add(new VerificationReport.OutputDiff(e.getKey(), ref.shape().toArray(), values(ref),
                    got.shape().toArray(), values(got)));
        }
        return new VerificationReport(model.toString(), diffs);
    }

    /** Checked without loading {@link OrtRunner}, whose linking needs the ONNX Runtime classes. */
    static boolean ortOnClassPath() {
        try {
            Class.forName("ai.onnxruntime.OrtEnvironment", false, Verifier.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static double[] values(Tensor t) {
        return t.dtype() == DType.BOOL ? t.to(DType.FLOAT64).toDoubleArray() : t.toDoubleArray();
    }
}
