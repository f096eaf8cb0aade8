package org.kindling.jit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.kindling.tensor.Tensor;

/**
 * An immutable, validated computation graph: nodes in topological order, graph inputs and outputs,
 * named constant tensors (ONNX initializers; a constant may also be listed as an input, which then
 * overrides it), the opset version per operator domain, a doc string and metadata.
 *
 * <p>Construction checks that every value is defined once, that every node input is defined before the
 * node (so there are no cycles) and that every output is defined. A graph used as a node attribute
 * (a subgraph of {@code If}/{@code Loop}/{@code Scan}) may read values of the enclosing graph: those are
 * its {@link #outerReferences()}, and the enclosing graph checks them.
 *
 * <pre>
 * GraphBuilder b = new GraphBuilder("relu").opset("", 17);
 * b.output(b.op("Relu", Attributes.empty(), b.input("x", DType.FLOAT32, Dim.symbolic("batch"))));
 * Graph g = b.build();
 * g.nodes().get(0).opType();   // Relu
 * </pre>
 */
public final class Graph {

    private final String name;
    private final List<Value> inputs;
    private final List<Value> outputs;
    private final List<Node> nodes;
    private final Map<String, Tensor> constants;
    private final Map<String, Integer> opsets;
    private final String docString;
    private final Map<String, String> metadata;
    private final Set<String> outerReferences;

    /**
     * Builds and validates a graph. {@code allowOuterReferences} is true for subgraphs, which may read
     * values defined in an enclosing graph; for a top-level graph every input must be defined here.
     */
    public Graph(String name, List<Value> inputs, List<Value> outputs, List<Node> nodes, Map<String, Tensor> constants,
                 Map<String, Integer> opsets, String docString, Map<String, String> metadata, boolean allowOuterReferences) {
        this.name = name == null ? "" : name;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.nodes = List.copyOf(nodes);
        this.constants = Collections.unmodifiableMap(new LinkedHashMap<>(constants));
        Map<String, Integer> os = new LinkedHashMap<>();
        opsets.forEach((d, v) -> os.put(Node.normalizeDomain(d), v));
        this.opsets = Collections.unmodifiableMap(os);
        this.docString = docString == null ? "" : docString;
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata == null ? Map.of() : metadata));
        this.outerReferences = Collections.unmodifiableSet(validate());
        if (!allowOuterReferences && !outerReferences.isEmpty()) {
            String missing = outerReferences.iterator().next();
            Node user = firstUser(missing);
            throw new GraphException("graph '" + this.name + "': " + (user == null ? "graph output" : user.describe())
                    + " reads '" + missing + "', which is neither a graph input, a constant nor a node output",
                    user == null ? null : user.name());
        }
    }

    private Node firstUser(String value) {
        for (Node n : nodes) {
            for (Value v : n.inputs()) if (v.name().equals(value)) return n;
            for (String ref : subgraphReferences(n)) if (ref.equals(value)) return n;
        }
        return null;
    }

    /** Checks definitions and order; returns the names read here but defined in an enclosing graph. */
    private Set<String> validate() {
        Set<String> defined = new HashSet<>();
        Map<String, String> definedBy = new HashMap<>();
        Set<String> outer = new LinkedHashSet<>();
        for (Value v : inputs) {
            if (v.isAbsent()) throw new GraphException("graph '" + name + "': a graph input has no name");
            if (!defined.add(v.name())) throw new GraphException("graph '" + name + "': input '" + v.name() + "' is declared twice");
            definedBy.put(v.name(), "graph input");
        }
        for (var e : constants.entrySet()) {
            Objects.requireNonNull(e.getValue(), () -> "constant '" + e.getKey() + "' is null");
            defined.add(e.getKey());
            definedBy.putIfAbsent(e.getKey(), "constant");
        }
        // Names produced by some node, to tell "used before defined" (order/cycle) from "undefined".
        Map<String, Node> producers = new HashMap<>();
        for (Node n : nodes) for (Value v : n.outputs()) if (!v.isAbsent()) producers.putIfAbsent(v.name(), n);
        for (Node n : nodes) {
            List<String> reads = new ArrayList<>();
            for (Value v : n.inputs()) if (!v.isAbsent()) reads.add(v.name());
            reads.addAll(subgraphReferences(n));
            for (String r : reads) {
                if (defined.contains(r)) continue;
                Node producer = producers.get(r);
                if (producer != null) {
                    throw new GraphException("graph '" + name + "': " + n.describe() + " reads '" + r + "' before "
                            + (producer == n ? "it produces it itself (a cycle)" : producer.describe() + " produces it (a cycle or nodes out of topological order)"),
                            n.name());
                }
                outer.add(r);
            }
            for (Value v : n.outputs()) {
                if (v.isAbsent()) continue;
                if (!defined.add(v.name())) {
                    throw new GraphException("graph '" + name + "': " + n.describe() + " produces '" + v.name()
                            + "', which is already defined by " + describeDefinition(v.name(), definedBy), n.name());
                }
                definedBy.put(v.name(), n.describe());
            }
        }
        for (Value v : outputs) {
            if (v.isAbsent()) throw new GraphException("graph '" + name + "': a graph output has no name");
            if (!defined.contains(v.name())) outer.add(v.name());
        }
        return outer;
    }

    private static String describeDefinition(String value, Map<String, String> definedBy) {
        return definedBy.getOrDefault(value, "another definition");
    }

    private static Set<String> subgraphReferences(Node n) {
        Set<String> refs = new LinkedHashSet<>();
        for (String a : n.attributes().names()) {
            Attributes.Kind k = n.attributes().kind(a);
            if (k == Attributes.Kind.GRAPH) refs.addAll(n.attributes().getGraph(a).outerReferences());
            if (k == Attributes.Kind.GRAPHS) for (Graph g : n.attributes().getGraphs(a)) refs.addAll(g.outerReferences());
        }
        return refs;
    }

    public String name() {
        return name;
    }

    /** Graph inputs in order, including any that also have a constant (default) value. */
    public List<Value> inputs() {
        return inputs;
    }

    /** Graph inputs that have no constant of the same name: what a caller must supply. */
    public List<Value> requiredInputs() {
        return inputs.stream().filter(v -> !constants.containsKey(v.name())).toList();
    }

    public List<Value> outputs() {
        return outputs;
    }

    /** Nodes in topological order. */
    public List<Node> nodes() {
        return nodes;
    }

    /** Named constant tensors (initializers), in declaration order. */
    public Map<String, Tensor> constants() {
        return constants;
    }

    /** Opset version per domain ("" is the default ONNX domain). */
    public Map<String, Integer> opsets() {
        return opsets;
    }

    /** The opset version of {@code domain} ("" or "ai.onnx" for the default), or -1 when not imported. */
    public int opsetVersion(String domain) {
        return opsets.getOrDefault(Node.normalizeDomain(domain), -1);
    }

    public String docString() {
        return docString;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** Values read by this graph's nodes or outputs but defined in an enclosing graph (empty for a top-level graph). */
    public Set<String> outerReferences() {
        return outerReferences;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("graph ").append(name.isEmpty() ? "<unnamed>" : name);
        sb.append(" opsets=").append(opsets).append('\n');
        sb.append("  inputs: ").append(inputs).append('\n');
        if (!constants.isEmpty()) {
            sb.append("  constants:");
            constants.forEach((k, t) -> sb.append(' ').append(k).append(t.shape()));
            sb.append('\n');
        }
        for (Node n : nodes) sb.append("  ").append(n).append('\n');
        sb.append("  outputs: ").append(outputs);
        return sb.toString();
    }
}
