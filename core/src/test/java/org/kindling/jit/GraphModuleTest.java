package org.kindling.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.nn.F;
import org.kindling.optim.SGD;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

class GraphModuleTest {

    /** y = relu(x @ W + b) @ V with ONNX-style initializer names. */
    private static Graph net(Tensor w, Tensor b, Tensor v) {
        GraphBuilder g = new GraphBuilder("net").opset("", 17);
        Value x = g.input("x", DType.FLOAT32, Dim.symbolic("batch"), Dim.of(3));
        Value h = g.op("MatMul", Attributes.empty(), x, g.constant("layer1.0.weight", w));
        h = g.op("Add", Attributes.empty(), h, g.constant("layer1.0.bias", b));
        h = g.op("Relu", Attributes.empty(), h);
        Value y = g.op("MatMul", Attributes.empty(), h, g.constant("onnx::MatMul_7", v));
        Value shape = g.constant("shape", Kindling.tensor(new long[] {-1}));
        g.output(g.op("Reshape", Attributes.empty(), y, shape), "y");
        return g.build();
    }

    @Test
    void floatConstantsBecomeParametersNamedLikeTheInitializers() {
        Kindling.manualSeed(1);
        GraphModule m = new GraphModule(net(Kindling.randn(3, 4), Kindling.zeros(4), Kindling.randn(4, 1)));
        assertEquals(List.of("onnx::MatMul_7", "layer1.0.weight", "layer1.0.bias"), List.copyOf(m.namedParameters().keySet()).stream()
                .sorted((a, b) -> a.startsWith("onnx") ? -1 : b.startsWith("onnx") ? 1 : 0).toList());
        assertEquals(3 * 4 + 4 + 4, m.numParameters());
        // The int64 shape constant stays a constant.
        assertTrue(m.stateDict().keySet().containsAll(List.of("layer1.0.weight", "layer1.0.bias", "onnx::MatMul_7")));
        assertEquals(3, m.stateDict().size());
    }

    @Test
    void matchesTheExecutorAndFineTunesWithSgd() {
        Kindling.manualSeed(7);
        Graph graph = net(Kindling.randn(3, 8).mul(0.5), Kindling.full(new int[] {8}, 0.1), Kindling.randn(8, 1).mul(0.5));
        GraphModule m = new GraphModule(graph);
        Tensor x = Kindling.randn(64, 3);
        Tensor target = x.select(1, 0).mul(2.0).sub(x.select(1, 1)).add(0.5);
        assertTrue(m.forward(x).allclose(new GraphExecutor(graph).run(x).get(0), 1e-6, 1e-6));

        SGD opt = new SGD(m.parameters(), 0.05);
        double first = Double.NaN, last = Double.NaN;
        for (int step = 0; step < 300; step++) {
            opt.zeroGrad();
            Tensor loss = F.mseLoss(m.forward(x), target);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        assertTrue(last < first * 0.05, "loss " + first + " -> " + last);
        // Training changed the module, not the graph it came from.
        assertTrue(!m.stateDict().get("layer1.0.weight").allclose(graph.constants().get("layer1.0.weight")));
    }

    @Test
    void gradientOfALinearGraphIsTheAnalyticOne() {
        GraphBuilder g = new GraphBuilder("lin").opset("", 17);
        Value x = g.input("x", DType.FLOAT32, Dim.of(2), Dim.of(2));
        g.output(g.op("MatMul", Attributes.empty(), x, g.constant("w", Kindling.tensor(new float[][] {{1}, {2}}))), "y");
        GraphModule m = new GraphModule(g.build());
        Tensor in = Kindling.tensor(new float[][] {{1, 2}, {3, 4}});
        m.forward(in).sum().backward();
        // d(sum(x @ w))/dw = column sums of x.
        assertEquals(4, m.namedParameters().get("w").grad().toFloatArray()[0], 1e-6);
        assertEquals(6, m.namedParameters().get("w").grad().toFloatArray()[1], 1e-6);
    }
}
