package org.kindling.jit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/**
 * Assembles a {@link Graph}: declare inputs and constants, add nodes (auto-named outputs or explicit
 * {@link Node}s), mark outputs, then {@link #build()}, which puts the nodes in topological order (keeping
 * the given order where it already is one) and validates.
 *
 * <pre>
 * GraphBuilder b = new GraphBuilder("mlp").opset("", 17);
 * Value x = b.input("x", DType.FLOAT32, Dim.symbolic("batch"), Dim.of(4));
 * Value w = b.constant("fc.weight", Kindling.randn(3, 4));
 * Value h = b.op("Gemm", Attributes.builder().put("transB", 1).build(), x, w);
 * b.output(b.op("Relu", Attributes.empty(), h));
 * Graph g = b.build();
 * </pre>
 */
public final class GraphBuilder {

    private final String name;
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Tensor> constants = new LinkedHashMap<>();
    private final Map<String, Integer> opsets = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Set<String> usedNames = new HashSet<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private String docString = "";

    public GraphBuilder(String name) {
        this.name = name == null ? "" : name;
    }

    /** Records the opset version of {@code domain} ("" for the default ONNX domain). */
    public GraphBuilder opset(String domain, int version) {
        if (version < 1) throw new IllegalArgumentException("opset version must be >= 1, got " + version + " for domain '" + domain + "'");
        opsets.put(Node.normalizeDomain(domain), version);
        return this;
    }

    public GraphBuilder docString(String text) {
        this.docString = text == null ? "" : text;
        return this;
    }

    public GraphBuilder metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Declares a graph input with a dtype and shape (no dims: a scalar). */
    public Value input(String valueName, DType dtype, Dim... shape) {
        return input(Value.of(valueName, dtype, Arrays.asList(shape)));
    }

    /** Declares a graph input. */
    public Value input(Value v) {
        claim(v.name());
        inputs.add(v);
        return v;
    }

    /** Adds a named constant (an initializer) and returns the value that reads it. */
    public Value constant(String valueName, Tensor tensor) {
        if (constants.containsKey(valueName)) throw new GraphException("constant '" + valueName + "' is declared twice");
        if (!inputs.stream().anyMatch(v -> v.name().equals(valueName))) claim(valueName);
        constants.put(valueName, tensor);
        int[] dims = tensor.shape().toArray();
        List<Dim> shape = new ArrayList<>();
        for (int d : dims) shape.add(Dim.of(d));
        return Value.of(valueName, tensor.dtype(), shape);
    }

    /** Adds a default-domain node with one auto-named output and returns that output. */
    public Value op(String opType, Attributes attributes, Value... in) {
        return op(opType, attributes, 1, in).get(0);
    }

    /** Adds a default-domain node with {@code numOutputs} auto-named outputs. */
    public List<Value> op(String opType, Attributes attributes, int numOutputs, Value... in) {
        String nodeName = uniqueName(opType);
        List<Value> outs = new ArrayList<>();
        for (int i = 0; i < numOutputs; i++) outs.add(Value.of(uniqueName(nodeName + "_out")));
        nodes.add(new Node(opType, "", nodeName, Arrays.asList(in), outs, attributes));
        return outs;
    }

    /** Adds a node as given (names chosen by the caller, e.g. an importer). */
    public GraphBuilder node(Node n) {
        for (Value v : n.outputs()) if (!v.isAbsent()) usedNames.add(v.name());
        if (!n.name().isEmpty()) usedNames.add(n.name());
        nodes.add(n);
        return this;
    }

    /** Marks a value as a graph output. */
    public GraphBuilder output(Value v) {
        outputs.add(v);
        return this;
    }

    /** Marks a value as a graph output under another name (through an Identity node when the names differ). */
    public Value output(Value v, String outputName) {
        if (v.name().equals(outputName)) {
            outputs.add(v);
            return v;
        }
        claim(outputName);
        Value out = Value.of(outputName, v.dtype().orElse(null), v.shape().orElse(null));
        nodes.add(new Node("Identity", "", uniqueName("Identity"), List.of(v), List.of(out), Attributes.empty()));
        outputs.add(out);
        return out;
    }

    /** A name not used yet in this graph, made from {@code prefix}. */
    public String uniqueName(String prefix) {
        String base = prefix == null || prefix.isEmpty() ? "v" : prefix;
        String candidate = base;
        while (usedNames.contains(candidate)) {
            int n = counters.merge(base, 1, Integer::sum);
            candidate = base + "_" + n;
        }
        usedNames.add(candidate);
        return candidate;
    }

    private void claim(String valueName) {
        if (!usedNames.add(valueName)) throw new GraphException("graph '" + name + "': the name '" + valueName + "' is already used");
    }

    /** Sorts, validates and freezes a top-level graph (every input must be defined in it). */
    public Graph build() {
        return new Graph(name, inputs, outputs, topologicalOrder(), constants, opsets, docString, metadata, false);
    }

    /** Like {@link #build()} for a subgraph, which may read values of enclosing graphs. */
    public Graph buildSubgraph() {
        return new Graph(name, inputs, outputs, topologicalOrder(), constants, opsets, docString, metadata, true);
    }

    /** Stable topological order: a node moves only after the producers of its inputs. */
    private List<Node> topologicalOrder() {
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (Value v : nodes.get(i).outputs()) if (!v.isAbsent()) producer.putIfAbsent(v.name(), i);
        }
        int[] state = new int[nodes.size()]; // 0 new, 1 on stack, 2 done
        List<Node> order = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) visit(i, producer, state, order, new ArrayList<>());
        return order;
    }

    private void visit(int i, Map<String, Integer> producer, int[] state, List<Node> order, List<Integer> path) {
        if (state[i] == 2) return;
        Node n = nodes.get(i);
        if (state[i] == 1) {
            int start = path.indexOf(i);
            List<String> cycle = new ArrayList<>();
            for (int k = start; k < path.size(); k++) cycle.add(nodes.get(path.get(k)).describe());
            throw new GraphException("graph '" + name + "': cycle through " + String.join(" -> ", cycle) + " -> " + n.describe(), n.name());
        }
        state[i] = 1;
        path.add(i);
        List<String> reads = new ArrayList<>();
        for (Value v : n.inputs()) if (!v.isAbsent()) reads.add(v.name());
        for (String a : n.attributes().names()) {
            if (n.attributes().kind(a) == Attributes.Kind.GRAPH) reads.addAll(n.attributes().getGraph(a).outerReferences());
            if (n.attributes().kind(a) == Attributes.Kind.GRAPHS) for (Graph g : n.attributes().getGraphs(a)) reads.addAll(g.outerReferences());
        }
        for (String r : reads) {
            Integer p = producer.get(r);
            if (p != null && p != i && !isInputOrConstant(r)) visit(p, producer, state, order, path);
            else if (p != null && p == i) {
                throw new GraphException("graph '" + name + "': " + n.describe() + " reads its own output '" + r + "' (a cycle)", n.name());
            }
        }
        path.remove(path.size() - 1);
        state[i] = 2;
        order.add(n);
    }

    private boolean isInputOrConstant(String valueName) {
        if (constants.containsKey(valueName)) return true;
        for (Value v : inputs) if (v.name().equals(valueName)) return true;
        return false;
    }
}
