package org.kindling.tensor.internal.grad;

import org.kindling.tensor.Function;
import org.kindling.tensor.FunctionCtx;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.trace.TraceEmitter;
import org.kindling.tensor.internal.trace.TraceOps;
import org.kindling.tensor.internal.trace.Traceable;

/**
 * Built-in differentiable ops, each a {@link Function} whose backward sits beside its forward
 * (micrograd's {@code __mul__} shape). Forward calls the Tensor op itself: it runs with
 * recording off, so it takes the direct path. Backward is written with Tensor ops so that
 * higher-order gradients work.
 */
public final class BasicFunctions {
    private BasicFunctions() {}

    private static int[] shape(Tensor t) {
        return t.shape().toArray();
    }

    public static final class Add extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.put("a", shape(in[0]));
            ctx.put("b", shape(in[1]));
            ctx.put("ta", in[0].dtype());
            ctx.put("tb", in[1].dtype());
            return in[0].add(in[1]);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {
                ctx.needsInputGrad(0) ? Grads.sumTo(g, ctx.get("a"), ctx.get("ta")) : null,
                ctx.needsInputGrad(1) ? Grads.sumTo(g, ctx.get("b"), ctx.get("tb")) : null};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.binary(e, "Add");
        }
    }

    public static final class Sub extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.put("a", shape(in[0]));
            ctx.put("b", shape(in[1]));
            ctx.put("ta", in[0].dtype());
            ctx.put("tb", in[1].dtype());
            return in[0].sub(in[1]);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {
                ctx.needsInputGrad(0) ? Grads.sumTo(g, ctx.get("a"), ctx.get("ta")) : null,
                ctx.needsInputGrad(1) ? Grads.sumTo(g.neg(), ctx.get("b"), ctx.get("tb")) : null};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.binary(e, "Sub");
        }
    }

    public static final class Mul extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            return in[0].mul(in[1]);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor[] s = ctx.savedTensors();
            return new Tensor[] {
                ctx.needsInputGrad(0) ? Grads.sumTo(g.mul(s[1]), shape(s[0]), s[0].dtype()) : null,
                ctx.needsInputGrad(1) ? Grads.sumTo(g.mul(s[0]), shape(s[1]), s[1].dtype()) : null};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.binary(e, "Mul");
        }
    }

    public static final class Div extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            return in[0].div(in[1]);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor[] s = ctx.savedTensors();
            Tensor a = s[0];
            Tensor b = s[1];
            return new Tensor[] {
                ctx.needsInputGrad(0) ? Grads.sumTo(g.div(b), shape(a), a.dtype()) : null,
                // d(a/b)/db = -a / b^2
                ctx.needsInputGrad(1) ? Grads.sumTo(g.mul(a).div(b.mul(b)).neg(), shape(b), b.dtype()) : null};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.binary(e, "Div");
        }
    }

    public static final class Neg extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            return in[0].neg();
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {g.neg()};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.unary(e, "Neg");
        }
    }

    public static final class Exp extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor out = in[0].exp();
            ctx.saveForBackward(out);
            return out;
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {g.mul(ctx.savedTensors()[0])};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.unary(e, "Exp");
        }
    }

    /** Sum over dims (null: all). */
    public static final class Sum extends Function implements Traceable {
        private final int[] dims;
        private final boolean keepdim;

        public Sum(int[] dims, boolean keepdim) {
            this.dims = dims;
            this.keepdim = keepdim;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.put("shape", shape(in[0]));
            return dims == null && !keepdim ? in[0].sum() : in[0].sum(dims, keepdim);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            int[] s = ctx.get("shape");
            return new Tensor[] {Grads.unsqueezeReduced(g, s, dims, keepdim).expand(s)};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.reduce(e, "ReduceSum", dims, keepdim);
        }
    }

    public static final class Matmul extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            return in[0].matmul(in[1]);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor[] s = ctx.savedTensors();
            Tensor a = s[0];
            Tensor b = s[1];
            // Lift 1-D operands to matrices as matmul does, then undo.
            Tensor a2 = a.dim() == 1 ? a.unsqueeze(0) : a;
            Tensor b2 = b.dim() == 1 ? b.unsqueeze(-1) : b;
            Tensor g2 = g;
            if (a.dim() == 1) g2 = g2.unsqueeze(-2);
            if (b.dim() == 1) g2 = g2.unsqueeze(-1);
            Tensor ga = null;
            Tensor gb = null;
            if (ctx.needsInputGrad(0)) {
                ga = Grads.sumToShape(g2.matmul(b2.mT()), shape(a2));
                if (a.dim() == 1) ga = ga.squeeze(0);
            }
            if (ctx.needsInputGrad(1)) {
                gb = Grads.sumToShape(a2.mT().matmul(g2), shape(b2));
                if (b.dim() == 1) gb = gb.squeeze(-1);
            }
            return new Tensor[] {ga, gb};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.binary(e, "MatMul");
        }
    }

    /** view/reshape: the gradient is reshaped back. */
    public static final class Reshape extends Function implements Traceable {
        private final int[] target;
        private final boolean mustView;

        public Reshape(int[] target, boolean mustView) {
            this.target = target;
            this.mustView = mustView;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.put("shape", shape(in[0]));
            return mustView ? in[0].view(target) : in[0].reshape(target);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {g.reshape(ctx.<int[]>get("shape"))};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return e.op("Reshape").in(e.input(0)).in(e.reshapeShape(e.inputTensor(0), shape(e.output()))).out();
        }

        @Override
        public String name() {
            return mustView ? "View" : "Reshape";
        }
    }

    public static final class Expand extends Function implements Traceable {
        private final int[] sizes;

        public Expand(int[] sizes) {
            this.sizes = sizes;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.put("shape", shape(in[0]));
            return in[0].expand(sizes);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {Grads.sumToShape(g, ctx.get("shape"))};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return e.op("Expand").in(e.input(0)).in(e.expandShape(e.inputTensor(0), shape(e.output()))).out();
        }
    }

    public static final class Clone extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            return in[0].clone();
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {g};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return e.op("Identity").in(e.input(0)).out();
        }
    }
}
