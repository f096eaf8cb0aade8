package org.kindling.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

class GraphExecutorTest {

    private static Attributes attrs(Object... kv) {
        Attributes.Builder b = Attributes.builder();
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            if (v instanceof Integer n) b.put((String) kv[i], (long) n);
            else if (v instanceof Float f) b.put((String) kv[i], f);
            else if (v instanceof long[] l) b.put((String) kv[i], l);
            else b.put((String) kv[i], (String) v);
        }
        return b.build();
    }

    /** y = softmax(relu(x W^T + b)) with W = [[1, -1], [2, 0], [0, 1]], b = [0, 1, -1]. */
    private static Graph mlp() {
        GraphBuilder g = new GraphBuilder("mlp").opset("", 17);
        Value x = g.input("x", DType.FLOAT32, Dim.symbolic("batch"), Dim.of(2));
        Value w = g.constant("fc.weight", Kindling.tensor(new float[][] {{1, -1}, {2, 0}, {0, 1}}));
        Value b = g.constant("fc.bias", Kindling.tensor(new float[] {0, 1, -1}));
        Value h = g.op("Gemm", attrs("transB", 1), x, w, b);
        Value r = g.op("Relu", Attributes.empty(), h);
        g.output(g.op("Softmax", attrs("axis", -1), r), "probs");
        return g.build();
    }

    @Test
    void runsAnMlpByNameAndByPositionWithHandComputedValues() {
        GraphExecutor exec = new GraphExecutor(mlp());
        Tensor x = Kindling.tensor(new float[][] {{1, 2}, {3, 0}});
        // row 0: h = [-1, 3, 1] -> relu [0, 3, 1]; row 1: h = [3, 7, -1] -> relu [3, 7, 0]
        double[][] relu = {{0, 3, 1}, {3, 7, 0}};
        Tensor y = exec.run(x).get(0);
        assertArrayEquals(new int[] {2, 3}, y.shape().toArray());
        float[] got = y.toFloatArray();
        for (int r = 0; r < 2; r++) {
            double z = 0;
            for (double v : relu[r]) z += Math.exp(v);
            for (int c = 0; c < 3; c++) assertEquals(Math.exp(relu[r][c]) / z, got[r * 3 + c], 1e-6);
        }
        Map<String, Tensor> named = exec.run(Map.of("x", x));
        assertEquals(List.of("probs"), List.copyOf(named.keySet()));
        assertTrue(named.get("probs").allclose(y));
        assertEquals(List.of("x"), exec.inputNames());
        assertEquals(List.of("probs"), exec.outputNames());
    }

    @Test
    void anyBatchSizeTheSymbolicShapeAllows() {
        GraphExecutor exec = new GraphExecutor(mlp());
        assertEquals(5, exec.run(Kindling.randn(5, 2)).get(0).size(0));
        assertEquals(1, exec.run(Kindling.randn(1, 2)).get(0).size(0));
        GraphException e = assertThrows(GraphException.class, () -> exec.run(Kindling.randn(3, 4)));
        assertTrue(e.getMessage().contains("input 'x' must have shape [batch, 2] but the tensor given has shape [3, 4]"), e.getMessage());
        GraphException dtype = assertThrows(GraphException.class, () -> exec.run(Kindling.zeros(new int[] {1, 2}, DType.INT64)));
        assertTrue(dtype.getMessage().contains("input 'x' must be float32 but a int64 tensor was given"), dtype.getMessage());
        GraphException count = assertThrows(GraphException.class, () -> exec.run(Kindling.randn(1, 2), Kindling.randn(1, 2)));
        assertTrue(count.getMessage().contains("takes 1 input(s) [x] but 2 were given"), count.getMessage());
    }

    @Test
    void foldsNodesThatReadOnlyConstants() {
        GraphBuilder g = new GraphBuilder("fold").opset("", 17);
        Value x = g.input("x", DType.FLOAT32, Dim.of(1), Dim.of(3));
        Value w = g.constant("w", Kindling.tensor(new float[][] {{1, 2, 3}, {4, 5, 6}}));
        Value wt = g.op("Transpose", Attributes.empty(), w);           // constant only: folded
        Value scaled = g.op("Mul", Attributes.empty(), wt, g.constant("two", Kindling.scalar(2.0)));  // folded too
        g.output(g.op("MatMul", Attributes.empty(), x, scaled));
        GraphExecutor exec = new GraphExecutor(g.build());
        assertEquals(1, exec.nodesPerRun());
        Tensor y = exec.run(Kindling.tensor(new float[][] {{1, 1, 1}})).get(0);
        assertArrayEquals(new float[] {12, 30}, y.toFloatArray());
    }

    @Test
    void convFollowedByBatchNormIsFusedIntoOneConvWithTheSameResult() {
        Kindling.manualSeed(11);
        GraphBuilder g = new GraphBuilder("cbr").opset("", 17);
        Value x = g.input("x", DType.FLOAT32, Dim.symbolic("N"), Dim.of(2), Dim.of(5), Dim.of(5));
        Value conv = g.op("Conv", Attributes.builder().put("pads", new long[] {1, 1, 1, 1}).build(), x,
                g.constant("conv.weight", Kindling.randn(3, 2, 3, 3)), g.constant("conv.bias", Kindling.randn(3)));
        Value bn = g.op("BatchNormalization", Attributes.builder().put("epsilon", 1e-3f).build(), conv,
                g.constant("bn.weight", Kindling.rand(3).add(0.5)), g.constant("bn.bias", Kindling.randn(3)),
                g.constant("bn.running_mean", Kindling.randn(3)), g.constant("bn.running_var", Kindling.rand(3).add(0.1)));
        g.output(g.op("Relu", Attributes.empty(), bn));
        Graph graph = g.build();
        GraphExecutor exec = new GraphExecutor(graph);
        assertEquals(1, exec.nodesPerRun(), "BatchNormalization folded into the Conv, the Relu fused with it");
        Tensor in = Kindling.randn(4, 2, 5, 5);
        Tensor fused = exec.run(in).get(0);
        // GraphModule keeps the float constants as parameters, so it runs Conv and BatchNormalization separately.
        Tensor reference = new GraphModule(graph).forward(in).detach();
        assertTrue(fused.allclose(reference, 1e-5, 1e-5), "max diff " + fused.sub(reference).abs().max().item());
        assertTrue(reference.gt(0.0).any().item() != 0 && reference.eq(0.0).any().item() != 0, "relu saw both signs");
    }

    @Test
    void convAndGemmFollowedByReluRunFusedWithTheUnfusedResult() {
        Kindling.manualSeed(12);
        GraphBuilder g = new GraphBuilder("fused").opset("", 17);
        Value x = g.input("x", DType.FLOAT32, Dim.symbolic("N"), Dim.of(3), Dim.of(8), Dim.of(8));
        Value conv = g.op("Conv", attrs("pads", new long[] {1, 1, 1, 1}, "strides", new long[] {2, 2}), x,
                g.constant("c.weight", Kindling.randn(4, 3, 3, 3)), g.constant("c.bias", Kindling.randn(4)));
        Value relu = g.op("Relu", Attributes.empty(), conv);
        Value flat = g.op("Flatten", attrs("axis", 1), relu);
        Value fc = g.op("Gemm", attrs("transB", 1, "alpha", 0.5f, "beta", 2f), flat,
                g.constant("fc.weight", Kindling.randn(5, 64)), g.constant("fc.bias", Kindling.randn(5)));
        Value hidden = g.op("Relu", Attributes.empty(), fc);
        // A Gemm whose output is also read elsewhere keeps its own node: Relu cannot overwrite it.
        Value fc2 = g.op("Gemm", attrs("transB", 1), hidden, g.constant("fc2.weight", Kindling.randn(6, 5)));
        Value both = g.op("Add", Attributes.empty(), g.op("Relu", Attributes.empty(), fc2), fc2);
        g.output(both, "y");
        Graph graph = g.build();
        GraphExecutor exec = new GraphExecutor(graph);
        assertEquals(graph.nodes().size() - 2, exec.nodesPerRun(), "two Relu nodes fused into their producers");
        for (int batch : new int[] {1, 2, 7}) {
            Tensor in = Kindling.randn(batch, 3, 8, 8);
            float[] v = in.toFloatArray();
            v[5] = Float.NaN;
            in = Kindling.tensor(v).reshape(batch, 3, 8, 8);
            Tensor fused = exec.run(in).get(0);
            Tensor reference = new GraphModule(graph).forward(in).detach();
            float[] a = fused.toFloatArray(), b = reference.toFloatArray();
            assertEquals(b.length, a.length);
            int nans = 0;
            for (int i = 0; i < a.length; i++) {
                if (Float.isNaN(b[i])) {
                    nans++;
                    assertTrue(Float.isNaN(a[i]), "NaN passes the fused ReLU at " + i);
                } else {
                    assertEquals(b[i], a[i], 1e-4 * Math.max(1, Math.abs(b[i])), "element " + i + " at batch " + batch);
                }
            }
            assertTrue(nans > 0, "the NaN in the input reached the output");
        }
    }

    @Test
    void aSecondReluAfterAFusedOneStaysItsOwnNode() {
        Kindling.manualSeed(15);
        GraphBuilder g = new GraphBuilder("chain").opset("", 17);
        Value x = g.input("x", DType.FLOAT32, Dim.symbolic("N"), Dim.of(2), Dim.of(6), Dim.of(6));
        Value conv = g.op("Conv", Attributes.empty(), x, g.constant("w", Kindling.randn(3, 2, 3, 3)));
        Value twice = g.op("Relu", Attributes.empty(), g.op("Relu", Attributes.empty(), conv));
        g.output(g.op("MaxPool", attrs("kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2}), twice), "y");
        Graph graph = g.build();
        GraphExecutor exec = new GraphExecutor(graph);
        assertEquals(graph.nodes().size() - 1, exec.nodesPerRun(), "only the first Relu is fused");
        Tensor in = Kindling.randn(3, 2, 6, 6);
        Tensor reference = new GraphModule(graph).forward(in).detach();
        assertTrue(exec.run(in).get(0).allclose(reference, 1e-5, 1e-5));
    }

    @Test
    void convReluMaxPoolRunsAsOneNodeWithTheUnfusedResult() {
        Kindling.manualSeed(14);
        for (int[] hw : new int[][] {{8, 8}, {7, 9}}) {
            for (boolean relu : new boolean[] {true, false}) {
                GraphBuilder g = new GraphBuilder("cbp").opset("", 17);
                Value x = g.input("x", DType.FLOAT32, Dim.symbolic("N"), Dim.of(3), Dim.of(hw[0]), Dim.of(hw[1]));
                Value v = g.op("Conv", attrs("pads", new long[] {1, 1, 1, 1}), x,
                        g.constant("c.weight", Kindling.randn(6, 3, 3, 3)), g.constant("c.bias", Kindling.randn(6)));
                if (relu) v = g.op("Relu", Attributes.empty(), v);
                v = g.op("MaxPool", attrs("kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2}), v);
                // a second convolution with 36 column rows: the blocked GEMM path, pooled too
                v = g.op("Conv", attrs("pads", new long[] {1, 1, 1, 1}), v,
                        g.constant("c2.weight", Kindling.randn(5, 6, 3, 3)), g.constant("c2.bias", Kindling.randn(5)));
                g.output(g.op("MaxPool", attrs("kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2}), v), "y");
                Graph graph = g.build();
                GraphExecutor exec = new GraphExecutor(graph);
                assertEquals(graph.nodes().size() - (relu ? 3 : 2), exec.nodesPerRun(),
                        "each Conv with its Relu and MaxPool is one node");
                for (int batch : new int[] {1, 5}) {
                    Tensor in = Kindling.randn(batch, 3, hw[0], hw[1]);
                    Tensor fused = exec.run(in).get(0);
                    Tensor reference = new GraphModule(graph).forward(in).detach();
                    assertArrayEquals(reference.shape().toArray(), fused.shape().toArray());
                    assertTrue(fused.allclose(reference, 1e-4, 1e-4), "max diff " + fused.sub(reference).abs().max().item());
                }
            }
        }
    }

    @Test
    void recycledBuffersNeverChangeInputsConstantsOrEarlierResults() {
        // Intermediates' arrays go back to a pool when they die and are reused by later kernels of later runs.
        // Views of them (Flatten, Reshape, Identity), the caller's inputs, constants and results handed out must
        // never be overwritten.
        Kindling.manualSeed(13);
        GraphBuilder g = new GraphBuilder("pool").opset("", 17);
        // Sizes chosen so that arrays are pooled (>= 4096 floats) and wanted again: the conv output has the
        // input's length, the pooled output the next run's pooled output's.
        Value x = g.input("x", DType.FLOAT32, Dim.symbolic("N"), Dim.of(4), Dim.of(32), Dim.of(32));
        Value same = g.op("Identity", Attributes.empty(), x);
        Value conv = g.op("Conv", attrs("pads", new long[] {1, 1, 1, 1}), same,
                g.constant("c.weight", Kindling.randn(4, 4, 3, 3)), g.constant("c.bias", Kindling.randn(4)));
        Value relu = g.op("Relu", Attributes.empty(), conv);
        Value conv2 = g.op("Conv", attrs("pads", new long[] {1, 1, 1, 1}), relu,
                g.constant("c2.weight", Kindling.randn(4, 4, 3, 3)));
        Value pooled = g.op("MaxPool", attrs("kernel_shape", new long[] {2, 2}, "strides", new long[] {2, 2}), conv2);
        Value flat = g.op("Flatten", attrs("axis", 1), pooled);
        Value fc = g.op("Gemm", attrs("transB", 1), flat, g.constant("fc.weight", Kindling.randn(10, 1024)),
                g.constant("fc.bias", Kindling.randn(10)));
        g.output(fc, "logits");
        g.output(flat, "features");        // a view of the pooled intermediate, handed to the caller
        Graph graph = g.build();
        GraphExecutor exec = new GraphExecutor(graph);
        GraphModule reference = new GraphModule(graph);
        Tensor a = Kindling.randn(4, 4, 32, 32), b = Kindling.randn(4, 4, 32, 32);
        Tensor aCopy = a.clone(), bCopy = b.clone();
        List<Tensor> first = exec.run(a);
        List<Tensor> firstCopy = first.stream().map(Tensor::clone).toList();
        for (int round = 0; round < 3; round++) {
            List<Tensor> again = exec.run(round % 2 == 0 ? b : a);
            List<Tensor> want = reference.forwardAll(round % 2 == 0 ? b : a);
            for (int k = 0; k < 2; k++) {
                assertTrue(again.get(k).allclose(want.get(k).detach(), 1e-4, 1e-4), "output " + k + " of round " + round);
            }
        }
        for (int k = 0; k < 2; k++) assertTrue(first.get(k).equal(firstCopy.get(k)), "result " + k + " of the first run kept");
        assertTrue(a.equal(aCopy) && b.equal(bCopy), "inputs untouched");
        assertTrue(new GraphExecutor(graph).run(a).get(0).equal(first.get(0)), "constants untouched");
    }

    @Test
    void releasesIntermediatesAfterTheirLastUse() {
        GraphBuilder g = new GraphBuilder("chain").opset("", 17);
        Value v = g.input("x", DType.FLOAT32, Dim.of(4));
        for (int i = 0; i < 50; i++) v = g.op(i % 2 == 0 ? "Neg" : "Abs", Attributes.empty(), v);
        g.output(v, "y");
        GraphExecutor exec = new GraphExecutor(g.build());
        Tensor y = exec.run(Kindling.tensor(new float[] {-1, 2, -3, 4})).get(0);
        assertArrayEquals(new float[] {1, 2, 3, 4}, y.toFloatArray());
        assertTrue(exec.lastPeakLiveValues() <= 3, "peak live values " + exec.lastPeakLiveValues() + " for a 50-node chain");
    }

    @Test
    void unsupportedOperatorNamesOpOpsetNodeAndRange() {
        GraphBuilder g = new GraphBuilder("bad").opset("", 17);
        Value x = g.input("x", DType.FLOAT32);
        g.node(new Node("FancyOp", "", "fancy1", List.of(x), List.of(Value.of("y")), null));
        g.output(Value.of("y"));
        UnsupportedOperatorException e = assertThrows(UnsupportedOperatorException.class, () -> new GraphExecutor(g.build()));
        assertEquals("FancyOp node 'fancy1': operator FancyOp (opset 17) is not supported by Kindling", e.getMessage());
        assertEquals("FancyOp", e.opType());
        assertEquals(17, e.opset());

        GraphBuilder old = new GraphBuilder("old").opset("", 9);
        Value a = old.input("a", DType.FLOAT32);
        old.node(new Node("Gelu", "", "g", List.of(a), List.of(Value.of("y")), null));
        old.output(Value.of("y"));
        UnsupportedOperatorException e2 = assertThrows(UnsupportedOperatorException.class, () -> new GraphExecutor(old.build()));
        assertEquals("Gelu node 'g': Gelu at opset 9 is not supported (supported from opset 20 on)", e2.getMessage());
    }

    @Test
    void opsetSelectsTheSpecVersion() {
        // Squeeze takes axes as an attribute before opset 13 and as an input from 13 on.
        GraphBuilder g11 = new GraphBuilder("s11").opset("", 11);
        Value x = g11.input("x", DType.FLOAT32, Dim.of(1), Dim.of(3), Dim.of(1));
        g11.output(g11.op("Squeeze", Attributes.builder().put("axes", new long[] {0}).build(), x), "y");
        assertArrayEquals(new int[] {3, 1}, new GraphExecutor(g11.build()).run(Kindling.zeros(1, 3, 1)).get(0).shape().toArray());

        GraphBuilder g13 = new GraphBuilder("s13").opset("", 13);
        Value x13 = g13.input("x", DType.FLOAT32, Dim.of(1), Dim.of(3), Dim.of(1));
        Value axes = g13.constant("axes", Kindling.tensor(new long[] {2}));
        g13.output(g13.op("Squeeze", Attributes.empty(), x13, axes), "y");
        assertArrayEquals(new int[] {1, 3}, new GraphExecutor(g13.build()).run(Kindling.zeros(1, 3, 1)).get(0).shape().toArray());
    }

    @Test
    void failingNodeIsNamedWithItsInputs() {
        GraphBuilder g = new GraphBuilder("mm").opset("", 17);
        Value a = g.input(Value.of("a", DType.FLOAT32, null));
        Value b = g.input(Value.of("b", DType.FLOAT32, null));
        g.node(new Node("MatMul", "", "proj", List.of(a, b), List.of(Value.of("y")), null));
        g.output(Value.of("y"));
        GraphExecutor exec = new GraphExecutor(g.build());
        GraphException e = assertThrows(GraphException.class, () -> exec.run(Kindling.zeros(2, 3), Kindling.zeros(4, 5)));
        assertEquals("proj", e.nodeName());
        assertTrue(e.getMessage().startsWith("MatMul node 'proj' failed:") && e.getMessage().contains("float32[2, 3] float32[4, 5]"), e.getMessage());
    }

    @Test
    void ifRunsTheBranchSubgraphInTheEnclosingScope() {
        GraphBuilder then = new GraphBuilder("then");
        then.output(then.op("Neg", Attributes.empty(), Value.of("x")));
        GraphBuilder otherwise = new GraphBuilder("else");
        otherwise.output(otherwise.op("Abs", Attributes.empty(), Value.of("x")));
        GraphBuilder g = new GraphBuilder("if").opset("", 17);
        Value c = g.input("c", DType.BOOL);
        g.input("x", DType.FLOAT32, Dim.of(2));
        Attributes branches = Attributes.builder().put("then_branch", then.buildSubgraph()).put("else_branch", otherwise.buildSubgraph()).build();
        g.output(g.op("If", branches, c), "y");
        GraphExecutor exec = new GraphExecutor(g.build());
        Tensor x = Kindling.tensor(new float[] {-2, 3});
        assertArrayEquals(new float[] {2, -3}, exec.run(Kindling.tensor(true), x).get(0).toFloatArray());
        assertArrayEquals(new float[] {2, 3}, exec.run(Kindling.tensor(false), x).get(0).toFloatArray());
    }

    @Test
    void lstmMatchesAHandUnrolledCell() {
        // One step, hidden 1, input 1: i,o,f,c gates from W = [wi, wo, wf, wc], R = 0, no bias.
        GraphBuilder g = new GraphBuilder("lstm").opset("", 14);
        Value x = g.input("x", DType.FLOAT32, Dim.of(1), Dim.of(1), Dim.of(1));
        Value w = g.constant("W", Kindling.tensor(new float[][][] {{{0.5f}, {-1f}, {2f}, {1.5f}}}));
        Value r = g.constant("R", Kindling.zeros(1, 4, 1));
        List<Value> outs = g.op("LSTM", Attributes.builder().put("hidden_size", 1).build(), 3, x, w, r);
        g.output(outs.get(0));
        g.output(outs.get(2));
        List<Tensor> y = new GraphExecutor(g.build()).run(Kindling.tensor(new float[][][] {{{2f}}}));
        double i = sigmoid(1.0), o = sigmoid(-2.0), f = sigmoid(4.0), cand = Math.tanh(3.0);
        double c = f * 0 + i * cand;
        assertEquals(o * Math.tanh(c), y.get(0).item(), 1e-6);
        assertEquals(c, y.get(1).item(), 1e-6);
        assertArrayEquals(new int[] {1, 1, 1, 1}, y.get(0).shape().toArray());
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }
}
