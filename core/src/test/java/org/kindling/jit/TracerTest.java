package org.kindling.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.nn.Module;
import org.kindling.nn.Sequential;
import org.kindling.nn.activation.ReLU;
import org.kindling.nn.dropout.Dropout;
import org.kindling.nn.flatten.Flatten;
import org.kindling.nn.linear.Linear;
import org.kindling.nn.batchnorm.BatchNorm2d;
import org.kindling.nn.conv.Conv2d;
import org.kindling.nn.pooling.MaxPool2d;
import org.kindling.nn.rnn.GRU;
import org.kindling.nn.rnn.LSTM;
import org.kindling.nn.transformer.TransformerEncoderLayer;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Function;
import org.kindling.tensor.FunctionCtx;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.trace.TraceHook;

class TracerTest {

    private static List<String> ops(Graph g) {
        return g.nodes().stream().map(Node::opType).toList();
    }

    private static Module mlp() {
        Kindling.manualSeed(7);
        Module m = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3));
        m.eval();
        return m;
    }

    @Test
    void mlpBecomesGemmReluGemmWithStateDictNames() {
        Graph g = Tracer.trace(mlp(), TraceOptions.builder().dynamicBatch().build(), Kindling.randn(2, 4));
        assertEquals(List.of("Gemm", "Relu", "Gemm"), ops(g));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(g.constants().keySet()));
        assertEquals(17, g.opsetVersion(""));
        assertEquals(List.of(Dim.symbolic("batch"), Dim.of(4)), g.inputs().get(0).shape().orElseThrow());
        assertEquals("output", g.outputs().get(0).name());
        assertEquals(List.of(Dim.symbolic("batch"), Dim.of(3)), g.outputs().get(0).shape().orElseThrow());
        assertEquals(1L, g.nodes().get(0).attributes().getInt("transB"));
    }

    @Test
    void reshapeAlongTheBatchCopiesTheDimension() {
        Module m = new Sequential(new Flatten(), new Linear(12, 2));
        m.eval();
        Graph dynamic = Tracer.trace(m, TraceOptions.builder().dynamicBatch().build(), Kindling.randn(2, 3, 4));
        Node reshape = dynamic.nodes().get(0);
        assertEquals("Reshape", reshape.opType());
        assertArrayEquals(new long[] {0, 12}, dynamic.constants().get(reshape.input(1).name()).toLongArray());
        Graph fixed = Tracer.trace(m, Kindling.randn(2, 3, 4));
        Node r2 = fixed.nodes().get(0);
        assertArrayEquals(new long[] {2, 12}, fixed.constants().get(r2.input(1).name()).toLongArray());
        assertEquals(List.of(Dim.of(2), Dim.of(3), Dim.of(4)), fixed.inputs().get(0).shape().orElseThrow());
    }

    @Test
    void opsetAndNamesFollowTheOptions() {
        TraceOptions o = TraceOptions.builder().opset(13).inputNames("features").outputNames("logits").build();
        Graph g = Tracer.trace(mlp(), o, Kindling.randn(1, 4));
        assertEquals(13, g.opsetVersion(""));
        assertEquals("features", g.inputs().get(0).name());
        assertEquals("logits", g.outputs().get(0).name());
        assertEquals("features", g.nodes().get(0).input(0).name());
        assertThrows(IllegalArgumentException.class, () -> TraceOptions.builder().opset(12).build());
    }

    @Test
    void topLevelInPlaceOpsAreRecorded() {
        Module m = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                Tensor y = x.mul(2);
                y.add_(1);
                return y.relu();
            }
        };
        Graph g = Tracer.trace(m, Kindling.randn(3));
        assertEquals(List.of("Mul", "Add", "Relu"), ops(g));
        assertEquals(g.nodes().get(1).output(0).name(), g.nodes().get(2).input(0).name());
    }

    @Test
    void comparisonsAndWhereReadTheTracedValues() {
        Module m = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                return Kindling.where(x.gt(0), x, x.mul(0.1));
            }
        };
        Graph g = Tracer.trace(m, Kindling.randn(5));
        assertEquals(List.of("Greater", "Mul", "Where"), ops(g));
        assertEquals("input", g.nodes().get(0).input(0).name());
        assertEquals(g.nodes().get(0).output(0).name(), g.nodes().get(2).input(0).name());
    }

    static final class Cube extends Function {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            return in[0].mul(in[0]).mul(in[0]);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {g};
        }
    }

    @Test
    void aUserFunctionIsAnErrorNamingIt() {
        Module m = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                return new Cube().apply(x.add(1));
            }
        };
        TraceException e = assertThrows(TraceException.class, () -> Tracer.trace(m, Kindling.randn(2)));
        assertTrue(e.getMessage().contains("Cube"), e.getMessage());
        assertFalse(TraceHook.tracing(), "the trace must stop after a failure");
        // the engine works normally afterwards: no graph is recorded without requiresGrad
        Tensor y = Kindling.ones(2).mul(3);
        assertEquals(3.0, y.toDoubleArray()[0]);
        assertTrue(y.isLeaf());
    }

    @Test
    void dropoutInTrainingModeIsAnErrorThatSaysEval() {
        Module m = new Sequential(new Linear(4, 4), new Dropout(0.5));
        m.train();
        TraceException e = assertThrows(TraceException.class, () -> Tracer.trace(m, Kindling.randn(3, 4)));
        assertTrue(e.getMessage().contains("eval()"), e.getMessage());
    }

    @Test
    void valuesReadOutOfTensorsAreAnError() {
        Module m = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                float[] v = x.toFloatArray();
                return x.add(Kindling.fromArray(v, v.length));
            }
        };
        TraceException e = assertThrows(TraceException.class, () -> Tracer.trace(m, Kindling.randn(4)));
        assertTrue(e.getMessage().contains("different values"), e.getMessage());
    }

    @Test
    void tracingLeavesGradientsAlone() {
        Module m = mlp();
        Tracer.trace(m, Kindling.randn(2, 4));
        Tensor x = Kindling.randn(2, 4);
        m.train();
        Tensor loss = m.forward(x).sum();
        loss.backward();
        assertTrue(m.parameters().get(0).grad() != null);
        assertFalse(TraceHook.tracing());
    }

    private static void assertRunsLikeForward(Module m, Tensor example, Tensor other) {
        m.eval();
        Graph g = Tracer.trace(m, TraceOptions.builder().dynamicBatch().build(), example);
        GraphExecutor exec = new GraphExecutor(g);
        for (Tensor x : List.of(example, other)) {
            Tensor expected;
            try (var guard = GradMode.noGrad()) {
                expected = m.forward(x);
            }
            Tensor actual = exec.run(x).get(0);
            assertArrayEquals(expected.shape().toArray(), actual.shape().toArray());
            assertTrue(actual.allclose(expected, 1e-4, 1e-5), "graph " + actual + " vs forward " + expected);
        }
    }

    @Test
    void tracedGraphsRunLikeTheModules() {
        assertRunsLikeForward(mlp(), Kindling.randn(2, 4), Kindling.randn(5, 4));
        Module cnn = new Sequential(new Conv2d(1, 3, 3, 1, 1), new BatchNorm2d(3), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(3 * 4 * 4, 5));
        cnn.train();
        try (var guard = GradMode.noGrad()) {
            cnn.forward(Kindling.randn(4, 1, 8, 8).add(1));
        }
        assertRunsLikeForward(cnn, Kindling.randn(2, 1, 8, 8), Kindling.randn(5, 1, 8, 8));
        assertRunsLikeForward(new TransformerEncoderLayer(8, 2, 16, 0.0, "gelu", 1e-5, true, false),
                Kindling.randn(2, 5, 8), Kindling.randn(5, 5, 8));
        assertRunsLikeForward(new LSTM(4, 6, 2, true, true, 0.0, false), Kindling.randn(2, 3, 4), Kindling.randn(5, 3, 4));
        assertRunsLikeForward(new GRU(4, 6, 1, true, true, 0.0, true), Kindling.randn(2, 3, 4), Kindling.randn(5, 3, 4));
    }

    @Test
    void recurrentLayersBecomeOnnxRecurrentOps() {
        Module lstm = new LSTM(4, 6, 2, true, true, 0.0, false);
        lstm.eval();
        Graph g = Tracer.trace(lstm, TraceOptions.builder().dynamicBatch().build(), Kindling.randn(2, 3, 4));
        assertEquals(2, ops(g).stream().filter("LSTM"::equals).count(), ops(g).toString());
        Node first = g.nodes().stream().filter(n -> n.opType().equals("LSTM")).findFirst().orElseThrow();
        assertEquals(6L, first.attributes().getInt("hidden_size"));
        assertFalse(first.hasInput(5), "zero initial states are left to ONNX's default");
        // the input projection moved into the LSTM ops: no separate MatMul, no permutation matrix
        assertFalse(ops(g).contains("MatMul"), ops(g).toString());
        assertTrue(g.constants().keySet().stream().noneMatch(k -> k.startsWith("gate_order")), g.constants().keySet().toString());
        assertTrue(g.constants().containsKey("weight_ih_l1") && g.constants().containsKey("bias_hh_l0"));
    }

    @Test
    void aModuleReturningItsInputGetsAnIdentityOutput() {
        Module identity = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        };
        Graph g = Tracer.trace(identity, Kindling.randn(2, 3));
        assertEquals(List.of("Identity"), ops(g));
        Tensor x = Kindling.randn(2, 3);
        assertTrue(new GraphExecutor(g).run(x).get(0).equal(x));
    }
}
