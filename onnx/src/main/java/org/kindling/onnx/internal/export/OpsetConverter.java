package org.kindling.onnx.internal.export;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kindling.Kindling;
import org.kindling.jit.Attributes;
import org.kindling.jit.Graph;
import org.kindling.jit.GraphBuilder;
import org.kindling.jit.Node;
import org.kindling.jit.Value;
import org.kindling.onnx.OnnxException;
import org.kindling.tensor.Tensor;

/**
 * Rewrites a graph from one default-domain opset to another within 11 to 18: the operators whose
 * signature moved between an attribute and an input (ReduceSum and Squeeze/Unsqueeze/Split at 13,
 * the other reductions at 18, Split's {@code num_outputs} at 18) are rewritten; an operator that
 * does not exist at the target opset, or uses a feature the target lacks, is an error naming the
 * node.
 */
public final class OpsetConverter {
    private static final Set<String> REDUCE_18 = Set.of("ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1",
            "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare");
    /** Operators added to the default domain between opsets 14 and 18, with the opset that added them. */
    private static final Map<String, Integer> SINCE = Map.ofEntries(
            Map.entry("Trilu", 14), Map.entry("CastLike", 15), Map.entry("Bernoulli", 15), Map.entry("Optional", 15),
            Map.entry("OptionalHasElement", 15), Map.entry("OptionalGetElement", 15), Map.entry("GridSample", 16),
            Map.entry("LayerNormalization", 17), Map.entry("SequenceMap", 17), Map.entry("DFT", 17),
            Map.entry("STFT", 17), Map.entry("HannWindow", 17), Map.entry("HammingWindow", 17),
            Map.entry("BlackmanWindow", 17), Map.entry("MelWeightMatrix", 17), Map.entry("Col2Im", 18),
            Map.entry("CenterCropPad", 18), Map.entry("Mish", 18), Map.entry("GroupNormalization", 18),
            Map.entry("BitwiseAnd", 18), Map.entry("BitwiseOr", 18), Map.entry("BitwiseXor", 18),
            Map.entry("BitwiseNot", 18));
    public static final int MIN_OPSET = 11;
    public static final int MAX_OPSET = 18;

    private final int source;
    private final int target;
    private final Map<String, Tensor> constants;
    private final Set<String> taken = new HashSet<>();
    /** Constants created for axes moved from an attribute to an input. */
    private final Map<String, Tensor> added = new LinkedHashMap<>();
    private final GraphBuilder builder;

    private OpsetConverter(Graph graph, int source, int target) {
        this.source = source;
        this.target = target;
        this.constants = new LinkedHashMap<>(graph.constants());
        this.builder = new GraphBuilder(graph.name()).docString(graph.docString());
        for (Value v : graph.inputs()) taken.add(v.name());
        for (Node n : graph.nodes()) {
            taken.add(n.name());
            for (Value v : n.outputs()) taken.add(v.name());
        }
        taken.addAll(constants.keySet());
    }

    /** {@code graph} rewritten for default-domain opset {@code target}. */
    public static Graph convert(Graph graph, int target) {
        int declared = graph.opsetVersion("");
        int source = declared < 0 ? target : declared;
        if (source < MIN_OPSET || source > MAX_OPSET || target < MIN_OPSET || target > MAX_OPSET) {
            throw new OnnxException("opset conversion supports opsets " + MIN_OPSET + " to " + MAX_OPSET + ", got "
                    + source + " -> " + target);
        }
        return new OpsetConverter(graph, source, target).run(graph);
    }

    private Graph run(Graph graph) {
        GraphBuilder b = builder;
        graph.opsets().forEach((d, v) -> b.opset(d, d.isEmpty() ? target : v));
        if (!graph.opsets().containsKey("")) b.opset("", target);
        graph.metadata().forEach(b::metadata);
        for (Value v : graph.inputs()) b.input(v);
        List<Node> nodes = new ArrayList<>();
        for (Node n : graph.nodes()) nodes.add(convertNode(n));
        // constants an attribute took over (axes moved out of an input) are dropped
        Set<String> used = new HashSet<>();
        for (Node n : nodes) {
            n.inputs().forEach(v -> used.add(v.name()));
            for (String a : n.attributes().names()) {
                if (n.attributes().kind(a) == Attributes.Kind.GRAPH) used.addAll(n.attributes().getGraph(a).outerReferences());
                if (n.attributes().kind(a) == Attributes.Kind.GRAPHS) {
                    n.attributes().getGraphs(a).forEach(g -> used.addAll(g.outerReferences()));
                }
            }
        }
        graph.outputs().forEach(v -> used.add(v.name()));
        graph.inputs().forEach(v -> used.add(v.name()));
        graph.constants().forEach((name, t) -> {
            if (used.contains(name)) b.constant(name, t);
        });
        added.forEach(b::constant);
        nodes.forEach(b::node);
        graph.outputs().forEach(b::output);
        return b.build();
    }

