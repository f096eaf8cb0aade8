package org.kindling.jit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kindling.jit.internal.Interpreter;
import org.kindling.jit.internal.OpRegistry;
import org.kindling.nn.Module;
import org.kindling.nn.Parameter;
import org.kindling.tensor.Tensor;

/**
 * A {@link Graph} as a trainable {@link Module}: every floating-point constant becomes a {@link Parameter}
 * under its graph name (dotted names such as {@code "fc.weight"} become nested modules, so
 * {@code stateDict()} keys are exactly the constant names), and {@code forward} runs the same operators as
 * {@link GraphExecutor} with autograd on. Fine-tune it with any optimizer.
 *
 * <pre>
 * GraphModule m = new GraphModule(graph);
 * Optimizer opt = new SGD(m.parameters(), 0.01);
 * Tensor loss = F.mseLoss(m.forward(x), target);
 * loss.backward();
 * opt.step();
 * </pre>
 */
public class GraphModule extends Module {

    private final Graph graph;
    private final Interpreter interpreter;
    private final Map<String, Tensor> liveConstants = new LinkedHashMap<>();

    public GraphModule(Graph graph) {
        this.graph = graph;
        Set<String> fixed = new java.util.HashSet<>();
        for (var e : graph.constants().entrySet()) {
            Tensor t = e.getValue();
            if (t.isFloatingPoint()) {
                Parameter p = new Parameter(t.clone());
                liveConstants.put(e.getKey(), p);
                place(e.getKey(), p);
            } else {
                fixed.add(e.getKey());
            }
        }
        this.interpreter = new Interpreter(graph, OpRegistry.standard(), fixed, null);
    }

    /** Dotted names become nested modules so that stateDict keys equal the constant names. */
    private void place(String name, Parameter p) {
        String[] parts = name.split("\\.", -1);
        boolean nestable = parts.length > 1;
        for (String part : parts) nestable &= !part.isEmpty();
        if (!nestable) {
            registerParameter(name.replace('.', '_'), p);
            return;
        }
        Module first = namedChildren().get(parts[0]);
        Holder h = first != null ? (Holder) first : register(parts[0], new Holder());
        for (int i = 1; i < parts.length - 1; i++) h = h.child(parts[i]);
        h.param(parts[parts.length - 1], p);
    }

    private static final class Holder extends Module {
        Holder child(String name) {
            Module m = namedChildren().get(name);
            return m != null ? (Holder) m : register(name, new Holder());
        }

        void param(String name, Parameter p) {
            registerParameter(name, p);
        }
    }

    public Graph graph() {
        return graph;
    }

    public List<String> inputNames() {
        return graph.requiredInputs().stream().map(Value::name).toList();
    }

    public List<String> outputNames() {
        return graph.outputs().stream().map(Value::name).toList();
    }

    /** Runs with inputs by name and autograd as currently enabled; returns the outputs by name. */
    public Map<String, Tensor> forward(Map<String, Tensor> inputs) {
        return interpreter.run(inputs, liveConstants, null);
    }

    /** Runs with inputs by position; returns all outputs in order. */
    public List<Tensor> forwardAll(Tensor... inputs) {
        return new ArrayList<>(forward(GraphExecutor.byPosition(graph, inputs)).values());
    }

    /** The first output for a one-input graph. */
    @Override
    public Tensor forward(Tensor input) {
        return forwardAll(input).get(0);
    }

    @Override
    public String extraRepr() {
        return "graph=" + (graph.name().isEmpty() ? "<unnamed>" : graph.name()) + ", nodes=" + graph.nodes().size();
    }
}
