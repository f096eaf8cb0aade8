package org.kindling.tensor.internal.grad;

import java.util.Arrays;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Function;
import org.kindling.tensor.FunctionCtx;
import org.kindling.tensor.Shape;
import org.kindling.tensor.Tensor;

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
    public static final class Cat extends Function {
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
    }

    /** repeat(reps): the gradient of each element is the sum over its tiles. */
    public static final class Repeat extends Function {
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
    }

    public static final class Flip extends Function {
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
    public static final class Triangle extends Function {
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
        public String name() {
            return lower ? "Tril" : "Triu";
        }
    }

    /** Constant padding (negative pads crop): the gradient is padded by the negated amounts. */
    public static final class ConstantPad extends Function {
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
