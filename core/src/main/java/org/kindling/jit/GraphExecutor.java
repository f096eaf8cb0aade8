package org.kindling.jit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kindling.jit.internal.Interpreter;
import org.kindling.jit.internal.OpRegistry;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;

/**
 * Runs a {@link Graph} for inference, without autograd. Every node's operator is resolved when the executor
 * is built (an unsupported op is an {@link UnsupportedOperatorException} naming op, opset, node and the
 * supported range), nodes that read only constants are folded once, an inference BatchNormalization is folded
 * into the Conv before it, a Conv or Gemm followed by Relu runs as one fused kernel, and intermediate values
 * are released after their last use. Operators follow the ONNX specification at the graph's opset. Thread-safe: one
 * executor may serve concurrent {@code run} calls.
 *
 * <pre>
 * GraphExecutor exec = new GraphExecutor(graph);
 * Tensor y = exec.run(Kindling.randn(8, 4)).get(0);            // by position
 * Map&lt;String, Tensor&gt; out = exec.run(Map.of("x", Kindling.randn(8, 4)));  // by name
 * </pre>
 */
public final class GraphExecutor {

    private final Graph graph;
    private final Interpreter interpreter;

    public GraphExecutor(Graph graph) {
        this.graph = graph;
        this.interpreter = new Interpreter(graph, OpRegistry.standard(), graph.constants().keySet(), null, true);
    }

    public Graph graph() {
        return graph;
    }

    /** Names of the inputs a caller supplies, in order (graph inputs that have no constant default). */
    public List<String> inputNames() {
        return graph.requiredInputs().stream().map(Value::name).toList();
    }

    public List<String> outputNames() {
        return graph.outputs().stream().map(Value::name).toList();
    }

    /** How many nodes run per call: the graph's nodes less those folded into constants when the executor was built. */
    public int nodesPerRun() {
        return interpreter.plannedNodes();
    }

    /** The most values (inputs and intermediates) held at once during this thread's last run. */
    public int lastPeakLiveValues() {
        return interpreter.lastPeakLiveValues();
    }

    /** Runs with inputs by name; returns every graph output by name, in the graph's order. */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        try (var g = GradMode.noGrad()) {
            return interpreter.run(inputs, null, null);
        }
    }

    /** Runs with inputs by position (the order of {@link #inputNames()}); returns the outputs in order. */
    public List<Tensor> run(Tensor... inputs) {
        return new ArrayList<>(run(byPosition(graph, inputs)).values());
    }

    static Map<String, Tensor> byPosition(Graph graph, Tensor... inputs) {
        List<Value> required = graph.requiredInputs();
        if (inputs.length != required.size()) {
            throw new GraphException("graph '" + graph.name() + "' takes " + required.size() + " input(s) "
                    + required.stream().map(Value::name).toList() + " but " + inputs.length + " were given");
        }
        Map<String, Tensor> m = new HashMap<>();
        for (int i = 0; i < inputs.length; i++) m.put(required.get(i).name(), inputs[i]);
        return m;
    }
}
