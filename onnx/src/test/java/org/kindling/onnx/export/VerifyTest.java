package org.kindling.onnx.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.Kindling;
import org.kindling.nn.Module;
import org.kindling.nn.Sequential;
import org.kindling.nn.activation.ReLU;
import org.kindling.nn.linear.Linear;
import org.kindling.onnx.ExportOptions;
import org.kindling.onnx.Onnx;
import org.kindling.onnx.OnnxException;
import org.kindling.onnx.VerificationReport;
import org.kindling.onnx.internal.verify.Verifier;
import org.kindling.tensor.Tensor;

/** The verification report measures real differences: exact runs agree, perturbed or reshaped outputs do not. */
class VerifyTest {
    @TempDir
    Path dir;

    private Path exported() {
        Kindling.manualSeed(11);
        Module m = new Sequential(new Linear(6, 8), new ReLU(), new Linear(8, 4));
        Path f = dir.resolve("m.onnx");
        Onnx.export(m, new Tensor[] {Kindling.randn(2, 6)}, f, ExportOptions.builder().dynamicBatch().build());
        return f;
    }

    @Test
    void kindlingAndOnnxRuntimeAgreeOnAnExport() {
        Path f = exported();
        VerificationReport r = Onnx.verify(f, Kindling.randn(3, 6));
        assertTrue(r.agrees(1e-4, 1e-5), r.toString());
        assertTrue(r.maxAbsDiff() < 1e-5, r.toString());
        assertEquals(1, r.outputs().size());
        assertEquals("output", r.outputs().get(0).name());
        assertTrue(r.toString().contains("output 'output' [3, 4]: max |diff|"), r.toString());
    }

    @Test
    void aDifferenceIsMeasuredAndReported() {
        Path f = exported();
        Map<String, Tensor> in = Map.of("input", Kindling.randn(3, 6));
        VerificationReport r = Verifier.verify(f, in, x -> {
            Map<String, Tensor> out = new LinkedHashMap<>(Onnx.load(f).forward(x));
            out.put("output", out.get("output").add(1e-3));
            return out;
        });
        assertEquals(1e-3, r.maxAbsDiff(), 1e-6);
        assertFalse(r.agrees(1e-4, 1e-5), r.toString());
        assertTrue(r.agrees(0, 2e-3), r.toString());
        assertTrue(r.maxRelDiff() > 0 && r.maxRelDiff() <= 2, r.toString());
        assertTrue(r.toString().contains("max |diff| 1.00e-03"), r.toString());
    }

    @Test
    void shapeMismatchesAndMissingOutputsAreNamed() {
        Path f = exported();
        Map<String, Tensor> in = Map.of("input", Kindling.randn(3, 6));
        VerificationReport r = Verifier.verify(f, in, x -> Map.of("output", Kindling.zeros(4, 3)));
        assertFalse(r.agrees(1, 1));
        assertTrue(r.toString().contains("shape [4, 3] in Kindling but [3, 4] in ONNX Runtime"), r.toString());
        OnnxException e = assertThrows(OnnxException.class, () -> Verifier.verify(f, in, x -> Map.of("logits", Kindling.zeros(3, 4))));
        assertTrue(e.getMessage().contains("'output'") && e.getMessage().contains("logits"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Onnx.verify(f, Kindling.randn(3, 6), Kindling.randn(3, 6)));
    }
}
