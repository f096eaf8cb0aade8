package org.kindling.jit.internal;

import java.util.List;
import org.kindling.jit.Attributes;
import org.kindling.jit.Graph;
import org.kindling.jit.GraphException;
import org.kindling.jit.Node;
import org.kindling.tensor.Tensor;

/** What a kernel sees of one node execution: its inputs (null where omitted), attributes and opset. */
public final class OpContext {

    /** Runs a subgraph with positional inputs, resolving outer-scope names in the caller's scope. */
    public interface SubgraphRunner {
        List<Tensor> run(Graph graph, List<Tensor> inputs);
    }

    private final Node node;
    private final int opset;
    private final Tensor[] inputs;
    private final SubgraphRunner subgraphs;

    public OpContext(Node node, int opset, Tensor[] inputs, SubgraphRunner subgraphs) {
        this.node = node;
        this.opset = opset;
        this.inputs = inputs;
        this.subgraphs = subgraphs;
    }

    public Node node() {
        return node;
    }

    public int opset() {
        return opset;
    }

    public Attributes attrs() {
        return node.attributes();
    }

    public int numInputs() {
        return inputs.length;
    }

    public int numOutputs() {
        return node.outputs().size();
    }

    /** True when output i is wanted (present and named). */
    public boolean wantsOutput(int i) {
        return i < node.outputs().size() && !node.outputs().get(i).isAbsent();
    }

    /** The i-th input; an error naming the node when it is omitted. */
    public Tensor input(int i) {
        Tensor t = i < inputs.length ? inputs[i] : null;
        if (t == null) throw fail("input " + i + " is required but absent");
        return t;
    }

    /** The i-th input, or null when omitted. */
    public Tensor optional(int i) {
        return i < inputs.length ? inputs[i] : null;
    }

    public boolean has(int i) {
        return optional(i) != null;
    }

    public List<Tensor> runSubgraph(Graph graph, List<Tensor> graphInputs) {
        return subgraphs.run(graph, graphInputs);
    }

    public long attrInt(String name, long def) {
        return attrs().getInt(name, def);
    }

    public float attrFloat(String name, float def) {
        return attrs().getFloat(name, def);
    }

    public String attrString(String name, String def) {
        return attrs().getString(name, def);
    }

    /** An INTS attribute as int[], or {@code def} (may be null) when absent. */
    public int[] attrInts(String name, int[] def) {
        long[] v = attrs().getInts(name, null);
        return v == null ? def : Ops.toInts(v, node.describe() + " attribute " + name);
    }

    /** An axis attribute normalised to [0, rank). */
    public int axis(String name, long def, int rank) {
        return normalizeAxis(attrInt(name, def), rank);
    }

    public int normalizeAxis(long axis, int rank) {
        if (axis < -rank || axis >= Math.max(rank, 1) && !(rank == 0 && axis == 0)) {
            throw fail("axis " + axis + " is out of range for rank " + rank);
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    /** An error naming the node. */
    public GraphException fail(String message) {
        return new GraphException(node.describe() + ": " + message, node.name());
    }
}
