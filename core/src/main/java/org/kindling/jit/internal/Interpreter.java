package org.kindling.jit.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.kindling.jit.Attributes;
import org.kindling.jit.Dim;
import org.kindling.jit.Graph;
import org.kindling.jit.GraphException;
import org.kindling.jit.Node;
import org.kindling.jit.UnsupportedOperatorException;
import org.kindling.jit.Value;
import org.kindling.kernel.internal.ArrayPool;
import org.kindling.tensor.Tensor;

/**
 * Runs a {@link Graph} node by node: kernels are resolved once, nodes that read only constants are folded
 * ahead of time, and each intermediate value is dropped after its last reader so its buffer can be reclaimed.
 * Whether autograd records is the caller's choice (the executor turns it off, GraphModule leaves it on).
 */
public final class Interpreter {

    private static final Set<String> NONDETERMINISTIC = Set.of("RandomNormal", "RandomNormalLike", "RandomUniform",
            "RandomUniformLike", "Multinomial", "Bernoulli", "Dropout");

    private final Graph graph;
    private final OpRegistry registry;
    private final Map<String, Integer> parentOpsets;
    private final List<Node> plan = new ArrayList<>();
    private final List<OpKernel> kernels = new ArrayList<>();
    private final List<Integer> opsets = new ArrayList<>();
    private final List<String[]> freeAfter = new ArrayList<>();
    private final Map<String, Tensor> folded = new HashMap<>();
    private final Map<Graph, Interpreter> subInterpreters = new IdentityHashMap<>();
    private final Set<String> overridableConstants;
    /** Whether dead intermediates' arrays go back to the thread's {@link ArrayPool} (inference only). */
    private final boolean recycle;
    /** Arrays of constants and folded values: never handed back, whatever view of them dies. */
    private final Set<Object> fixedArrays = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * @param foldable names of constants whose values are fixed (nodes reading only these are folded); pass an
     *                 empty set to fold nothing
     */
    public Interpreter(Graph graph, OpRegistry registry, Set<String> foldable, Map<String, Integer> parentOpsets) {
        this(graph, registry, foldable, parentOpsets, false);
    }

    /**
     * @param inference whether the graph only runs forward: nodes are then fused for inference (fused nodes record
     *                  no autograd) and dead intermediates' arrays are reused
     */
    public Interpreter(Graph graph, OpRegistry registry, Set<String> foldable, Map<String, Integer> parentOpsets,
                       boolean inference) {
        this.graph = graph;
        this.registry = registry;
        this.parentOpsets = parentOpsets;
        Set<String> inputNames = new HashSet<>();
        for (Value v : graph.inputs()) inputNames.add(v.name());
        this.overridableConstants = inputNames;
        Set<String> known = new HashSet<>();
        for (String c : foldable) if (graph.constants().containsKey(c) && !inputNames.contains(c)) known.add(c);
        this.recycle = inference;
        List<Node> nodes = fuseConvBatchNorm(graph.nodes(), known);
        if (inference) nodes = fuseForInference(nodes, known);
        for (Node n : nodes) {
            boolean fused = n.domain().equals(FusedOps.DOMAIN);
            int opset = opsetOf(fused ? "" : n.domain());
            OpKernel kernel = fused ? FusedOps.kernel(n, n.hasInput(1) && known.contains(n.input(1).name()))
                    : registry.resolve(n, opset);
            if (!known.isEmpty() && canFold(n, known) && tryFold(n, kernel, opset)) {
                for (Value v : n.outputs()) if (!v.isAbsent()) known.add(v.name());
                continue;
            }
            plan.add(n);
            kernels.add(kernel);
            opsets.add(opset);
        }
        computeLastUses();
        if (recycle) {
            for (Tensor t : graph.constants().values()) fixedArrays.add(arrayOf(t));
            for (Tensor t : folded.values()) fixedArrays.add(arrayOf(t));
        }
    }

    /** The array behind a tensor's storage (float32 or any other kind), for identity checks. */
    private static Object arrayOf(Tensor t) {
        org.kindling.tensor.internal.Storage s = org.kindling.tensor.internal.TensorAccess.unwrap(t).storage;
        return s.f32 != null ? s.f32 : s;
    }

    public Graph graph() {
        return graph;
    }

    /** Nodes left to run after constant folding. */
    public int plannedNodes() {
        return plan.size();
    }

