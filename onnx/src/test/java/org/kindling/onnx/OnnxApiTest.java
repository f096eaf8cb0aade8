package org.kindling.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.Kindling;
import org.kindling.jit.GraphModule;
import org.kindling.nn.F;
import org.kindling.onnx.internal.TensorProtos;
import org.kindling.onnx.internal.proto.OnnxProtos.AttributeProto;
import org.kindling.onnx.internal.proto.OnnxProtos.GraphProto;
import org.kindling.onnx.internal.proto.OnnxProtos.ModelProto;
import org.kindling.onnx.internal.proto.OnnxProtos.NodeProto;
import org.kindling.onnx.internal.proto.OnnxProtos.OperatorSetIdProto;
import org.kindling.onnx.internal.proto.OnnxProtos.TensorShapeProto;
import org.kindling.onnx.internal.proto.OnnxProtos.TypeProto;
import org.kindling.onnx.internal.proto.OnnxProtos.ValueInfoProto;
import org.kindling.optim.Adam;
import org.kindling.tensor.Tensor;

/** The public facade on small models written with the official schema. */
public class OnnxApiTest {

    static ValueInfoProto floatInput(String name, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof String s) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(s));
            else shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))).build();
    }

    static NodeProto node(String op, String name, List<String> in, List<String> out, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addAllOutput(out);
        for (AttributeProto a : attrs) n.addAttribute(a);
        return n.build();
    }

    static ModelProto model(GraphProto g, int ir, int opset) {
        return ModelProto.newBuilder().setIrVersion(ir).setProducerName("kindling-test").setProducerVersion("1").setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).build();
    }

    /** y = Relu(x) + w with w = [1.5, 2, 3.5], x: float[batch, 3]. */
    public static byte[] reluPlusBiasModel() {
        GraphProto g = GraphProto.newBuilder().setName("relu_plus_w")
                .addInput(floatInput("x", "batch", 3))
                .addInitializer(TensorProtos.toProto(Kindling.tensor(new float[] {0.5f, 2f, 3.5f}), "w"))
                .addNode(node("Relu", "relu", List.of("x"), List.of("r")))
                .addNode(node("Add", "add", List.of("r", "w"), List.of("y")))
                .addOutput(floatInput("y", "batch", 3)).build();
        return model(g, 8, 17).toByteArray();
    }

    /** logits = Gemm(x, fc.weight, fc.bias, transB=1) with IR 4 initializers also listed as inputs. */
    static Path linearModel(Path dir, Tensor w, Tensor b) throws IOException {
        GraphProto g = GraphProto.newBuilder().setName("linear")
                .addInput(floatInput("x", "N", w.size(1)))
                .addInput(floatInput("fc.weight", w.size(0), w.size(1)))
                .addInput(floatInput("fc.bias", w.size(0)))
                .addInitializer(TensorProtos.toProto(w, "fc.weight"))
                .addInitializer(TensorProtos.toProto(b, "fc.bias"))
                .addNode(node("Gemm", "fc", List.of("x", "fc.weight", "fc.bias"), List.of("logits"),
                        AttributeProto.newBuilder().setName("transB").setType(AttributeProto.AttributeType.INT).setI(1).build()))
                .addOutput(floatInput("logits", "N", w.size(0))).build();
        Path file = dir.resolve("linear.onnx");
        Files.write(file, model(g, 4, 9).toByteArray());
        return file;
    }

    @TempDir
    Path tmp;

    @Test
    void loadRunsByNameAndByPositionForAnyBatch() throws IOException {
        Path file = tmp.resolve("m.onnx");
        Files.write(file, reluPlusBiasModel());
        OnnxModel m = Onnx.load(file);
        assertEquals(List.of("x"), m.inputNames());
        assertEquals(List.of("y"), m.outputNames());
        Tensor x = Kindling.tensor(new float[][] {{-1, 2, -3}, {4, -5, 6}});
        assertArrayEquals(new float[] {0.5f, 4f, 3.5f, 4.5f, 2f, 9.5f}, m.forward(x).get(0).toFloatArray());
        assertArrayEquals(m.forward(x).get(0).toFloatArray(), m.forward(Map.of("x", x)).get("y").toFloatArray());
        assertEquals(7, m.forward(Kindling.randn(7, 3)).get(0).size(0));
        OnnxException bad = assertThrows(OnnxException.class, () -> m.forward(Kindling.randn(2, 4)));
        assertTrue(bad.getMessage().contains("input 'x' must have shape [batch, 3]"), bad.getMessage());
    }

    @Test
    void inspectSummarisesWithoutRunning() throws IOException {
        Path file = linearModel(tmp, Kindling.randn(4, 10), Kindling.zeros(4));
        OnnxSummary s = Onnx.inspect(file);
        assertEquals(4, s.irVersion());
        assertEquals("kindling-test 1", s.producer());
        assertEquals(Map.of("", 9), s.opsets());
        assertEquals(List.of("x: float[N, 10]"), s.inputs());
        assertEquals(List.of("logits: float[N, 4]"), s.outputs());
        assertEquals(Map.of("Gemm", 1), s.opHistogram());
        assertEquals(44, s.parameterCount());
        assertEquals(176, s.parameterBytes());
        String text = s.toString();
        assertTrue(text.contains("parameters: 44 (176 B)") && text.contains("Gemm") && text.contains("x: float[N, 10]"), text);
    }

    @Test
    void initializersListedAsInputsAreDefaultsThatMayBeOverridden() throws IOException {
        Path file = linearModel(tmp, Kindling.tensor(new float[][] {{1, 0}, {0, 1}}), Kindling.tensor(new float[] {0, 0}));
        OnnxModel m = Onnx.load(file);
        assertEquals(List.of("x"), m.inputNames());
        Tensor x = Kindling.tensor(new float[][] {{3, 4}});
        assertArrayEquals(new float[] {3, 4}, m.forward(x).get(0).toFloatArray());
        Map<String, Tensor> out = m.forward(Map.of("x", x, "fc.bias", Kindling.tensor(new float[] {1, -1})));
        assertArrayEquals(new float[] {4, 3}, out.get("logits").toFloatArray());
    }

    @Test
    void loadTrainableFineTunesAnImportedModel() throws IOException {
        Kindling.manualSeed(3);
        Path file = linearModel(tmp, Kindling.randn(2, 3).mul(0.1), Kindling.zeros(2));
        GraphModule module = Onnx.loadTrainable(file);
        assertEquals(List.of("fc.weight", "fc.bias"), List.copyOf(module.stateDict().keySet()));
        Tensor x = Kindling.randn(128, 3);
        Tensor labels = x.select(1, 0).gt(0.0).to(org.kindling.tensor.DType.INT64);
        Adam opt = new Adam(module.parameters(), 0.05);
        double first = 0, last = 0;
        for (int step = 0; step < 100; step++) {
            opt.zeroGrad();
            Tensor loss = F.crossEntropy(module.forward(x), labels);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        assertTrue(last < first / 3, "cross-entropy " + first + " -> " + last);
        double accuracy = module.forward(x).argmax(1).eq(labels).to(org.kindling.tensor.DType.FLOAT32).mean().item();
        assertTrue(accuracy > 0.95, "accuracy " + accuracy);
    }

    @Test
    void unsupportedOpAndIrVersionsAreNamed() throws IOException {
        GraphProto g = GraphProto.newBuilder().setName("g").addInput(floatInput("x", 2))
                .addNode(node("NoSuchOp", "mystery", List.of("x"), List.of("y"))).addOutput(floatInput("y", 2)).build();
        Path file = tmp.resolve("u.onnx");
        Files.write(file, model(g, 8, 17).toByteArray());
        OnnxException e = assertThrows(OnnxException.class, () -> Onnx.load(file));
        assertTrue(e.isUnsupported());
        assertEquals("NoSuchOp node 'mystery': operator NoSuchOp (opset 17) is not supported by Kindling", e.getMessage());

        Files.write(file, model(g, 14, 17).toByteArray());
        OnnxException ir = assertThrows(OnnxException.class, () -> Onnx.load(file));
        assertEquals("ONNX IR version 14 is not supported (Kindling reads IR versions 3 to 13)", ir.getMessage());

        Files.write(file, new byte[] {8, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0x7f});
        OnnxException garbage = assertThrows(OnnxException.class, () -> Onnx.load(file));
        assertTrue(garbage.getMessage().contains("is not a valid ONNX model"), garbage.getMessage());
    }

    @Test
    void cycleIsRejectedNamingTheNode() throws IOException {
        GraphProto g = GraphProto.newBuilder().setName("g").addInput(floatInput("x", 2))
                .addNode(node("Add", "a", List.of("x", "c"), List.of("b")))
                .addNode(node("Relu", "r", List.of("b"), List.of("c")))
                .addOutput(floatInput("c", 2)).build();
        Path file = tmp.resolve("c.onnx");
        Files.write(file, model(g, 8, 17).toByteArray());
        OnnxException e = assertThrows(OnnxException.class, () -> Onnx.load(file));
        assertTrue(e.getMessage().contains("Add node 'a' reads 'c' before Relu node 'r' produces it"), e.getMessage());
    }
}
