package org.kindling.tensor.internal.grad;

import java.util.List;
import org.kindling.Kindling;
import org.kindling.tensor.Function;
import org.kindling.tensor.FunctionCtx;
import org.kindling.tensor.Shape;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.trace.TraceEmitter;
import org.kindling.tensor.internal.trace.TraceOps;
import org.kindling.tensor.internal.trace.Traceable;

/**
 * Differentiable reductions, scans and softmax. A reduction's gradient is first given back its
 * reduced dims (as size 1, {@link Grads#unsqueezeReduced}) so that it broadcasts over the input.
 */
public final class ReduceFunctions {
    private ReduceFunctions() {}

    private static int[] shape(Tensor t) {
        return t.shape().toArray();
    }

    private static boolean anyZero(Tensor t) {
        return t.eq(0.0).any().item() != 0;
    }

    /** mean over dims (null: all). */
    public static final class Mean extends Function implements Traceable {
        private final int[] dims;
        private final boolean keepdim;

        public Mean(int[] dims, boolean keepdim) {
            this.dims = dims;
            this.keepdim = keepdim;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.put("shape", shape(in[0]));
            return dims == null ? in[0].mean() : in[0].mean(dims, keepdim);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            int[] s = ctx.get("shape");
            long n = Grads.reducedCount(s, dims);
            return new Tensor[] {Grads.unsqueezeReduced(g, s, dims, keepdim).expand(s).div((double) n)};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.reduce(e, "ReduceMean", dims, keepdim);
        }
    }

    /**
     * prod over one dim (null: all). Without zeros the gradient is out / x; with zeros it is the
     * product of the other elements, from exclusive cumulative products taken from both ends
     * (PyTorch's formula for that case), so a single zero gets the product of the rest.
     */
    public static final class Prod extends Function implements Traceable {
        private final Integer dim;
        private final boolean keepdim;

        public Prod(Integer dim, boolean keepdim) {
            this.dim = dim;
            this.keepdim = keepdim;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor out = dim == null ? in[0].prod() : in[0].prod(dim, keepdim);
            ctx.saveForBackward(in[0], out);
            return out;
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor[] s = ctx.savedTensors();
            Tensor x = s[0];
            Tensor out = s[1];
            int[] xs = shape(x);
            if (x.dim() == 0) return new Tensor[] {g};
            if (dim == null) {
                Tensor flat = x.reshape(-1);
                Tensor others = productOfOthers(flat, 0, out.reshape(1));
                return new Tensor[] {others.mul(g).reshape(xs)};
            }
            int d = Shape.normalizeDim(dim, x.dim(), "prod");
            int[] dd = {d};
            Tensor gk = Grads.unsqueezeReduced(g, xs, dd, keepdim);
            Tensor ok = Grads.unsqueezeReduced(out, xs, dd, keepdim);
            return new Tensor[] {productOfOthers(x, d, ok).mul(gk)};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.reduce(e, "ReduceProd", dim == null ? null : new int[] {dim}, keepdim);
        }
    }

    /** For each element along dim, the product of the other elements of its lane. */
    static Tensor productOfOthers(Tensor x, int d, Tensor prodKeep) {
        int n = x.size(d);
        if (n == 0) return x;
        if (!anyZero(x)) return prodKeep.div(x);
        Tensor ones = Grads.zeros(Grads.keepShape(shape(x), new int[] {d}), x.dtype()).add(1.0);
        Tensor left = Kindling.cat(List.of(ones, x.narrow(d, 0, n - 1)), d).cumprod(d);
        Tensor right = Kindling.cat(List.of(x.narrow(d, 1, n - 1), ones), d).flip(d).cumprod(d).flip(d);
        return left.mul(right);
    }

    /** amax / amin over dims (null: all, as max() / min(); empty: all, keepdim honoured): ties share the gradient evenly. */
    public static final class AMax extends Function implements Traceable {
        private final int[] dims;
        private final boolean keepdim;
        private final boolean max;

        public AMax(int[] dims, boolean keepdim, boolean max) {
            this.dims = dims;
            this.keepdim = keepdim;
            this.max = max;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor out;
            if (dims == null) {
                out = max ? in[0].max() : in[0].min();
            } else {
                out = max ? in[0].amax(dims, keepdim) : in[0].amin(dims, keepdim);
            }
            ctx.saveForBackward(in[0], out);
            return out;
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor[] s = ctx.savedTensors();
            Tensor x = s[0];
            int[] xs = shape(x);
            boolean kd = keepdim && dims != null;
            Tensor ok = Grads.unsqueezeReduced(s[1], xs, dims, kd);
            Tensor gk = Grads.unsqueezeReduced(g, xs, dims, kd);
            Tensor mask = x.eq(ok).to(g.dtype());
            return new Tensor[] {mask.mul(gk.div(Grads.sumKeep(mask, dims)))};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.reduce(e, max ? "ReduceMax" : "ReduceMin", dims, keepdim && dims != null);
        }