    /** The most intermediate values held at once during the last run on this thread (for tests of buffer release). */
    public int lastPeakLiveValues() {
        return peakLive.get();
    }

    private final ThreadLocal<Integer> peakLive = ThreadLocal.withInitial(() -> 0);

    private int opsetOf(String domain) {
        int v = graph.opsetVersion(domain);
        if (v < 0 && parentOpsets != null) v = parentOpsets.getOrDefault(domain, -1);
        if (v < 0 && domain.isEmpty() && graph.opsets().isEmpty() && parentOpsets == null) {
            throw new GraphException("graph '" + graph.name() + "' records no opset for the default ONNX domain");
        }
        return v;
    }

    private Map<String, Integer> effectiveOpsets() {
        Map<String, Integer> m = new HashMap<>();
        if (parentOpsets != null) m.putAll(parentOpsets);
        m.putAll(graph.opsets());
        return m;
    }

    /**
     * Folds an inference BatchNormalization into the Conv that feeds it when all their parameters are fixed
     * constants and nothing else reads the Conv output: W' = W * s, b' = (b - mean) * s + beta with
     * s = gamma / sqrt(var + eps). One convolution instead of a convolution and four elementwise passes.
     */
    private List<Node> fuseConvBatchNorm(List<Node> nodes, Set<String> known) {
        if (known.isEmpty()) return nodes;
        Map<String, Integer> readers = readerCounts(nodes);
        Map<String, Integer> producer = producers(nodes);
        List<Node> out = new ArrayList<>(nodes);
        for (int i = 0; i < nodes.size(); i++) {
            Node bn = nodes.get(i);
            if (!bn.opType().equals("BatchNormalization") || !bn.domain().isEmpty() || bn.inputs().size() != 5) continue;
            if (bn.attributes().getInt("training_mode", 0) != 0) continue;
            boolean extraOutputs = false;
            for (int k = 1; k < bn.outputs().size(); k++) extraOutputs |= !bn.outputs().get(k).isAbsent();
            if (extraOutputs) continue;
            Integer convIndex = producer.get(bn.input(0).name());
            if (convIndex == null || readers.getOrDefault(bn.input(0).name(), 0) != 1) continue;
            Node conv = nodes.get(convIndex);
            if (!conv.opType().equals("Conv") || !conv.domain().isEmpty() || conv.outputs().size() != 1) continue;
            boolean fixed = conv.hasInput(1) && known.contains(conv.input(1).name()) && (!conv.hasInput(2) || known.contains(conv.input(2).name()));
            for (int k = 1; k < 5; k++) fixed &= bn.hasInput(k) && known.contains(bn.input(k).name());
            if (!fixed) continue;
            Tensor w = graph.constants().get(conv.input(1).name());
            if (w == null || !w.isFloatingPoint()) continue;
            Tensor gamma = graph.constants().get(bn.input(1).name()), beta = graph.constants().get(bn.input(2).name());
            Tensor mean = graph.constants().get(bn.input(3).name()), var = graph.constants().get(bn.input(4).name());
            if (gamma == null || beta == null || mean == null || var == null || gamma.numel() != w.size(0)) continue;
            double eps = bn.attributes().getFloat("epsilon", 1e-5f);
            Tensor scale = gamma.div(var.add(eps).sqrt()).to(w.dtype());
            int[] bshape = new int[w.dim()];
            java.util.Arrays.fill(bshape, 1);
            bshape[0] = w.size(0);
            Tensor fusedW = w.mul(scale.reshape(bshape)).contiguous();
            Tensor bias = conv.hasInput(2) ? graph.constants().get(conv.input(2).name()) : null;
            Tensor base = bias == null ? mean.neg() : bias.sub(mean);
            Tensor fusedB = base.mul(scale).add(beta).to(w.dtype()).contiguous();
            String out0 = bn.output(0).name();
            String wName = out0 + "::fused_weight", bName = out0 + "::fused_bias";
            folded.put(wName, fusedW);
            folded.put(bName, fusedB);
            known.add(wName);
            known.add(bName);
            Node fused = new Node("Conv", "", conv.name(), List.of(conv.input(0), Value.of(wName), Value.of(bName)),
                    List.of(bn.output(0)), conv.attributes());
            out.set(convIndex, fused);
            out.set(i, null);
        }
        out.removeIf(java.util.Objects::isNull);
        return out;
    }

