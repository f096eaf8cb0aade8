package org.kindling.onnx.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kindling.jit.Tracer;
import org.kindling.nn.Module;
import org.kindling.onnx.ExportOptions;
import org.kindling.onnx.Onnx;
import org.kindling.onnx.OnnxModel;
import org.kindling.onnx.VerificationReport;
import org.kindling.onnx.internal.verify.OrtRunner;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;

/** Export, then check ONNX Runtime and Kindling's importer against the module's own forward. */
final class ExportChecks {
    static final double RTOL = 1e-4;
    static final double ATOL = 1e-5;

    private ExportChecks() {}

    /** Element-wise {@code |actual - expected| <= ATOL + RTOL * |expected|}, with the worst element in the message. */
    static void assertClose(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape().toArray(), actual.shape().toArray(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            double tol = ATOL + RTOL * Math.abs(e[i]);
            if (!(Math.abs(a[i] - e[i]) <= tol)) {
                throw new AssertionError(what + ": element " + i + " is " + a[i] + ", expected " + e[i] + " (tolerance "
                        + tol + ")");
            }
        }
    }

    static Tensor[] forward(Module m, Tracer.Forward f, Tensor... in) {
        try (var g = GradMode.noGrad()) {
            return f.apply(in);
        }
    }

    static Map<String, Tensor> named(List<String> names, Tensor... in) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < in.length; i++) m.put(names.get(i), in[i]);
        return m;
    }

    /**
     * Exports with {@code example}, then for the example and every other input set: ONNX Runtime and
     * the re-imported model agree with the module's forward (eval mode); {@code Onnx.verify} agrees too.
     */
    static Path check(Path dir, String name, Module m, Tracer.Forward f, ExportOptions o, Tensor[] example,
                      Tensor[]... others) {
        Path file = dir.resolve(name + ".onnx");
        boolean training = m.isTraining();
        Onnx.export(m, f, example, file, o);
        assertEquals(training, m.isTraining(), "export restores the training mode");
        m.eval();
        OnnxModel imported = Onnx.load(file);
        try (OrtRunner ort = new OrtRunner(file, 1)) {
            for (Tensor[] in : concat(example, others)) {
                Tensor[] expected = forward(m, f, in);
                Map<String, Tensor> feed = named(ort.inputNames(), in);
                List<Tensor> fromOrt = List.copyOf(ort.run(feed).values());
                List<Tensor> fromKindling = imported.forward(in);
                assertEquals(expected.length, fromOrt.size(), name + ": output count");
                for (int k = 0; k < expected.length; k++) {
                    assertClose(expected[k], fromOrt.get(k), name + " ONNX Runtime output " + k + " at " + in[0].shape());
                    assertClose(expected[k], fromKindling.get(k), name + " re-imported output " + k + " at " + in[0].shape());
                }
                VerificationReport r = Onnx.verify(file, feed);
                assertTrue(r.agrees(RTOL, ATOL), r.toString());
            }
        }
        m.train(training);
        return file;
    }

    static Path check(Path dir, String name, Module m, ExportOptions o, Tensor example, Tensor... others) {
        Tensor[][] rest = new Tensor[others.length][];
        for (int i = 0; i < others.length; i++) rest[i] = new Tensor[] {others[i]};
        return check(dir, name, m, in -> new Tensor[] {m.forward(in[0])}, o, new Tensor[] {example}, rest);
    }

    private static List<Tensor[]> concat(Tensor[] first, Tensor[][] rest) {
        java.util.ArrayList<Tensor[]> all = new java.util.ArrayList<>();
        all.add(first);
        all.addAll(List.of(rest));
        return all;
    }

    static ExportOptions dynamic() {
        return ExportOptions.builder().dynamicBatch().build();
    }
}