        @Override
        public String name() {
            if (dims == null) return max ? "Max" : "Min";
            return max ? "Amax" : "Amin";
        }
    }

    /**
     * Values of max(dim) / min(dim), sort and topk: the gradient goes back to the positions the
     * values came from (for max(dim), the first maximal index only, as PyTorch).
     */
    public static final class Selected extends Function {
        /** Computes {values, indices} from the input. */
        @FunctionalInterface
        public interface Select {
            Tensor.ValuesIndices apply(Tensor x);
        }

        private final String name;
        private final int dim;
        private final boolean keepdim;
        private final Select select;
        private Tensor indices;

        /** keepdim false means dim was removed from values and indices. */
        public Selected(String name, int dim, boolean keepdim, Select select) {
            this.name = name;
            this.dim = dim;
            this.keepdim = keepdim;
            this.select = select;
        }

        /** The indices computed by the forward pass. */
        public Tensor indices() {
            return indices;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor.ValuesIndices r = select.apply(in[0]);
            indices = r.indices();
            ctx.put("shape", shape(in[0]));
            ctx.put("indices", indices);
            return r.values();
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            int[] xs = ctx.get("shape");
            Tensor idx = ctx.get("indices");
            if (xs.length == 0) return new Tensor[] {g.reshape(xs)};
            int d = Shape.normalizeDim(dim, xs.length, name);
            int[] dd = {d};
            Tensor gk = Grads.unsqueezeReduced(g, xs, dd, keepdim);
            Tensor ik = Grads.unsqueezeReduced(idx, xs, dd, keepdim);
            return new Tensor[] {Grads.zeros(xs, g.dtype()).scatter(d, ik, gk)};
        }

        @Override
        public String name() {
            return name;
        }
    }

    /** var / std over dims with a correction. */
    public static final class Var extends Function {
        private final int[] dims;
        private final double correction;
        private final boolean keepdim;
        private final boolean std;

        public Var(int[] dims, double correction, boolean keepdim, boolean std) {
            this.dims = dims;
            this.correction = correction;
            this.keepdim = keepdim;
            this.std = std;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor out = std ? in[0].std(dims, correction, keepdim) : in[0].var(dims, correction, keepdim);
            ctx.saveForBackward(in[0], std ? out : null);
            return out;
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor[] s = ctx.savedTensors();
            Tensor x = s[0];
            int[] xs = shape(x);
            Tensor gv = g;
            if (std) {
                // d std = d var / (2 std), zero where std == 0 (PyTorch's masked formula).
                Tensor out = s[1];
                gv = g.div(out.mul(2.0)).maskedFill(out.eq(0.0), 0);
            }
            long n = Grads.reducedCount(xs, dims);
            double denom = Math.max(0.0, n - correction);
            Tensor gk = Grads.unsqueezeReduced(gv, xs, dims, keepdim);
            Tensor mean = dims == null || dims.length == 0 ? x.mean() : x.mean(dims, true);
            return new Tensor[] {x.sub(mean).mul(gk).mul(2.0 / denom)};
        }

        @Override
        public String name() {
            return std ? "Std" : "Var";
        }
    }

    /** logsumexp: gradient exp(x - out). */
    public static final class LogSumExp extends Function implements Traceable {
        private final int[] dims;
        private final boolean keepdim;

        public LogSumExp(int[] dims, boolean keepdim) {
            this.dims = dims;
            this.keepdim = keepdim;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor out = in[0].logsumexp(dims, keepdim);
            ctx.saveForBackward(in[0], out);
            return out;
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor[] s = ctx.savedTensors();
            int[] xs = shape(s[0]);
            Tensor ok = Grads.unsqueezeReduced(s[1], xs, dims, keepdim);
            Tensor gk = Grads.unsqueezeReduced(g, xs, dims, keepdim);
            return new Tensor[] {gk.mul(s[0].sub(ok).exp())};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.reduce(e, "ReduceLogSumExp", dims, keepdim);
        }
    }

    /** Vector p-norm over dims (null: all), PyTorch's norm_backward case by case. */
    public static final class Norm extends Function implements Traceable {
        private final double p;
        private final int[] dims;
        private final boolean keepdim;

