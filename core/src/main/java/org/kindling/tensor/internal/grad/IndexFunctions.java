package org.kindling.tensor.internal.grad;

import org.kindling.tensor.DType;
import org.kindling.tensor.Function;
import org.kindling.tensor.FunctionCtx;
import org.kindling.tensor.Shape;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.trace.TraceEmitter;
import org.kindling.tensor.internal.trace.TraceOps;
import org.kindling.tensor.internal.trace.Traceable;

/**
 * Differentiable indexing. Gathers scatter their gradient back (accumulating repeated indices);
 * scatters gather it. Index and mask tensors are constructor arguments: they are not
 * differentiable.
 */
public final class IndexFunctions {
    private IndexFunctions() {}

    private static int[] shape(Tensor t) {
        return t.shape().toArray();
    }

    /** {@code index} entries for dim {@code d}: d full slices, then the index. */
    private static Tensor[] atDim(int d, Tensor index) {
        Tensor[] ix = new Tensor[d + 1];
        ix[d] = index;
        return ix;
    }

    public static final class IndexSelect extends Function implements Traceable {
        private final int dim;
        private final Tensor index;

        public IndexSelect(int dim, Tensor index) {
            this.dim = dim;
            this.index = index;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.put("shape", shape(in[0]));
            return in[0].indexSelect(dim, index);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            int[] s = ctx.get("shape");
            if (s.length == 0) return new Tensor[] {g.reshape(s)};
            int d = Shape.normalizeDim(dim, s.length, "indexSelect");
            // index_add into zeros: repeated indices accumulate.
            Tensor idx = index.reshape(-1);
            return new Tensor[] {Grads.zeros(s, g.dtype()).indexPut(atDim(d, idx), g, true)};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            V idx = TraceOps.value(e, index, org.kindling.tensor.DType.INT64);
            if (index.dim() == 0) idx = TraceOps.unsqueeze(e, idx, 0);
            return e.op("Gather").in(e.input(0)).in(idx).attr("axis", dim).out();
        }
    }

    public static final class Gather extends Function implements Traceable {
        private final int dim;
        private final Tensor index;

        public Gather(int dim, Tensor index) {
            this.dim = dim;
            this.index = index;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.put("shape", shape(in[0]));
            return in[0].gather(dim, index);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            int[] s = ctx.get("shape");
            return new Tensor[] {Grads.zeros(s, g.dtype()).scatterAdd(dim, index, g)};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            V idx = TraceOps.value(e, index, org.kindling.tensor.DType.INT64);
            return e.op("GatherElements").in(e.input(0)).in(idx).attr("axis", dim).out();
        }
    }

    /**
     * scatter (add false) and scatterAdd (add true) of src into a copy of self. A 0-dim src is a
     * scalar written at every index (scatter's value form).
     */
    public static final class Scatter extends Function {
        private final int dim;
        private final Tensor index;
        private final boolean add;

        public Scatter(int dim, Tensor index, boolean add) {
            this.dim = dim;
            this.index = index;
            this.add = add;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.put("src", shape(in[1]));
            ctx.put("t", in[1].dtype());
            return add ? in[0].scatterAdd(dim, index, in[1]) : in[0].scatter(dim, index, in[1]);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor gs = null;
            Tensor gsrc = null;
            if (ctx.needsInputGrad(0)) {
                // Overwritten positions get no gradient; with add, every position keeps it.
                gs = add ? g : g.scatter(dim, index, Grads.zeroScalar(g.dtype()));
            }
            if (ctx.needsInputGrad(1)) {
                int[] ss = ctx.get("src");
                Tensor picked = g.gather(dim, index);
                gsrc = ss.length == 0 && index.dim() > 0 ? picked.sum() : Grads.padTo(picked, ss);
                DType t = ctx.get("t");
                if (gsrc.dtype() != t) gsrc = gsrc.to(t);
            }
            return new Tensor[] {gs, gsrc};
        }

        @Override
        public String name() {
            return add ? "ScatterAdd" : "Scatter";
        }
    }

    public static final class MaskedSelect extends Function {
        private final Tensor mask;

        public MaskedSelect(Tensor mask) {
            this.mask = mask;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.put("shape", shape(in[0]));
            return in[0].maskedSelect(mask);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            int[] s = ctx.get("shape");
            int[] b = Shape.broadcast(s, shape(mask), "maskedSelect");
            Tensor m = mask.expand(b);
            Tensor full = Grads.zeros(b, g.dtype()).indexPut(new Tensor[] {m}, g, false);
            return new Tensor[] {Grads.sumToShape(full, s)};
        }
    }

    /** maskedFill with a constant: the filled positions get no gradient. */
    public static final class MaskedFill extends Function implements Traceable {
        private final Tensor mask;
        private final double value;

        public MaskedFill(Tensor mask, double value) {
            this.mask = mask;
            this.value = value;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            return in[0].maskedFill(mask, value);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {g.maskedFill(mask, 0)};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            org.kindling.tensor.DType t = e.output().dtype();
            V m = TraceOps.value(e, mask, org.kindling.tensor.DType.BOOL);
            return e.op("Where").in(m).in(e.scalar(value, t)).in(TraceOps.input(e, 0, t)).out();
        }
    }

    /** Advanced indexing {@code x[indices]}: backward puts the gradient back with accumulation. */
    public static final class Index extends Function {
        private final Tensor[] indices;

        public Index(Tensor[] indices) {
            this.indices = indices.clone();
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.put("shape", shape(in[0]));
            return in[0].index(indices);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            int[] s = ctx.get("shape");
            return new Tensor[] {Grads.zeros(s, g.dtype()).indexPut(indices, g, true)};
        }
    }

    /** {@code self[indices] = values} (or {@code +=}) on a copy of self. */
    public static final class IndexPut extends Function {
        private final Tensor[] indices;
        private final boolean accumulate;

        public IndexPut(Tensor[] indices, boolean accumulate) {
            this.indices = indices.clone();
            this.accumulate = accumulate;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.put("values", shape(in[1]));
            ctx.put("t", in[1].dtype());
            return in[0].indexPut(indices, in[1], accumulate);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor gs = null;
            Tensor gv = null;
            if (ctx.needsInputGrad(0)) {
                gs = accumulate ? g : g.indexPut(indices, Grads.zeroScalar(g.dtype()), false);
            }
            if (ctx.needsInputGrad(1)) {
                gv = Grads.sumTo(g.index(indices), ctx.get("values"), ctx.get("t"));
            }
            return new Tensor[] {gs, gv};
        }
    }
}
