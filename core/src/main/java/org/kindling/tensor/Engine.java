package org.kindling.tensor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Runs backward over the recorded graph: finds the nodes reachable from the roots, counts how
 * many consumers each has, and processes a node once every consumer has passed its gradient on,
 * so each node's backward runs exactly once with the summed gradient. Iterative, so long graphs
 * (unrolled RNNs) do not overflow the stack.
 */
final class Engine {
    private Engine() {}

    /**
     * @param capture nodes whose incoming gradient is returned instead of accumulated (for
     *     Autograd.grad); null to accumulate into the leaves' {@code grad}
     */
    static Map<Node, Tensor> run(Node[] roots, Tensor[] rootGrads, boolean retainGraph, boolean createGraph,
                                 Node[] capture) {
        Map<Node, Integer> deps = new IdentityHashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        for (Node r : roots) {
            if (r != null && deps.putIfAbsent(r, 0) == null) stack.push(r);
        }
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            for (Node c : n.next) {
                if (c == null) continue;
                Integer d = deps.get(c);
                if (d == null) {
                    deps.put(c, 1);
                    stack.push(c);
                } else {
                    deps.put(c, d + 1);
                }
            }
        }
        Map<Node, Tensor> grads = new IdentityHashMap<>();
        for (int i = 0; i < roots.length; i++) {
            if (roots[i] != null) accumulate(grads, roots[i], rootGrads[i]);
        }
        Map<Node, Tensor> captured = capture == null ? null : new IdentityHashMap<>();
        IdentityHashMap<Node, Boolean> captureSet = new IdentityHashMap<>();
        if (capture != null) for (Node c : capture) if (c != null) captureSet.put(c, true);

        ArrayDeque<Node> ready = new ArrayDeque<>();
        for (Map.Entry<Node, Integer> e : deps.entrySet()) {
            if (e.getValue() == 0) ready.add(e.getKey());
        }
        try (var mode = GradMode.set(createGraph)) {
            while (!ready.isEmpty()) {
                Node n = ready.poll();
                Tensor g = grads.remove(n);
                if (g != null) {
                    if (n.hooks != null) {
                        for (UnaryOperator<Tensor> h : n.hooks) {
                            Tensor r = h.apply(g);
                            if (r != null) g = r;
                        }
                    }
                    if (captured != null && captureSet.containsKey(n)) captured.put(n, g);
                    if (n.retainGradOf != null && capture == null) {
                        Tensor t = n.retainGradOf;
                        t.accumulateGrad(createGraph ? g : g.detach());
                    }
                    if (n.isAccumulateGrad()) {
                        if (capture == null) n.leaf.accumulateGrad(createGraph ? g : g.detach());
                    } else {
                        propagate(n, g, grads);
                        if (!retainGraph) n.ctx.release();
                    }
                } else if (!n.isAccumulateGrad() && !retainGraph) {
                    n.ctx.release();
                }
                for (Node c : n.next) {
                    if (c == null) continue;
                    int d = deps.get(c) - 1;
                    deps.put(c, d);
                    if (d == 0) ready.add(c);
                }
            }
        }
        return captured;
    }

    private static void propagate(Node n, Tensor g, Map<Node, Tensor> grads) {
        Tensor[] in = n.fn.backward(n.ctx, g);
        if (in == null || in.length != n.next.length) {
            throw new IllegalStateException("function " + n.name() + " returned " + (in == null ? "null" : in.length)
                    + " gradients but expected " + n.next.length + " (one per input)");
        }
        for (int i = 0; i < in.length; i++) {
            if (n.next[i] == null || in[i] == null) continue;
            int[] expected = n.inputShapes[i];
            if (!Arrays.equals(expected, in[i].shape().toArray())) {
                throw new IllegalStateException("function " + n.name() + " returned an invalid gradient at index " + i
                        + " - got " + in[i].shape() + " but expected shape " + Arrays.toString(expected));
            }
            accumulate(grads, n.next[i], in[i]);
        }
    }

    private static void accumulate(Map<Node, Tensor> grads, Node n, Tensor g) {
        Tensor prev = grads.get(n);
        grads.put(n, prev == null ? g : prev.add(g));
    }
}
