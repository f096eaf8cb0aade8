package org.kindling.tensor.internal.grad;

import org.kindling.tensor.Function;
import org.kindling.tensor.FunctionCtx;
import org.kindling.tensor.Shape;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.trace.TraceEmitter;
import org.kindling.tensor.internal.trace.TraceOps;
import org.kindling.tensor.internal.trace.Traceable;

/**
 * Differentiable views. The output shares storage with the input; backward maps the gradient
 * back onto the input's shape (inverse permutation, reshape, or writing it into the same view
 * of a zero tensor).
 */
public final class ViewFunctions {
    private ViewFunctions() {}

    private static int[] shape(Tensor t) {
        return t.shape().toArray();
    }

    public static final class Permute extends Function implements Traceable {
        private final int[] dims;

        public Permute(int[] dims) {
            this.dims = dims;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            return in[0].permute(dims);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            int r = dims.length;
            int[] inv = new int[r];
            for (int i = 0; i < r; i++) inv[Shape.normalizeDim(dims[i], r, "permute")] = i;
            return new Tensor[] {g.permute(inv)};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            int r = dims.length;
            long[] perm = new long[r];
            for (int i = 0; i < r; i++) perm[i] = Shape.normalizeDim(dims[i], r, "permute");
            return TraceOps.transpose(e, e.input(0), perm);
        }
    }

    public static final class Transpose extends Function implements Traceable {
        private final int d0;
        private final int d1;

        public Transpose(int d0, int d1) {
            this.d0 = d0;
            this.d1 = d1;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            return in[0].transpose(d0, d1);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {g.transpose(d0, d1)};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            int r = e.inputTensor(0).dim();
            if (r < 2) return e.op("Identity").in(e.input(0)).out();
            return TraceOps.transpose(e, e.input(0), TraceOps.swap(r, d0, d1));
        }
    }

    /** squeeze() (dim null) or squeeze(dim): the gradient is reshaped back. */
    public static final class Squeeze extends Function implements Traceable {
        private final Integer dim;

        public Squeeze(Integer dim) {
            this.dim = dim;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.put("shape", shape(in[0]));
            return dim == null ? in[0].squeeze() : in[0].squeeze(dim);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {g.reshape(ctx.<int[]>get("shape"))};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            int[] s = shape(e.inputTensor(0));
            java.util.List<Long> axes = new java.util.ArrayList<>();
            for (int i = 0; i < s.length; i++) {
                boolean chosen = dim == null || Shape.normalizeDim(dim, s.length, "squeeze") == i;
                if (chosen && s[i] == 1) axes.add((long) i);
            }
            if (axes.isEmpty()) return e.op("Identity").in(e.input(0)).out();
            return TraceOps.squeeze(e, e.input(0), axes.stream().mapToLong(Long::longValue).toArray());
        }
    }

    public static final class Unsqueeze extends Function implements Traceable {
        private final int dim;

        public Unsqueeze(int dim) {
            this.dim = dim;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.put("shape", shape(in[0]));
            return in[0].unsqueeze(dim);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {g.reshape(ctx.<int[]>get("shape"))};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.unsqueeze(e, e.input(0), Shape.normalizeDim(dim, e.inputTensor(0).dim() + 1, "unsqueeze"));
        }
    }

    /**
     * A non-overlapping sub-view (narrow, select, slice with a step): backward writes the gradient
     * into the same view of a zero tensor ({@link Grads.IntoView}).
     */
    public static final class SubView extends Function implements Traceable {
        private final String name;
        private final Grads.ViewFn view;
        private final int[] args;

        /** {@code args} repeat the view's arguments for tracing: (dim, start, length), (dim, index) or (dim, start, end, step). */
        public SubView(String name, Grads.ViewFn view, int... args) {
            this.name = name;
            this.view = view;
            this.args = args;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.put("shape", shape(in[0]));
            return view.apply(in[0]);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {new Grads.IntoView(ctx.get("shape"), view).apply(g)};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            int[] s = shape(e.inputTensor(0));
            if (args.length < 2) throw e.unsupported("the view's arguments were not recorded");
            int d = Shape.normalizeDim(args[0], s.length, name);
            if (args.length == 2) {
                long index = args[1] < 0 ? args[1] + s[d] : args[1];
                return e.op("Gather").in(e.input(0)).in(e.scalar(index, org.kindling.tensor.DType.INT64)).attr("axis", d).out();
            }
            long start;
            long end;
            long step = 1;
            if (args.length == 3) {
                start = args[1] < 0 ? args[1] + s[d] : args[1];
                end = start + args[2];
            } else {
                start = Math.min(Math.max(args[1] < 0 ? args[1] + s[d] : args[1], 0), s[d]);
                end = Math.min(Math.max(args[2] < 0 ? args[2] + s[d] : args[2], 0), s[d]);
                step = args[3];
            }
            // a slice to the end stays one when the size changes
            return TraceOps.slice(e, e.input(0), d, start, end >= s[d] ? Long.MAX_VALUE : end, step);
        }

        @Override
        public String name() {
            return name;
        }
    }

    /** unfold(dim, size, step): windows may overlap, so backward accumulates them. */
    public static final class Unfold extends Function {
        private final int dim;
        private final int size;
        private final int step;

        public Unfold(int dim, int size, int step) {
            this.dim = dim;
            this.size = size;
            this.step = step;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.put("shape", shape(in[0]));
            return in[0].unfold(dim, size, step);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            int[] s = ctx.get("shape");
            if (s.length == 0) return new Tensor[] {g.sum()};
            return new Tensor[] {new UnfoldBackward(s, Shape.normalizeDim(dim, s.length, "unfold"), size, step).apply(g)};
        }
    }

    /** Sums the windows of an unfold gradient back into the input's shape; its backward is unfold. */
    public static final class UnfoldBackward extends Function {
        private final int[] shape;
        private final int dim;
        private final int size;
        private final int step;

        UnfoldBackward(int[] shape, int dim, int size, int step) {
            this.shape = shape;
            this.dim = dim;
            this.size = size;
            this.step = step;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor g = in[0];
            Tensor z = Grads.zeros(shape, g.dtype());
            int windows = g.size(dim);
            int r = shape.length;
            // g.select(dim, w) has the window elements last; move them to dim.
            int[] perm = new int[r];
            for (int k = 0, j = 0; k < r; k++) perm[k] = k == dim ? r - 1 : j++;
            for (int w = 0; w < windows; w++) {
                z.narrow(dim, w * step, size).add_(g.select(dim, w).permute(perm));
            }
            return z;
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {g.unfold(dim, size, step)};
        }
    }
}
