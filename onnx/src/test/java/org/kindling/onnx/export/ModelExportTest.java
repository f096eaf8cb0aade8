package org.kindling.onnx.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kindling.onnx.export.ExportChecks.assertClose;
import static org.kindling.onnx.export.ExportChecks.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.Kindling;
import org.kindling.io.Safetensors;
import org.kindling.io.StateDict;
import org.kindling.jit.Graph;
import org.kindling.nn.Module;
import org.kindling.nn.Sequential;
import org.kindling.nn.activation.ReLU;
import org.kindling.nn.batchnorm.BatchNorm2d;
import org.kindling.nn.conv.Conv2d;
import org.kindling.nn.flatten.Flatten;
import org.kindling.nn.linear.Linear;
import org.kindling.nn.normalization.LayerNorm;
import org.kindling.nn.pooling.AdaptiveAvgPool2d;
import org.kindling.nn.pooling.MaxPool2d;
import org.kindling.nn.rnn.LSTM;
import org.kindling.nn.sparse.Embedding;
import org.kindling.nn.transformer.TransformerEncoder;
import org.kindling.nn.transformer.TransformerEncoderLayer;
import org.kindling.onnx.ExportOptions;
import org.kindling.onnx.Onnx;
import org.kindling.onnx.OnnxException;
import org.kindling.onnx.internal.proto.OnnxProtos.ModelProto;
import org.kindling.onnx.internal.proto.OnnxProtos.StringStringEntryProto;
import org.kindling.onnx.internal.verify.OrtRunner;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;

/** Whole models: export at several opsets, dynamic batch, re-export of an imported model, weights through safetensors. */
class ModelExportTest {
    @TempDir
    Path dir;

    @BeforeEach
    void seed() {
        Kindling.manualSeed(3);
    }

    static Module mlp() {
        return new Sequential(new Linear(20, 16), new ReLU(), new Linear(16, 12), new ReLU(), new Linear(12, 10));
    }

    static Module cnn() {
        Module m = new Sequential(new Conv2d(1, 4, 3, 1, 1), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
                new Conv2d(4, 8, 3, 1, 1), new BatchNorm2d(8), new ReLU(), new AdaptiveAvgPool2d(1), new Flatten(),
                new Linear(8, 10));
        m.train();
        try (var g = GradMode.noGrad()) {
            for (int i = 0; i < 3; i++) m.forward(Kindling.randn(4, 1, 12, 12).mul(1.5).add(0.5));
        }
        return m;
    }

    /** Two encoder layers, a final norm, mean over the sequence and a classifier. */
    static final class Encoder extends Module {
        final TransformerEncoder encoder = register("encoder", new TransformerEncoder(
                new TransformerEncoderLayer(16, 4, 32, 0.1, "relu", 1e-5, true, false), 2, new LayerNorm(16)));
        final Linear head = register("head", new Linear(16, 3));

        @Override
        public Tensor forward(Tensor x) {
            return head.forward(encoder.forward(x).mean(new int[] {1}, false));
        }
    }

    @Test
    void mlpAtOpsets13To18() {
        Module m = mlp();
        for (int opset : new int[] {13, 15, 17, 18}) {
            ExportOptions o = ExportOptions.builder().opset(opset).dynamicBatch().build();
            Path f = check(dir, "mlp" + opset, m, o, Kindling.randn(2, 20), Kindling.randn(5, 20));
            assertEquals(opset, Onnx.inspect(f).opsets().get(""));
        }
    }

    @Test
    void cnnWithBatchNormAtOpsets13And18() {
        Module m = cnn();
        for (int opset : new int[] {13, 18}) {
            ExportOptions o = ExportOptions.builder().opset(opset).dynamicBatch().inputNames("image").outputNames("logits").build();
            Path f = check(dir, "cnn" + opset, m, o, Kindling.randn(2, 1, 12, 12), Kindling.randn(5, 1, 12, 12));
            try (OrtRunner ort = new OrtRunner(f, 1)) {
                assertEquals(List.of("image"), ort.inputNames());
                assertEquals(List.of("logits"), ort.outputNames());
            }
        }
        assertTrue(m.isTraining(), "export leaves the module in the mode it found it");
    }

