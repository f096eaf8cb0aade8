package org.kindling.tensor.internal.grad;

import java.util.Arrays;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Function;
import org.kindling.tensor.FunctionCtx;
import org.kindling.tensor.Shape;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.trace.TraceEmitter;
import org.kindling.tensor.internal.trace.TraceOps;
import org.kindling.tensor.internal.trace.Traceable;

/** Differentiable joins and layout copies: cat, repeat, flip, roll, tril/triu, constant pad. */
public final class JoinFunctions {
    private JoinFunctions() {}

    private static int[] shape(Tensor t) {
        return t.shape().toArray();
    }

    private static boolean legacyEmpty(int[] s) {
        return s.length == 1 && s[0] == 0;
    }

    /** cat along dim: the gradient is split back into the pieces (cast back to each piece's dtype). */
    public static final class Cat extends Function implements Traceable {
        private final int dim;

        public Cat(int dim) {
            this.dim = dim;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            int[][] shapes = new int[in.length][];
            DType[] types = new DType[in.length];
            for (int i = 0; i < in.length; i++) {
                shapes[i] = shape(in[i]);
                types[i] = in[i].dtype();
            }
            ctx.put("shapes", shapes);
            ctx.put("types", types);
            return Kindling.cat(Arrays.asList(in), dim);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            int[][] shapes = ctx.get("shapes");
            DType[] types = ctx.get("types");
            Tensor[] out = new Tensor[shapes.length];
            int d = g.dim() == 0 ? 0 : Shape.normalizeDim(dim, g.dim(), "cat");
            int offset = 0;
            for (int i = 0; i < shapes.length; i++) {
                int[] s = shapes[i];
                if (legacyEmpty(s) && g.dim() != 1) {
                    if (ctx.needsInputGrad(i)) out[i] = Grads.zeros(s, types[i]);
                    continue;
                }
                int len = s[d];
                if (ctx.needsInputGrad(i)) {
                    Tensor gi = g.narrow(d, offset, len);
                    out[i] = gi.dtype() == types[i] ? gi : gi.to(types[i]);
                }
                offset += len;
            }
            return out;
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            int rank = e.output().dim();
            TraceEmitter.NodeSpec<V> n = e.op("Concat");
            for (int i = 0; i < e.inputCount(); i++) {
                if (legacyEmpty(shape(e.inputTensor(i))) && rank != 1) continue;
                n.in(TraceOps.input(e, i, e.output().dtype()));
            }
            return n.attr("axis", rank == 0 ? 0 : Shape.normalizeDim(dim, rank, "cat")).out();
        }
    }

    /** repeat(reps): the gradient of each element is the sum over its tiles. */
    public static final class Repeat extends Function implements Traceable {
        private final int[] reps;

        public Repeat(int[] reps) {
            this.reps = reps.clone();
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.put("shape", shape(in[0]));
            return in[0].repeat(reps);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            int[] s = ctx.get("shape");
            int n = reps.length;
            int lead = n - s.length;
            // View the gradient as [rep0, size0, rep1, size1, ...] and sum the rep dims.
            int[] inter = new int[2 * n];
            int[] repDims = new int[n];
            for (int i = 0; i < n; i++) {
                inter[2 * i] = reps[i];
                inter[2 * i + 1] = i < lead ? 1 : s[i - lead];
                repDims[i] = 2 * i;
            }
            Tensor r = g.reshape(inter).sum(repDims, false);
            return new Tensor[] {r.reshape(s)};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            V x = e.input(0);
            int extra = reps.length - e.inputTensor(0).dim();
            if (extra > 0) {
                long[] lead = new long[extra];
                for (int i = 0; i < extra; i++) lead[i] = i;
                x = TraceOps.unsqueeze(e, x, lead);
            }
            long[] r = new long[reps.length];
            for (int i = 0; i < r.length; i++) r[i] = reps[i];
            return e.op("Tile").in(x).in(e.ints(r)).out();
        }
    }

    public static final class Flip extends Function implements Traceable {
        private final int[] dims;

        public Flip(int[] dims) {
            this.dims = dims.clone();
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            return in[0].flip(dims);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {g.flip(dims)};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            int rank = e.inputTensor(0).dim();
            long[] axes = TraceOps.axes(dims, rank);
            long[] starts = new long[axes.length];
            long[] ends = new long[axes.length];
            long[] steps = new long[axes.length];
            java.util.Arrays.fill(starts, -1);
            java.util.Arrays.fill(ends, Long.MIN_VALUE);
            java.util.Arrays.fill(steps, -1);
            return e.op("Slice").in(e.input(0)).in(e.ints(starts)).in(e.ints(ends)).in(e.ints(axes)).in(e.ints(steps)).out();
        }
    }

    /** roll: the gradient is rolled back. */
    public static final class Roll extends Function {
        private final int[] shifts;
        private final int[] dims;

        public Roll(int[] shifts, int[] dims) {
            this.shifts = shifts.clone();
            this.dims = dims.clone();
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            return in[0].roll(shifts, dims);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            int[] back = new int[shifts.length];
            for (int i = 0; i < back.length; i++) back[i] = -shifts[i];
            return new Tensor[] {g.roll(back, dims)};
        }
    }

    /** tril (lower true) / triu: the gradient is masked the same way. */
    public static final class Triangle extends Function implements Traceable {
        private final int diagonal;
        private final boolean lower;

        public Triangle(int diagonal, boolean lower) {
            this.diagonal = diagonal;
            this.lower = lower;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            return lower ? in[0].tril(diagonal) : in[0].triu(diagonal);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {lower ? g.tril(diagonal) : g.triu(diagonal)};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            if (e.opset() < 14) throw e.unsupported("Trilu needs opset 14 or newer");
            return e.op("Trilu").in(e.input(0)).in(e.scalar(diagonal, DType.INT64)).attr("upper", lower ? 0 : 1).out();
        }

        @Override
        public String name() {
            return lower ? "Tril" : "Triu";
        }
    }

    /** Constant padding (negative pads crop): the gradient is padded by the negated amounts. */
    public static final class ConstantPad extends Function implements Traceable {
        private final int[] pad;
        private final double value;

        public ConstantPad(int[] pad, double value) {
            this.pad = pad.clone();
            this.value = value;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            return in[0].pad(pad, "constant", value);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            int[] back = new int[pad.length];
            for (int i = 0; i < back.length; i++) back[i] = -pad[i];
            return new Tensor[] {g.pad(back, "constant", 0)};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            int rank = e.inputTensor(0).dim();
            long[] pads = new long[2 * rank];
            for (int i = 0; i < pad.length / 2; i++) {
                int d = rank - 1 - i;
                pads[d] = pad[2 * i];
                pads[rank + d] = pad[2 * i + 1];
            }
            DType t = e.inputTensor(0).dtype();
            return e.op("Pad").in(e.input(0)).in(e.ints(pads)).in(e.scalar(value, t)).attr("mode", "constant").out();
        }
    }

    /**
     * The index map of a reflect / replicate / circular pad along one dim: output position j
     * reads input position map[j]. Computed by padding the positions themselves, so it is
     * exactly the map the pad kernel uses.
     */
    public static Tensor padMap(int size, int lo, int hi, String mode) {
        return Kindling.arange(size).pad(new int[] {lo, hi}, mode, 0);
    }
}
