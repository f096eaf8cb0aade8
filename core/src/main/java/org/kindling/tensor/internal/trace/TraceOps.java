package org.kindling.tensor.internal.trace;

import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/**
 * Helpers shared by the {@link Traceable} descriptions: ONNX type codes, casts to the dtype the
 * engine computes in, and the ops whose signature changed between opsets 13 and 18.
 */
public final class TraceOps {
    private TraceOps() {}

    /** ONNX {@code TensorProto.DataType} code of a dtype. */
    public static int onnxType(DType t) {
        return switch (t) {
            case FLOAT32 -> 1;
            case BOOL -> 9;
            case INT32 -> 6;
            case INT64 -> 7;
            case FLOAT64 -> 11;
        };
    }

    /** {@code v} converted from {@code from} to {@code to} (itself when they agree). */
    public static <V> V cast(TraceEmitter<V> e, V v, DType from, DType to) {
        if (from == to) return v;
        return e.op("Cast").in(v).attr("to", onnxType(to)).out();
    }

    /** The i-th input converted to {@code dtype}. */
    public static <V> V input(TraceEmitter<V> e, int i, DType dtype) {
        return cast(e, e.input(i), e.inputTensor(i).dtype(), dtype);
    }

    /** The value of {@code t} converted to {@code dtype}. */
    public static <V> V value(TraceEmitter<V> e, Tensor t, DType dtype) {
        return cast(e, e.value(t), t.dtype(), dtype);
    }

    /** A one-input op computed in the output's dtype. */
    public static <V> V unary(TraceEmitter<V> e, String op) {
        return e.op(op).in(input(e, 0, e.output().dtype())).out();
    }

    /** A two-input broadcasting op computed in the output's dtype (the engine's type promotion). */
    public static <V> V binary(TraceEmitter<V> e, String op) {
        DType t = e.output().dtype();
        return e.op(op).in(input(e, 0, t)).in(input(e, 1, t)).out();
    }

    /** A comparison: both operands in their promoted dtype, a bool result. */
    public static <V> V compare(TraceEmitter<V> e, String op, boolean negate) {
        DType t = promote(e.inputTensor(0).dtype(), e.inputTensor(1).dtype());
        V r = e.op(op).in(input(e, 0, t)).in(input(e, 1, t)).out();
        return negate ? e.op("Not").in(r).out() : r;
    }

    private static DType promote(DType a, DType b) {
        if (a == b) return a;
        if (a.isFloatingPoint() != b.isFloatingPoint()) return a.isFloatingPoint() ? a : b;
        return a.ordinal() > b.ordinal() ? a : b;
    }