    @Test
    void transformerEncoderAtOpsets13And18() {
        Module m = new Encoder();
        for (int opset : new int[] {13, 18}) {
            ExportOptions o = ExportOptions.builder().opset(opset).dynamicBatch().build();
            check(dir, "encoder" + opset, m, o, Kindling.randn(2, 6, 16), Kindling.randn(5, 6, 16));
        }
    }

    /** Embedding, a 2-layer LSTM and a classifier on the last step's hidden state. */
    static final class LstmClassifier extends Module {
        final Embedding embed = register("embed", new Embedding(20, 8));
        final LSTM lstm = register("lstm", new LSTM(8, 12, 2, true, true, 0.0, false));
        final Linear head = register("head", new Linear(12, 4));

        @Override
        public Tensor forward(Tensor tokens) {
            Tensor h = lstm.forward(embed.forward(tokens), null, null).hN();   // [2, B, 12]
            return head.forward(h.select(0, 1)).logSoftmax(-1);
        }
    }

    @Test
    void lstmClassifierAtOpsets13And18() {
        Module m = new LstmClassifier();
        Tensor tokens = Kindling.randint(0, 20, 2, 7);
        Tensor tokens5 = Kindling.randint(0, 20, 5, 7);
        for (int opset : new int[] {13, 18}) {
            ExportOptions o = ExportOptions.builder().opset(opset).dynamicBatch().build();
            Path f = check(dir, "lstm_classifier" + opset, m, o, tokens, tokens5);
            assertTrue(Onnx.inspect(f).toString().contains("LSTM"), Onnx.inspect(f).toString());
        }
    }

    @Test
    void importedModelReExportedAtAnotherOpset() {
        Module m = new Encoder();
        m.eval();
        Tensor x = Kindling.randn(3, 6, 16);
        Tensor expected;
        try (var g = GradMode.noGrad()) {
            expected = m.forward(x);
        }
        Path at13 = dir.resolve("enc13.onnx");
        Onnx.export(m, new Tensor[] {x}, at13, ExportOptions.builder().opset(13).dynamicBatch().build());
        Graph imported = Onnx.load(at13).graph();
        Path at18 = dir.resolve("enc18.onnx");
        Onnx.export(imported, at18, ExportOptions.builder().opset(18).build());
        assertEquals(18, Onnx.inspect(at18).opsets().get(""));
        Path back13 = dir.resolve("enc13b.onnx");
        Onnx.export(Onnx.load(at18).graph(), back13, ExportOptions.builder().opset(13).build());
        for (Path f : List.of(at18, back13)) {
            try (OrtRunner ort = new OrtRunner(f, 1)) {
                assertClose(expected, ort.run(Map.of("input", x)).get("output"), f.getFileName() + " in ONNX Runtime");
            }
            assertTrue(Onnx.verify(f, x).agrees(ExportChecks.RTOL, ExportChecks.ATOL));
        }
    }

    @Test
    void anOpTheTargetOpsetLacksIsAnErrorNamingIt() {
        Module m = new Sequential(new Linear(4, 4));
        Path f = dir.resolve("lin.onnx");
        Onnx.export(m, Kindling.randn(2, 4), f);
        org.kindling.jit.GraphBuilder b = new org.kindling.jit.GraphBuilder("g").opset("", 17);
        org.kindling.jit.Value in = b.input("x", org.kindling.tensor.DType.FLOAT32, org.kindling.jit.Dim.of(2), org.kindling.jit.Dim.of(4));
        b.output(b.op("LayerNormalization", org.kindling.jit.Attributes.empty(), in,
                b.constant("scale", Kindling.ones(4)), b.constant("bias", Kindling.zeros(4))));
        OnnxException e = assertThrows(OnnxException.class,
                () -> Onnx.export(b.build(), dir.resolve("ln.onnx"), ExportOptions.builder().opset(15).build()));
        assertTrue(e.getMessage().contains("LayerNormalization") && e.getMessage().contains("17"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("ln.onnx")));
    }

