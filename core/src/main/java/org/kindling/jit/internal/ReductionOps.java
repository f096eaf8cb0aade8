package org.kindling.jit.internal;

import static org.kindling.jit.internal.Ops.one;

import java.util.Arrays;
import java.util.function.BiFunction;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/** Reduce* (axes as attribute before opset 13/18, as input after), ArgMax/ArgMin, CumSum, CumProd. */
final class ReductionOps {

    private ReductionOps() {}

    private interface Reducer {
        Tensor reduce(Tensor x, int[] dims, boolean keep);
    }

    static void register(OpRegistry r) {
        reduce(r, "ReduceSum", 13, 0, (x, d, k) -> x.sum(d, k));
        reduce(r, "ReduceMean", 18, Double.NaN, (x, d, k) -> x.mean(d, k));
        reduce(r, "ReduceMax", 18, Double.NEGATIVE_INFINITY, (x, d, k) -> x.amax(d, k));
        reduce(r, "ReduceMin", 18, Double.POSITIVE_INFINITY, (x, d, k) -> x.amin(d, k));
        reduce(r, "ReduceProd", 18, 1, ReductionOps::prod);
        reduce(r, "ReduceL1", 18, 0, (x, d, k) -> x.abs().sum(d, k));
        reduce(r, "ReduceL2", 18, 0, (x, d, k) -> x.square().sum(d, k).sqrt());
        reduce(r, "ReduceSumSquare", 18, 0, (x, d, k) -> x.square().sum(d, k));
        reduce(r, "ReduceLogSum", 18, Double.NEGATIVE_INFINITY, (x, d, k) -> x.sum(d, k).log());
        reduce(r, "ReduceLogSumExp", 18, Double.NEGATIVE_INFINITY, (x, d, k) -> x.logsumexp(d, k));
        r.op("ArgMax", 1, ctx -> one(arg(ctx, true)));
        r.op("ArgMin", 1, ctx -> one(arg(ctx, false)));
        r.op("CumSum", 11, ctx -> one(cumulative(ctx, Tensor::cumsum, 0)));
        r.op("CumProd", 26, ctx -> one(cumulative(ctx, Tensor::cumprod, 1)));
    }

    private static void reduce(OpRegistry r, String name, int axesAsInputSince, double emptyValue, Reducer fn) {
        r.op(name, 1, ctx -> one(apply(ctx, ctx.attrInts("axes", null), emptyValue, fn)));
        r.op(name, axesAsInputSince, ctx -> {
            int[] axes = ctx.has(1) ? Ops.ints(ctx.input(1), "axes") : null;
            if ((axes == null || axes.length == 0) && ctx.attrInt("noop_with_empty_axes", 0) == 1) return one(ctx.input(0));
            return one(apply(ctx, axes, emptyValue, fn));
        });
    }

    private static Tensor apply(OpContext ctx, int[] axes, double emptyValue, Reducer fn) {
        Tensor x = ctx.input(0);
        int rank = x.dim();
        boolean keep = ctx.attrInt("keepdims", 1) == 1;
        int[] dims;
        if (axes == null || axes.length == 0) {
            dims = new int[rank];
            for (int i = 0; i < rank; i++) dims[i] = i;
        } else {
            dims = new int[axes.length];
            for (int i = 0; i < axes.length; i++) dims[i] = ctx.normalizeAxis(axes[i], rank);
        }
        if (rank == 0) return x;
        if (x.numel() == 0) {
            int[] shape = Ops.shape(x).clone();
            for (int d : dims) shape[d] = 1;
            Tensor out = Kindling.full(shape, emptyValue, x.dtype());
            if (!keep) out = out.reshape(squeezed(Ops.shape(x), dims));
            return out;
        }
        Tensor y = fn.reduce(x, dims, keep);
        return y.dtype() == x.dtype() ? y : y.to(x.dtype());
    }

    private static int[] squeezed(int[] shape, int[] dims) {
        boolean[] drop = new boolean[shape.length];
        for (int d : dims) drop[d] = true;
        return java.util.stream.IntStream.range(0, shape.length).filter(i -> !drop[i]).map(i -> shape[i]).toArray();
    }

    private static Tensor prod(Tensor x, int[] dims, boolean keep) {
        int[] sorted = dims.clone();
        Arrays.sort(sorted);
        Tensor y = x;
        for (int i = sorted.length - 1; i >= 0; i--) y = y.prod(sorted[i], true);
        return keep ? y : y.reshape(squeezed(Ops.shape(x), dims));
    }

    private static Tensor arg(OpContext ctx, boolean max) {
        Tensor x = ctx.input(0);
        int axis = ctx.axis("axis", 0, x.dim());
        boolean keep = ctx.attrInt("keepdims", 1) == 1;
        boolean last = ctx.attrInt("select_last_index", 0) == 1;
        if (last) {
            Tensor flipped = x.flip(axis);
            Tensor idx = max ? flipped.argmax(axis, keep) : flipped.argmin(axis, keep);
            return idx.rsub((double) (x.size(axis) - 1)).to(DType.INT64);
        }
        return max ? x.argmax(axis, keep) : x.argmin(axis, keep);
    }

    private static Tensor cumulative(OpContext ctx, BiFunction<Tensor, Integer, Tensor> fn, double identity) {
        Tensor x = ctx.input(0);
        int axis = ctx.normalizeAxis(Ops.longs(ctx.input(1))[0], x.dim());
        boolean reverse = ctx.attrInt("reverse", 0) == 1, exclusive = ctx.attrInt("exclusive", 0) == 1;
        Tensor src = reverse ? x.flip(axis) : x;
        Tensor y = fn.apply(src, axis);
        if (exclusive) {
            int n = x.size(axis);
            Tensor head = Kindling.full(withDim(Ops.shape(x), axis, 1), identity, y.dtype());
            y = Kindling.cat(java.util.List.of(head, y.narrow(axis, 0, Math.max(n - 1, 0))), axis);
        }
        if (reverse) y = y.flip(axis);
        return y.dtype() == x.dtype() ? y : y.to(x.dtype());
    }

    static int[] withDim(int[] shape, int dim, int size) {
        int[] s = shape.clone();
        s[dim] = size;
        return s;
    }
}