    /** Dims normalised to [0, rank); null or empty means every dim. */
    public static long[] axes(int[] dims, int rank) {
        if (dims == null || dims.length == 0) {
            long[] all = new long[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        long[] a = new long[dims.length];
        for (int i = 0; i < dims.length; i++) a[i] = dims[i] < 0 ? dims[i] + rank : dims[i];
        return a;
    }

    /**
     * {@code op} (ReduceSum, ReduceMean, ReduceMax, ...) over {@code axes} of {@code x}: the axes are an
     * input from opset 13 for ReduceSum and from 18 for the others, an attribute before.
     */
    public static <V> V reduce(TraceEmitter<V> e, String op, V x, long[] axes, boolean keepdim) {
        boolean axesInput = op.equals("ReduceSum") ? e.opset() >= 13 : e.opset() >= 18;
        TraceEmitter.NodeSpec<V> n = e.op(op).in(x);
        if (axesInput) {
            n.in(e.ints(axes));
        } else {
            n.attr("axes", axes);
        }
        return n.attr("keepdims", keepdim ? 1 : 0).out();
    }

    /** A reduction of input 0 over {@code dims} (null: all), computed in the output's dtype. */
    public static <V> V reduce(TraceEmitter<V> e, String op, int[] dims, boolean keepdim) {
        Tensor x = e.inputTensor(0);
        if (x.dim() == 0) return e.op("Identity").in(input(e, 0, e.output().dtype())).out();
        return reduce(e, op, input(e, 0, e.output().dtype()), axes(dims, x.dim()), keepdim);
    }

    /** Unsqueeze (axes an input from opset 13). */
    public static <V> V unsqueeze(TraceEmitter<V> e, V x, long... axes) {
        return e.op("Unsqueeze").in(x).in(e.ints(axes)).out();
    }

    /** Squeeze (axes an input from opset 13). */
    public static <V> V squeeze(TraceEmitter<V> e, V x, long... axes) {
        return e.op("Squeeze").in(x).in(e.ints(axes)).out();
    }

    /** Slice along one axis. */
    public static <V> V slice(TraceEmitter<V> e, V x, long axis, long start, long end, long step) {
        return e.op("Slice").in(x).in(e.ints(start)).in(e.ints(end)).in(e.ints(axis)).in(e.ints(step)).out();
    }

    /** A permutation of dims as a Transpose. */
    public static <V> V transpose(TraceEmitter<V> e, V x, long... perm) {
        return e.op("Transpose").in(x).attr("perm", perm).out();
    }

    /** The permutation swapping two dims of a rank-{@code rank} tensor. */
    public static long[] swap(int rank, int d0, int d1) {
        long[] p = new long[rank];
        for (int i = 0; i < rank; i++) p[i] = i;
        int a = d0 < 0 ? d0 + rank : d0;
        int b = d1 < 0 ? d1 + rank : d1;
        p[a] = b;
        p[b] = a;
        return p;
    }

    /** {@code y = x W^T + b} for inputs (x, W[, b]) as Gemm (2-D x) or MatMul + Add. */
    public static <V> V linear(TraceEmitter<V> e, V x, V w, V b, int inputRank) {
        if (inputRank == 2) {
            TraceEmitter.NodeSpec<V> n = e.op("Gemm").in(x).in(w);
            if (b != null) n.in(b);
            return n.attr("transB", 1).out();
        }
        V y = e.op("MatMul").in(x).in(transpose(e, w, 1, 0)).out();
        return b == null ? y : e.op("Add").in(y).in(b).out();
    }

    /** The standard normal CDF {@code 0.5 (1 + erf(x / sqrt 2))} in dtype {@code t}. */
    public static <V> V normalCdf(TraceEmitter<V> e, V x, DType t) {
        V erf = e.op("Erf").in(e.op("Div").in(x).in(e.scalar(Math.sqrt(2), t)).out()).out();
        return e.op("Mul").in(e.op("Add").in(erf).in(e.scalar(1, t)).out()).in(e.scalar(0.5, t)).out();
    }

    /**
     * A {@code [1, k*h, k*h]} matrix that, as the input weights of an ONNX recurrent op fed with
     * already projected gates, reorders gate blocks of size {@code h}: output block i is input block
     * {@code order[i]}.
     */
    public static Tensor gatePermutation(int[] order, int h, DType dtype) {
        int n = order.length * h;
        double[] p = new double[n * n];
        for (int blk = 0; blk < order.length; blk++) {
            for (int j = 0; j < h; j++) p[(blk * h + j) * n + order[blk] * h + j] = 1;
        }
        return org.kindling.Kindling.fromArray(p, 1, n, n).to(dtype);
    }

    /** Rows of {@code w} (blocks of {@code h} along dim 0) in the given block order, with a leading dim of 1. */
    public static <V> V reorderRows(TraceEmitter<V> e, V w, int[] order, int h) {
        TraceEmitter.NodeSpec<V> cat = e.op("Concat");
        for (int blk : order) cat.in(slice(e, w, 0, (long) blk * h, (long) (blk + 1) * h, 1));
        return unsqueeze(e, cat.attr("axis", 0).out(), 0);
    }

    /** The initial state input {@code i} as ONNX's {@code [1, B, H]}, or absent when it is all zeros (ONNX's default). */
    public static <V> V initialState(TraceEmitter<V> e, int i) {
        if (e.isZeroConstant(e.inputTensor(i))) return e.absent();
        return unsqueeze(e, e.input(i), 0);
    }
}