    /**
     * Replaces each Conv or Gemm whose only reader is a Relu (and not a graph output) by one fused node, then each
     * Conv whose only reader is a 2x2/2 MaxPool by one fused node with the pooling, and each other Conv or Gemm with
     * constant weights by the fused one without activation.
     */
    private List<Node> fuseForInference(List<Node> nodes, Set<String> known) {
        List<Node> out = fuseIntoProducers(nodes, FusedOps::fusable, FusedOps::fuse);
        out = fuseIntoProducers(out, FusedOps::poolFusable, FusedOps::fusePool);
        for (int i = 0; i < out.size(); i++) {
            Node n = out.get(i);
            if (n.domain().isEmpty() && (n.opType().equals("Gemm") || n.opType().equals("Conv"))
                    && n.outputs().size() == 1 && n.hasInput(1) && known.contains(n.input(1).name())) {
                out.set(i, FusedOps.withConstantWeights(n));
            }
        }
        return out;
    }

    /**
     * Merges each one-input node into the node that writes its input, when it is that value's only reader and
     * {@code canFuse(producer, node)}: the merged node takes the producer's place and the consumer is dropped.
     */
    private List<Node> fuseIntoProducers(List<Node> nodes, java.util.function.BiPredicate<Node, Node> canFuse,
                                         java.util.function.BinaryOperator<Node> fuse) {
        Map<String, Integer> readers = readerCounts(nodes);
        Map<String, Integer> producer = producers(nodes);
        List<Node> out = new ArrayList<>(nodes);
        for (int i = 0; i < nodes.size(); i++) {
            Node consumer = nodes.get(i);
            if (consumer.inputs().size() != 1 || consumer.input(0).isAbsent()) continue;
            Integer p = producer.get(consumer.input(0).name());
            // A producer already merged into its own producer (a null slot) is left alone in this pass.
            if (p == null || p > i || out.get(p) == null || readers.getOrDefault(consumer.input(0).name(), 0) != 1) continue;
            if (!canFuse.test(out.get(p), consumer)) continue;
            out.set(p, fuse.apply(out.get(p), consumer));
            out.set(i, null);
        }
        out.removeIf(java.util.Objects::isNull);
        return out;
    }

