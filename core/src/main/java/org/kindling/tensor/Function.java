package org.kindling.tensor;

import org.kindling.tensor.internal.trace.TraceHook;

/**
 * A differentiable operation: {@link #forward} computes the output from the inputs, and
 * {@link #backward} turns the gradient of the output into gradients of the inputs. Kindling's
 * built-in ops and user-defined ones use this same class ({@code torch.autograd.Function}).
 * Non-tensor arguments are constructor parameters of the subclass.
 *
 * <pre>
 * // y = x^3, dy/dx = 3x^2
 * class Cube extends Function {
 *     public Tensor forward(FunctionCtx ctx, Tensor... in) {
 *         ctx.saveForBackward(in[0]);
 *         return in[0].pow(3);
 *     }
 *     public Tensor[] backward(FunctionCtx ctx, Tensor grad) {
 *         Tensor x = ctx.savedTensors()[0];
 *         return new Tensor[] {grad.mul(x.square().mul(3))};
 *     }
 * }
 * Tensor y = new Cube().apply(x);
 * </pre>
 *
 * <p>{@code forward} runs with gradient recording off. {@code backward} must return one entry per
 * input, of the input's shape, or null where an input needs no gradient; it is written with
 * Tensor ops so that {@code backward(createGraph=true)} can differentiate it again.
 */
public abstract class Function {

    /** Computes the output; runs without recording. */
    public abstract Tensor forward(FunctionCtx ctx, Tensor... inputs);

    /** Gradients of the inputs given the gradient of the output. */
    public abstract Tensor[] backward(FunctionCtx ctx, Tensor gradOutput);

    /** The name used in graph printouts and error messages. */
    public String name() {
        String n = getClass().getSimpleName();
        return n.isEmpty() ? "Function" : n;
    }

    /** Runs forward and, when gradients are on and an input requires one, records the op in the graph. */
    public final Tensor apply(Tensor... inputs) {
        TraceHook.Listener trace = TraceHook.listener();
        if (trace == null) return run(inputs);
        Tensor out;
        TraceHook.suspend();
        try {
            out = run(inputs);
        } finally {
            TraceHook.resume();
        }
        return trace.record(this, inputs, out);
    }

    private Tensor run(Tensor[] inputs) {
        boolean record = false;
        boolean[] needs = new boolean[inputs.length];
        if (GradMode.isEnabled()) {
            for (int i = 0; i < inputs.length; i++) {
                needs[i] = inputs[i] != null && inputs[i].requiresGrad();
                record |= needs[i];
            }
        }
        FunctionCtx ctx = new FunctionCtx(name(), needs);
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = forward(ctx, inputs);
        }
        if (out == null) throw new IllegalStateException(name() + ".forward returned null");
        if (!record) return out;
        return Tensor.attachGraph(out, new Node(this, ctx, inputs, needs), inputs);
    }
}
