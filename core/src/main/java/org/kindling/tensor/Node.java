package org.kindling.tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One recorded op in the autograd graph: the function and its context, and per input the node
 * its gradient flows to (the input's own grad_fn, or the AccumulateGrad node of a leaf). A node
 * without a function is the AccumulateGrad node of {@link #leaf}.
 */
final class Node implements GradFn {
    final Function fn;
    final FunctionCtx ctx;
    final Node[] next;
    final int[][] inputShapes;
    final Tensor leaf;
    List<UnaryOperator<Tensor>> hooks;
    Tensor retainGradOf;

    Node(Function fn, FunctionCtx ctx, Tensor[] inputs, boolean[] needs) {
        this.fn = fn;
        this.ctx = ctx;
        this.leaf = null;
        this.next = new Node[inputs.length];
        this.inputShapes = new int[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            if (needs[i]) {
                next[i] = inputs[i].gradEdge();
                inputShapes[i] = inputs[i].shape().toArray();
            }
        }
    }

    /** The AccumulateGrad node of a leaf. */
    Node(Tensor leaf) {
        this.fn = null;
        this.ctx = null;
        this.leaf = leaf;
        this.next = new Node[0];
        this.inputShapes = new int[0][];
    }

    boolean isAccumulateGrad() {
        return fn == null;
    }

    void addHook(UnaryOperator<Tensor> hook) {
        if (hooks == null) hooks = new ArrayList<>();
        hooks.add(hook);
    }

    @Override
    public String name() {
        return fn == null ? "AccumulateGrad" : fn.name() + "Backward";
    }

    @Override
    public List<GradFn> nextFunctions() {
        List<GradFn> out = new ArrayList<>(next.length);
        Collections.addAll(out, next);
        return Collections.unmodifiableList(out);
    }

    @Override
    public String toString() {
        return "<" + name() + ">";
    }
}