    /** The index of the node that writes each value. */
    private static Map<String, Integer> producers(List<Node> nodes) {
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (Value v : nodes.get(i).outputs()) if (!v.isAbsent()) producer.put(v.name(), i);
        }
        return producer;
    }

    /** How often each value is read: by node inputs, by subgraphs (counted twice) and as a graph output (twice). */
    private Map<String, Integer> readerCounts(List<Node> nodes) {
        Map<String, Integer> readers = new HashMap<>();
        for (Node n : nodes) {
            for (Value v : n.inputs()) if (!v.isAbsent()) readers.merge(v.name(), 1, Integer::sum);
            for (String a : n.attributes().names()) {
                Attributes.Kind k = n.attributes().kind(a);
                if (k == Attributes.Kind.GRAPH) for (String r : n.attributes().getGraph(a).outerReferences()) readers.merge(r, 2, Integer::sum);
                if (k == Attributes.Kind.GRAPHS) {
                    for (Graph g : n.attributes().getGraphs(a)) for (String r : g.outerReferences()) readers.merge(r, 2, Integer::sum);
                }
            }
        }
        for (Value v : graph.outputs()) readers.merge(v.name(), 2, Integer::sum);
        return readers;
    }

    private static boolean canFold(Node n, Set<String> known) {
        if (NONDETERMINISTIC.contains(n.opType())) return false;
        for (String a : n.attributes().names()) {
            Attributes.Kind k = n.attributes().kind(a);
            if (k == Attributes.Kind.GRAPH || k == Attributes.Kind.GRAPHS) return false;
        }
        for (Value v : n.inputs()) if (!v.isAbsent() && !known.contains(v.name())) return false;
        return true;
    }

    private boolean tryFold(Node n, OpKernel kernel, int opset) {
        Tensor[] in = new Tensor[n.inputs().size()];
        for (int i = 0; i < in.length; i++) {
            Value v = n.inputs().get(i);
            in[i] = v.isAbsent() ? null : lookupConstant(v.name());
        }
        Tensor[] out;
        try {
            out = kernel.run(new OpContext(n, opset, in, null));
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            return false; // the same error is raised, naming the node, when the graph runs
        }
        for (int i = 0; i < n.outputs().size(); i++) {
            Value v = n.outputs().get(i);
            if (!v.isAbsent()) {
                if (out == null || i >= out.length || out[i] == null) return false;
                folded.put(v.name(), out[i]);
            }
        }
        return true;
    }

    private Tensor lookupConstant(String name) {
        Tensor t = folded.get(name);
        return t != null ? t : graph.constants().get(name);
    }

    private void computeLastUses() {
        Map<String, Integer> last = new HashMap<>();
        for (int i = 0; i < plan.size(); i++) {
            Node n = plan.get(i);
            for (Value v : n.inputs()) if (!v.isAbsent()) last.put(v.name(), i);
            for (String a : n.attributes().names()) {
                Attributes.Kind k = n.attributes().kind(a);
                if (k == Attributes.Kind.GRAPH) for (String r : n.attributes().getGraph(a).outerReferences()) last.put(r, i);
                if (k == Attributes.Kind.GRAPHS) {
                    for (Graph g : n.attributes().getGraphs(a)) for (String r : g.outerReferences()) last.put(r, i);
                }
            }
            for (Value v : n.outputs()) if (!v.isAbsent()) last.putIfAbsent(v.name(), i);
        }
        Set<String> keep = new HashSet<>();
        for (Value v : graph.outputs()) keep.add(v.name());
        List<List<String>> frees = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) frees.add(new ArrayList<>());
        for (var e : last.entrySet()) {
            if (!keep.contains(e.getKey())) frees.get(e.getValue()).add(e.getKey());
        }
        for (List<String> f : frees) freeAfter.add(f.toArray(new String[0]));
    }

    /**
     * Runs the graph. {@code inputs} are by name; {@code constantOverrides} replace constants (GraphModule's
     * parameters); {@code outer} resolves names of enclosing graphs (null at top level).
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs, Map<String, Tensor> constantOverrides, Function<String, Tensor> outer) {
        return execute(inputs, constantOverrides, outer, true);
    }

    private Map<String, Tensor> execute(Map<String, Tensor> inputs, Map<String, Tensor> constantOverrides,
                                        Function<String, Tensor> outer, boolean checkTypes) {
        Map<String, Tensor> env = new HashMap<>();
        for (Value v : graph.inputs()) {
            Tensor t = inputs.get(v.name());
            if (t == null) {
                if (graph.constants().containsKey(v.name())) continue;
                throw new GraphException("graph '" + graph.name() + "': input '" + v.name() + "' is missing; expected "
                        + graph.requiredInputs().stream().map(Value::name).toList());
            }
            if (checkTypes) checkInput(v, t);
            env.put(v.name(), t);
        }
        Function<String, Tensor> lookup = name -> {
            Tensor t = env.get(name);
            if (t != null) return t;
            if (constantOverrides != null) {
                t = constantOverrides.get(name);
                if (t != null) return t;
            }
            t = folded.get(name);
            if (t != null) return t;
            t = graph.constants().get(name);
            if (t != null) return t;
            return outer == null ? null : outer.apply(name);
        };
        OpContext.SubgraphRunner subRunner = (sub, subInputs) -> runSubgraph(sub, subInputs, lookup);
        int peak = env.size();
        ArrayPool pool = recycle ? ArrayPool.enter() : null;
        Set<Object> inputArrays = null;
        if (pool != null) {
            inputArrays = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            for (Tensor t : env.values()) inputArrays.add(arrayOf(t));
            if (constantOverrides != null) for (Tensor t : constantOverrides.values()) inputArrays.add(arrayOf(t));
        }
        try {
            for (int i = 0; i < plan.size(); i++) {
                Node n = plan.get(i);
                Tensor[] in = new Tensor[n.inputs().size()];
                for (int k = 0; k < in.length; k++) {
                    Value v = n.inputs().get(k);
                    if (v.isAbsent()) continue;
                    in[k] = lookup.apply(v.name());
                    if (in[k] == null) throw new GraphException(n.describe() + ": input '" + v.name() + "' has no value", n.name());
                }
                Tensor[] out;
                try {
                    out = kernels.get(i).run(new OpContext(n, opsets.get(i), in, subRunner));
                } catch (GraphException e) {
                    throw e;
                } catch (UnsupportedOperationException e) {
                    throw new UnsupportedOperatorException(n.describe() + " (opset " + opsets.get(i) + "): " + e.getMessage(),
                            n.name(), n.opType(), opsets.get(i));
                } catch (RuntimeException e) {
                    throw new GraphException(n.describe() + " failed: " + e.getMessage() + describeInputs(in), n.name(), e);
                } catch (OutOfMemoryError e) {
                    // One oversized allocation failed; nothing else was left half-done, so report it like any bad input.
                    throw new GraphException(n.describe() + " ran out of memory" + describeInputs(in), n.name());
                } catch (StackOverflowError e) {
                    throw new GraphException(n.describe() + " nests too deeply (stack overflow)", n.name());
                }
                if (Thread.currentThread().isInterrupted()) throw new GraphException(n.describe() + ": interrupted", n.name());
                for (int k = 0; k < n.outputs().size(); k++) {
                    Value v = n.outputs().get(k);
                    if (v.isAbsent()) continue;
                    if (out == null || k >= out.length || out[k] == null) {
                        throw new GraphException(n.describe() + ": output " + k + " ('" + v.name() + "') was not produced", n.name());
                    }
                    env.put(v.name(), out[k]);
                }
                peak = Math.max(peak, env.size());
                for (String dead : freeAfter.get(i)) {
                    Tensor t = env.remove(dead);
                    if (pool != null && t != null) handBack(t, env, inputArrays, pool);
                }
            }
        } finally {
            if (pool != null) pool.exit();
        }
        peakLive.set(peak);
        Map<String, Tensor> result = new java.util.LinkedHashMap<>();
        for (Value v : graph.outputs()) {
            Tensor t = lookup.apply(v.name());
            if (t == null) throw new GraphException("graph '" + graph.name() + "': output '" + v.name() + "' has no value");
            result.put(v.name(), t);
        }
        return result;
    }

    /**
     * Gives a dead value's float array back to the pool unless something may still read it: a caller's input,
     * a constant, or a live value that is a view of the same array (Reshape, Flatten, Identity...).
     */
    private void handBack(Tensor dead, Map<String, Tensor> env, Set<Object> inputArrays, ArrayPool pool) {
        org.kindling.tensor.internal.Storage s = org.kindling.tensor.internal.TensorAccess.unwrap(dead).storage;
        float[] a = s.f32;
        if (a == null || fixedArrays.contains(a) || inputArrays.contains(a)) return;
        for (Tensor live : env.values()) if (arrayOf(live) == a) return;
        pool.give(a);
    }

    private static String describeInputs(Tensor[] in) {
        StringBuilder sb = new StringBuilder(" (inputs:");
        for (Tensor t : in) sb.append(' ').append(t == null ? "absent" : t.dtype().pytorchName() + t.shape());
        return sb.append(')').toString();
    }

    private void checkInput(Value declared, Tensor t) {
        if (declared.dtype().isPresent() && declared.dtype().get() != t.dtype()) {
            throw new GraphException("graph '" + graph.name() + "': input '" + declared.name() + "' must be "
                    + declared.dtype().get().pytorchName() + " but a " + t.dtype().pytorchName() + " tensor was given");
        }
        if (declared.shape().isPresent()) {
            List<Dim> dims = declared.shape().get();
            int[] actual = t.shape().toArray();
            boolean ok = dims.size() == actual.length;
            for (int i = 0; ok && i < dims.size(); i++) ok = !dims.get(i).isFixed() || dims.get(i).size() == actual[i];
            if (!ok) {
                throw new GraphException("graph '" + graph.name() + "': input '" + declared.name() + "' must have shape "
                        + dims + " but the tensor given has shape " + Arrays.toString(actual));
            }
        }
    }

    private List<Tensor> runSubgraph(Graph sub, List<Tensor> subInputs, Function<String, Tensor> scope) {
        Interpreter it;
        synchronized (subInterpreters) {
            it = subInterpreters.computeIfAbsent(sub, g -> new Interpreter(g, registry, Set.of(), effectiveOpsets()));
        }
        if (subInputs.size() > sub.inputs().size()) {
            throw new GraphException("subgraph '" + sub.name() + "' takes " + sub.inputs().size() + " inputs, got " + subInputs.size());
        }
        Map<String, Tensor> byName = new HashMap<>();
        for (int i = 0; i < subInputs.size(); i++) {
            if (subInputs.get(i) != null) byName.put(sub.inputs().get(i).name(), subInputs.get(i));
        }
        // Subgraph inputs are not type-checked: loop-carried values may legitimately change shape.
        return new ArrayList<>(it.execute(byName, null, scope, false).values());
    }

}
