package org.kindling.jit.internal.trace;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.kindling.Kindling;
import org.kindling.jit.Dim;
import org.kindling.jit.Graph;
import org.kindling.jit.GraphBuilder;
import org.kindling.jit.Node;
import org.kindling.jit.TraceException;
import org.kindling.jit.TraceOptions;
import org.kindling.jit.Value;
import org.kindling.tensor.DType;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.trace.TraceHook;

/**
 * Runs the two recording passes of a trace and assembles the graph: structure and constants must
 * agree between the passes; Reshape/Expand targets and output dims that follow the dynamic axes
 * become size-independent.
 */
public final class TraceRunner {
    private TraceRunner() {}

    /** The outcome of one pass: the session and the value names of the outputs. */
    private record Pass(TraceSession session, List<String> outputs, List<Tensor> outputTensors) {}

    public static Graph trace(Map<String, Tensor> state, UnaryOperator<Tensor[]> forward, TraceOptions options,
                              Tensor... inputs) {
        if (inputs.length == 0) throw new IllegalArgumentException("trace: at least one example input is needed");
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) throw new IllegalArgumentException("trace: example input " + i + " is null");
        }
        List<Map<Integer, String>> dynamic = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            Map<Integer, String> axes = options.dynamicAxes(i, inputs[i].dim());
            for (int axis : axes.keySet()) {
                if (axis >= inputs[i].dim()) {
                    throw new IllegalArgumentException("dynamic axis " + axis + " of input " + i + " is out of range for "
                            + "an example of shape " + inputs[i].shape());
                }
            }
            dynamic.add(axes);
        }
        Pass first = run(state, forward, options, inputs);
        Tensor[] second = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) second[i] = variant(inputs[i], dynamic.get(i).keySet());
        Pass other;
        try {
            other = run(state, forward, options, second);
        } catch (TraceException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TraceException("the forward pass fails when the dynamic axes " + dynamic + " change size ("
                    + e.getMessage() + "); trace with static shapes or make the module accept other sizes", e);
        }
        return assemble(first, other, options, inputs, second, dynamic);
    }

    private static Pass run(Map<String, Tensor> state, UnaryOperator<Tensor[]> forward, TraceOptions options,
                            Tensor[] inputs) {
        TraceSession s = new TraceSession(options.opset(), state);
        for (int i = 0; i < inputs.length; i++) s.declareInput(options.inputName(i, inputs.length), inputs[i]);
        Tensor[] outs;
        try (var g = GradMode.noGrad(); var h = TraceHook.start(s)) {
            outs = forward.apply(inputs.clone());
        }
        if (outs == null || outs.length == 0) throw new TraceException("the traced forward returned no output");
        List<String> names = new ArrayList<>();
        List<Tensor> tensors = new ArrayList<>();
        for (int i = 0; i < outs.length; i++) {
            if (outs[i] == null) throw new TraceException("the traced forward returned null as output " + i);
            names.add(s.valueOf(outs[i]));
            tensors.add(outs[i]);
        }
        return new Pass(s, names, tensors);
    }

    /** The example with every dynamic axis one longer (rows repeated) and floating values nudged. */
    private static Tensor variant(Tensor x, Set<Integer> axes) {
        Tensor v = x;
        for (int axis : axes) {
            int n = v.size(axis);
            long[] idx = new long[n + 1];
            for (int i = 0; i <= n; i++) idx[i] = i % n;
            v = v.indexSelect(axis, Kindling.fromArray(idx, n + 1));
        }
        if (v.isFloatingPoint()) v = v.mul(1.0009765625).add(0.0009765625);
        return v == x ? x.clone() : v;
    }

    private static Graph assemble(Pass a, Pass b, TraceOptions options, Tensor[] inputs, Tensor[] second,
                                  List<Map<Integer, String>> dynamic) {
        TraceSession s = a.session();
        TraceSession t = b.session();
        compareStructure(s, t);
        compareConstants(s, t);
        Map<String, Tensor> constants = new LinkedHashMap<>(s.constants());
        for (int i = 0; i < s.shapeConstants().size(); i++) {
            TraceSession.ShapeConstant c = s.shapeConstants().get(i);
            constants.put(c.name(), resolveShape(c, t.shapeConstants().get(i), s));
        }
        // symbolic names of sizes, by (size in pass 1, size in pass 2)
        Map<String, String> symbols = new LinkedHashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            for (var e : dynamic.get(i).entrySet()) {
                symbols.putIfAbsent(inputs[i].size(e.getKey()) + ":" + second[i].size(e.getKey()), e.getValue());
            }
        }
        GraphBuilder gb = new GraphBuilder(options.graphName()).opset("", options.opset());
        for (int i = 0; i < inputs.length; i++) {
            String name = options.inputName(i, inputs.length);
            List<Dim> dims = new ArrayList<>();
            for (int d = 0; d < inputs[i].dim(); d++) {
                String sym = dynamic.get(i).get(d);
                dims.add(sym != null ? Dim.symbolic(sym) : Dim.of(inputs[i].size(d)));
            }
            gb.input(Value.of(name, inputs[i].dtype(), dims));
        }
        // nodes whose results nothing reads (an op a later description fused with) are dropped
        List<TraceSession.RecordedNode> live = liveNodes(s.nodes(), a.outputs());
        Set<String> read = new HashSet<>(a.outputs());
        for (TraceSession.RecordedNode n : live) read.addAll(n.inputs());
        // graph outputs take their names from the options: the producing node's output is renamed
        Map<String, String> rename = new LinkedHashMap<>();
        Set<String> producedByNodes = new HashSet<>();
        for (TraceSession.RecordedNode n : live) producedByNodes.addAll(n.outputs());
        List<String[]> identities = new ArrayList<>();
        List<Value> outputs = new ArrayList<>();
        int count = a.outputs().size();
        for (int i = 0; i < count; i++) {
            String v = a.outputs().get(i);
            String want = options.outputName(i, count);
            Value typed = Value.of(want, s.dtype(v), dims(s.shape(v), t.shape(v), symbols));
            if (producedByNodes.contains(v) && !rename.containsKey(v)) {
                rename.put(v, want);
            } else {
                identities.add(new String[] {rename.getOrDefault(v, v), want});
            }
            outputs.add(typed);
        }
        for (var e : constants.entrySet()) {
            if (read.contains(e.getKey())) gb.constant(e.getKey(), e.getValue());
        }
        for (TraceSession.RecordedNode n : live) {
            List<Value> ins = new ArrayList<>();
            for (String in : n.inputs()) ins.add(in.isEmpty() ? Value.absent() : Value.of(rename.getOrDefault(in, in)));
            List<Value> outs = new ArrayList<>();
            for (String out : n.outputs()) {
                outs.add(Value.of(rename.getOrDefault(out, out), s.dtype(out), dims(s.shape(out), t.shape(out), symbols)));
            }
            gb.node(new Node(n.opType(), "", n.name(), ins, outs, n.attributes()));
        }
        for (String[] id : identities) {
            gb.node(new Node("Identity", "", gb.uniqueName("Identity"), List.of(Value.of(id[0])), List.of(Value.of(id[1])),
                    null));
        }
        outputs.forEach(gb::output);
        return gb.build();
    }

    /** The nodes an output depends on, in recording order. */
    private static List<TraceSession.RecordedNode> liveNodes(List<TraceSession.RecordedNode> nodes, List<String> outputs) {
        Set<String> needed = new HashSet<>(outputs);
        boolean[] keep = new boolean[nodes.size()];
        for (int i = nodes.size() - 1; i >= 0; i--) {
            TraceSession.RecordedNode n = nodes.get(i);
            for (String o : n.outputs()) {
                if (needed.contains(o)) {
                    keep[i] = true;
                    break;
                }
            }
            if (keep[i]) needed.addAll(n.inputs());
        }
        List<TraceSession.RecordedNode> live = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) if (keep[i]) live.add(nodes.get(i));
        return live;
    }

    private static List<Dim> dims(int[] first, int[] second, Map<String, String> symbols) {
        if (first == null) return null;
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < first.length; i++) {
            if (second != null && second.length == first.length && second[i] != first[i]) {
                String sym = symbols.get(first[i] + ":" + second[i]);
                dims.add(sym != null ? Dim.symbolic(sym) : Dim.unknown());
            } else {
                dims.add(Dim.of(first[i]));
            }
        }
        return dims;
    }

    private static void compareStructure(TraceSession s, TraceSession t) {
        List<TraceSession.RecordedNode> x = s.nodes(), y = t.nodes();
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            TraceSession.RecordedNode p = x.get(i), q = y.get(i);
            if (!p.opType().equals(q.opType()) || !p.inputs().equals(q.inputs()) || !p.attributes().equals(q.attributes())) {
                throw new TraceException("the forward pass recorded different ops for two examples (node " + i + ": "
                        + p.opType() + p.attributes() + " from " + p.origin() + " vs " + q.opType() + q.attributes()
                        + " from " + q.origin() + "): it depends on the input values or on the dynamic sizes in a way "
                        + "a graph cannot express (data-dependent control flow, or a size read into a Java number "
                        + "and used as an attribute)");
            }
        }
        if (x.size() != y.size()) {
            throw new TraceException("the forward pass recorded " + x.size() + " ops for one example and " + y.size()
                    + " for another: its control flow depends on the input values or sizes");
        }
    }

    private static void compareConstants(TraceSession s, TraceSession t) {
        List<String> names = s.anonymousConstants();
        for (String name : names) {
            Tensor p = s.anonymousSnapshot(name), q = t.anonymousSnapshot(name);
            boolean same = q != null && p.dtype() == q.dtype() && p.shape().equals(q.shape()) && p.equal(q);
            if (same) continue;
            String what = q != null && !p.shape().equals(q.shape())
                    ? "has shape " + p.shape() + " for one example and " + q.shape() + " for another (it was created with a "
                            + "size taken from an input; only Reshape and Expand targets can follow a dynamic axis)"
                    : "has different values for two examples (it was computed from the inputs outside the recorded ops, "
                            + "e.g. through toFloatArray/item, or holds random numbers such as a dropout mask in "
                            + "training mode: call eval() first)";
            throw new TraceException("a constant tensor used by " + s.firstUser(name) + " " + what);
        }
    }

    private static Tensor resolveShape(TraceSession.ShapeConstant c, TraceSession.ShapeConstant d, TraceSession s) {
        int[] p = c.shape(), q = d.shape();
        long[] out = new long[p.length];
        if (q.length != p.length) {
            throw new TraceException("a " + (c.reshape() ? "Reshape" : "Expand") + " target has rank " + p.length
                    + " for one example and " + q.length + " for another");
        }
        List<Integer> varying = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i];
            if (p[i] != q[i]) varying.add(i);
        }
        if (varying.isEmpty()) return Kindling.fromArray(out, out.length);
        int[] src = c.sourceShape(), src2 = d.sourceShape();
        if (c.reshape()) {
            List<Integer> left = new ArrayList<>();
            for (int i : varying) {
                if (i < src.length && i < src2.length && src[i] == p[i] && src2[i] == q[i]) {
                    out[i] = 0;  // copy the size from the same dim of the input
                } else {
                    left.add(i);
                }
            }
            if (left.size() > 1) {
                throw new TraceException("a Reshape to " + java.util.Arrays.toString(p) + " has " + left.size()
                        + " dims that change with the dynamic axes and are not copied from the input; ONNX can infer "
                        + "only one (-1)");
            }
            for (int i : left) out[i] = -1;
        } else {
            for (int i : varying) {
                int j = i - (p.length - src.length);
                if (j < 0 || src[j] != p[i] || src2[j] != q[i]) {
                    throw new TraceException("an Expand to " + java.util.Arrays.toString(p) + " grows dim " + i
                            + " to a size that follows a dynamic axis, which ONNX cannot express without shape ops");
                }
                out[i] = 1;  // keep the input's size
            }
        }
        return Kindling.fromArray(out, out.length);
    }
}