    private Node convertNode(Node n) {
        if (!n.domain().isEmpty()) return n;
        String op = n.opType();
        Integer since = SINCE.get(op);
        if (since != null && target < since) {
            throw new OnnxException(n.describe() + ": " + op + " exists from opset " + since + ", cannot write it at opset "
                    + target);
        }
        if (op.equals("ReduceSum")) return moveAxes(n, "axes", 1, source >= 13, target >= 13);
        if (REDUCE_18.contains(op)) return moveAxes(n, "axes", 1, source >= 18, target >= 18);
        if (op.equals("Squeeze") || op.equals("Unsqueeze")) return moveAxes(n, "axes", 1, source >= 13, target >= 13);
        if (op.equals("Split")) return split(n);
        if ((op.equals("Softmax") || op.equals("LogSoftmax") || op.equals("Hardmax")) && (source < 13) != (target < 13)) {
            long axis = n.attributes().getInt("axis", source < 13 ? 1 : -1);
            if (axis != -1) {
                throw new OnnxException(n.describe() + ": " + op + " with axis " + axis + " changed meaning at opset 13 "
                        + "(before: flatten to 2-D); only axis -1 converts between " + source + " and " + target);
            }
            return n;
        }
        if (op.equals("Pad") && target < 18 && n.hasInput(3)) {
            throw new OnnxException(n.describe() + ": Pad's axes input exists from opset 18, cannot write it at opset " + target);
        }
        if (op.equals("Resize") && target < 18) {
            for (String a : List.of("antialias", "axes", "keep_aspect_ratio_policy")) {
                if (n.attributes().has(a)) {
                    throw new OnnxException(n.describe() + ": Resize's attribute '" + a + "' exists from opset 18, cannot "
                            + "write it at opset " + target);
                }
            }
        }
        return n;
    }

    /** Moves an int list between attribute {@code attr} and input {@code index}. */
    private Node moveAxes(Node n, String attr, int index, boolean fromInput, boolean toInput) {
        if (fromInput == toInput) return n;
        List<Value> ins = new ArrayList<>(n.inputs());
        Attributes.Builder attrs = n.attributes().toBuilder();
        if (toInput) {
            while (ins.size() < index) ins.add(Value.absent());
            if (n.attributes().has(attr)) {
                long[] axes = n.attributes().getInts(attr);
                String name = freshName(n.name().isEmpty() ? attr : n.name() + "_" + attr);
                Tensor t = Kindling.fromArray(axes.clone(), axes.length);
                added.put(name, t);
                constants.put(name, t);
                ins.add(index, Value.of(name));
            }
            attrs.remove(attr);
        } else {
            if (n.hasInput(index)) {
                Tensor t = constants.get(n.input(index).name());
                if (t == null) {
                    throw new OnnxException(n.describe() + ": its " + attr + " come from the computed value '"
                            + n.input(index).name() + "', which an attribute cannot hold at opset " + target);
                }
                attrs.put(attr, t.toLongArray());
            }
            while (ins.size() > index) ins.remove(ins.size() - 1);
        }
        return new Node(n.opType(), n.domain(), n.name(), ins, n.outputs(), attrs.build());
    }

    /** A name no value, constant or node of the graph uses. */
    private String freshName(String base) {
        String name = base;
        for (int k = 1; taken.contains(name); k++) name = base + "_" + k;
        taken.add(name);
        return name;
    }

    private Node split(Node n) {
        Node m = moveAxes(n, "split", 1, source >= 13, target >= 13);
        Attributes.Builder attrs = m.attributes().toBuilder();
        boolean sizesGiven = m.attributes().has("split") || m.hasInput(1);
        if (target >= 18 && !sizesGiven) attrs.put("num_outputs", (long) m.outputs().size());
        if (target < 18) attrs.remove("num_outputs");
        return new Node(m.opType(), m.domain(), m.name(), m.inputs(), m.outputs(), attrs.build());
    }
}