        public Norm(double p, int[] dims, boolean keepdim) {
            this.p = p;
            this.dims = dims;
            this.keepdim = keepdim;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor out = in[0].norm(p, dims, keepdim);
            ctx.saveForBackward(in[0], out);
            return out;
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor[] s = ctx.savedTensors();
            Tensor x = s[0];
            int[] xs = shape(x);
            Tensor nk = Grads.unsqueezeReduced(s[1], xs, dims, keepdim);
            Tensor gk = Grads.unsqueezeReduced(g, xs, dims, keepdim);
            Tensor r;
            if (p == 0) {
                r = Grads.zeros(xs, g.dtype());
            } else if (p == 1) {
                r = x.sign().mul(gk);
            } else if (p == 2) {
                // x / norm, with the subgradient 0 where the norm is 0.
                r = gk.mul(x.div(nk).maskedFill(nk.eq(0.0), 0));
            } else if (Double.isInfinite(p)) {
                Tensor ax = x.abs();
                Tensor mask = ax.eq(nk).logicalOr(ax.isnan()).to(g.dtype());
                r = x.sign().mul(gk.div(Grads.sumKeep(mask, dims)).mul(mask));
            } else if (p < 1) {
                Tensor scaled = x.sign().mul(x.abs().pow(p - 1).maskedFill(x.eq(0.0), 0));
                r = scaled.mul(gk).mul(nk.pow(1 - p));
            } else {
                Tensor scaled = p < 2 ? x.sign().mul(x.abs().pow(p - 1)) : x.mul(x.abs().pow(p - 2));
                Tensor scale = gk.div(nk.pow(p - 1)).maskedFill(nk.eq(0.0), 0);
                r = scaled.mul(scale);
            }
            return new Tensor[] {r};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            if (p != 1 && p != 2) throw e.unsupported("only the 1- and 2-norms have ONNX reductions, got p=" + p);
            return TraceOps.reduce(e, p == 1 ? "ReduceL1" : "ReduceL2", dims, keepdim);
        }
    }

    public static final class Cumsum extends Function implements Traceable {
        private final int dim;

        public Cumsum(int dim) {
            this.dim = dim;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.put("t", in[0].dtype());
            return in[0].cumsum(dim);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            if (g.dim() == 0) return new Tensor[] {g};
            // Reverse cumulative sum.
            return new Tensor[] {g.flip(dim).cumsum(dim).flip(dim)};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            V x = TraceOps.input(e, 0, e.output().dtype());
            int r = Math.max(1, e.inputTensor(0).dim());
            return e.op("CumSum").in(x).in(e.scalar(dim < 0 ? dim + r : dim, org.kindling.tensor.DType.INT64)).out();
        }
    }

    /**
     * cumprod: without zeros, reverse-cumsum(g * out) / x; with zeros along a lane, the O(n^2)
     * sum over i >= k of g_i times the product of x_j for j <= i, j != k (computed with Tensor ops
     * on an [n, n] matrix per lane), which is exact and differentiable.
     */
    public static final class Cumprod extends Function {
        private final int dim;

        public Cumprod(int dim) {
            this.dim = dim;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor out = in[0].cumprod(dim);
            ctx.saveForBackward(in[0], out);
            return out;
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor[] s = ctx.savedTensors();
            Tensor x = s[0];
            if (x.dim() == 0) return new Tensor[] {g};
            int d = Shape.normalizeDim(dim, x.dim(), "cumprod");
            int n = x.size(d);
            if (n == 0) return new Tensor[] {g};
            if (!anyZero(x)) {
                Tensor gy = g.mul(s[1]);
                return new Tensor[] {gy.flip(d).cumsum(d).flip(d).div(x)};
            }
            Tensor xt = x.transpose(d, -1);                          // [..., n]
            Tensor gt = g.transpose(d, -1);                          // [..., n]
            int[] xs = shape(xt);
            int r = xs.length;
            int[] mat = new int[r + 1];
            System.arraycopy(xs, 0, mat, 0, r - 1);
            mat[r - 1] = n;
            mat[r] = n;
            Tensor ar = Kindling.arange(n);
            Tensor eye = ar.unsqueeze(1).eq(ar.unsqueeze(0));        // [n(k), n(j)]
            // rows k: x with x_k replaced by 1; cumulative product along j.
            Tensor rows = xt.unsqueeze(-2).expand(mat).maskedFill(eye, 1).cumprod(-1);
            Tensor terms = rows.triu(0).mul(gt.unsqueeze(-2));       // keep i >= k
            return new Tensor[] {terms.sum(-1).transpose(d, -1)};
        }
    }

    /** softmax: dx = y * (g - sum(g * y)). */
    public static final class Softmax extends Function implements Traceable {
        private final int dim;

        public Softmax(int dim) {
            this.dim = dim;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor out = in[0].softmax(dim);
            ctx.saveForBackward(out);
            return out;
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor y = ctx.savedTensors()[0];
            if (y.dim() == 0) return new Tensor[] {g.mul(0.0)};
            Tensor gy = g.mul(y);
            return new Tensor[] {gy.sub(y.mul(gy.sum(new int[] {dim}, true)))};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return e.op("Softmax").in(e.input(0)).attr("axis", dim).out();
        }
    }

    /** logSoftmax: dx = g - exp(y) * sum(g). */
    public static final class LogSoftmax extends Function implements Traceable {
        private final int dim;

        public LogSoftmax(int dim) {
            this.dim = dim;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor out = in[0].logSoftmax(dim);
            ctx.saveForBackward(out);
            return out;
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor y = ctx.savedTensors()[0];
            if (y.dim() == 0) return new Tensor[] {g.mul(0.0)};
            return new Tensor[] {g.sub(y.exp().mul(g.sum(new int[] {dim}, true)))};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return e.op("LogSoftmax").in(e.input(0)).attr("axis", dim).out();
        }
    }

}