    @Test
    void weightsThroughSafetensorsAndBack() throws IOException {
        Module m = cnn();
        m.eval();
        Tensor x = Kindling.randn(2, 1, 12, 12);
        Path f = dir.resolve("cnn.onnx");
        Onnx.export(m, new Tensor[] {x}, f, ExportOptions.builder().dynamicBatch().build());
        Path st = dir.resolve("cnn.safetensors");
        Onnx.toSafetensors(f, st);
        StateDict sd = Safetensors.load(st);
        assertTrue(sd.containsKey("0.weight") && sd.containsKey("1.running_mean") && sd.containsKey("9.bias"), sd.keySet().toString());
        // a fresh module with other weights, loaded from the checkpoint, computes what ONNX Runtime computes
        Kindling.manualSeed(99);
        Module fresh = cnn();
        fresh.eval();
        Module.IncompatibleKeys keys = fresh.loadStateDict(sd, false);
        assertTrue(keys.unexpectedKeys().isEmpty(), keys.toString());
        Tensor fromOrt;
        try (OrtRunner ort = new OrtRunner(f, 1)) {
            fromOrt = ort.run(Map.of("input", x)).get("output");
        }
        try (var g = GradMode.noGrad()) {
            assertClose(fromOrt, fresh.forward(x), "module loaded from the ONNX weights");
        }
        // and back: other weights written into the ONNX file change its outputs accordingly
        Kindling.manualSeed(7);
        Module other = cnn();
        other.eval();
        Path st2 = dir.resolve("other.safetensors");
        Map<String, Tensor> otherState = new java.util.LinkedHashMap<>(other.stateDict());
        otherState.keySet().removeIf(k -> !sd.containsKey(k));
        Safetensors.save(otherState, st2);
        Path f2 = dir.resolve("cnn_other.onnx");
        Onnx.withWeights(f, st2, f2);
        Tensor expected;
        try (var g = GradMode.noGrad()) {
            expected = other.forward(x);
        }
        try (OrtRunner ort = new OrtRunner(f2, 1)) {
            Tensor y = ort.run(Map.of("input", x)).get("output");
            assertClose(expected, y, "ONNX model with the checkpoint's weights");
            assertNotEquals(fromOrt.toDoubleArray()[0], y.toDoubleArray()[0]);
        }
        assertTrue(Onnx.verify(f2, x).agrees(ExportChecks.RTOL, ExportChecks.ATOL));
        Safetensors.save(Map.of("nope", Kindling.ones(2)), st2);
        OnnxException e = assertThrows(OnnxException.class, () -> Onnx.withWeights(f, st2, dir.resolve("bad.onnx")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void externalDataMetadataAndAtomicWrite() throws IOException {
        Module m = mlp();
        Path f = dir.resolve("mlp_ext.onnx");
        ExportOptions o = ExportOptions.builder().dynamicBatch().externalData(256).metadata("task", "digits")
                .docString("a small MLP").build();
        check(dir, "mlp_ext", m, in -> new Tensor[] {m.forward(in[0])}, o, new Tensor[] {Kindling.randn(2, 20)},
                new Tensor[] {Kindling.randn(5, 20)});
        Path data = dir.resolve("mlp_ext.onnx.data");
        assertTrue(Files.size(data) >= 20 * 16 * 4, "the weights are in the external file");
        assertTrue(Files.size(f) < 2000, "the model file holds no large weights, size " + Files.size(f));
        ModelProto proto;
        try (InputStream in = Files.newInputStream(f)) {
            proto = ModelProto.parseFrom(in);
        }
        assertEquals("kindling", proto.getProducerName());
        assertEquals("a small MLP", proto.getDocString());
        Map<String, String> meta = new java.util.HashMap<>();
        for (StringStringEntryProto e : proto.getMetadataPropsList()) meta.put(e.getKey(), e.getValue());
        assertEquals("digits", meta.get("task"));
        assertTrue(meta.get("kindling_version").matches("\\d+\\.\\d+\\.\\d+.*"), meta.toString());
        assertEquals(8, proto.getIrVersion());
        assertEquals("batch", proto.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(),
                    "no temporary files are left");
        }
    }
}
