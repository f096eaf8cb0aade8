package org.kindling.tensor.internal;

import java.util.function.LongBinaryOperator;
import org.kindling.kernel.internal.KernelProvider;
import org.kindling.kernel.internal.Kernels;
import org.kindling.kernel.internal.Parallel;
import org.kindling.kernel.internal.ScalarKernels;
import org.kindling.tensor.DType;
import org.kindling.tensor.Shape;

/**
 * Reductions with PyTorch semantics. {@code dims == null} means all dimensions; dims may be
 * negative; {@code keepdim} keeps reduced dims as size 1. Float32 inner loops use the kernels.
 *
 * <p>Every reduction goes through a {@link ReduceGeometry}: one strided row per output. Rows are
 * reduced in parallel across outputs, or, for a single long row (a full reduction), in chunks
 * across threads whose partial results are then combined. Float32 sums add kernel-summed blocks
 * in double, so a long float32 sum keeps about float precision; reductions over leading dims of a
 * contiguous tensor (e.g. {@code x.sum(0)}) accumulate whole rows at a time instead.
 */
public final class ReduceOps {
    private ReduceOps() {}

    private static final Kernels K = KernelProvider.get();
    private static final int GRAIN = Parallel.ELEMENTWISE_GRAIN;
    /**
     * Elements per unit-stride kernel sum call; blocks are added in double. A vectorised kernel sum
     * spreads a block over several float lanes (so each lane sums a few dozen values), the
     * sequential reference does not, so it gets shorter blocks.
     */
    private static final int SUM_BLOCK = sequentialSum(K) ? 64 : 512;

    private static boolean sequentialSum(Kernels k) {
        try {
            return k.getClass().getMethod("sum", int.class, float[].class, int.class, int.class)
                    .getDeclaringClass() == ScalarKernels.class;
        } catch (NoSuchMethodException e) {
            return true;
        }
    }

    // ================================================================ row machinery

    @FunctionalInterface
    private interface RowD {
        /** Reduces row {@code m}: {@code n} elements of s from {@code off} with stride {@code st}. */
        double apply(int m, Storage s, int off, int n, int st);
    }

    @FunctionalInterface
    private interface Combine {
        double apply(double x, double y);
    }

    @FunctionalInterface
    private interface RowL {
        long apply(Storage s, int off, int n, int st);
    }

    private static final Combine ADD = Double::sum;
    private static final Combine MAX = (x, y) -> (x != x || y != y) ? Double.NaN : Math.max(x, y);
    private static final Combine MIN = (x, y) -> (x != x || y != y) ? Double.NaN : Math.min(x, y);

    private static boolean parallel() {
        return Parallel.numThreads() > 1;
    }

    /** One double result per output row; a single long row is split across threads and combined. */
    private static double[] reduceRows(ReduceGeometry g, RowD row, Combine comb) {
        int outer = g.outer();
        int n = g.n;
        int st = g.stride;
        int[] bases = g.bases;
        Storage s = g.src.storage;
        double[] res = new double[outer];
        if (outer == 1 && parallel() && n >= 2 * GRAIN) {
            int chunks = Parallel.numThreads();
            int per = roundUp((n + chunks - 1) / chunks, SUM_BLOCK);
            double[] parts = new double[chunks];
            boolean[] used = new boolean[chunks];
            Parallel.parallelFor(0, chunks, 1, (from, to) -> {
                for (int c = from; c < to; c++) {
                    int lo = (int) Math.min((long) c * per, n);
                    int hi = (int) Math.min((long) lo + per, n);
                    if (lo < hi) {
                        parts[c] = row.apply(0, s, bases[0] + lo * st, hi - lo, st);
                        used[c] = true;
                    }
                }
            });
            double acc = parts[0];
            for (int c = 1; c < chunks; c++) if (used[c]) acc = comb.apply(acc, parts[c]);
            res[0] = acc;
        } else if (outer > 1 && parallel() && (long) outer * n >= GRAIN) {
            Parallel.parallelFor(0, outer, Math.max(1, GRAIN / Math.max(n, 1)), (from, to) -> {
                for (int m = from; m < to; m++) res[m] = row.apply(m, s, bases[m], n, st);
            });
        } else {
            for (int m = 0; m < outer; m++) res[m] = row.apply(m, s, bases[m], n, st);
        }
        return res;
    }

    private static long[] reduceRowsL(ReduceGeometry g, RowL row, LongBinaryOperator comb) {
        int outer = g.outer();
        int n = g.n;
        int st = g.stride;
        int[] bases = g.bases;
        Storage s = g.src.storage;
        long[] res = new long[outer];
        if (outer == 1 && parallel() && n >= 2 * GRAIN) {
            int chunks = Parallel.numThreads();
            int per = (n + chunks - 1) / chunks;
            long[] parts = new long[chunks];
            boolean[] used = new boolean[chunks];
            Parallel.parallelFor(0, chunks, 1, (from, to) -> {
                for (int c = from; c < to; c++) {
                    int lo = (int) Math.min((long) c * per, n);
                    int hi = (int) Math.min((long) lo + per, n);
                    if (lo < hi) {
                        parts[c] = row.apply(s, bases[0] + lo * st, hi - lo, st);
                        used[c] = true;
                    }
                }
            });
            long acc = parts[0];
            for (int c = 1; c < chunks; c++) if (used[c]) acc = comb.applyAsLong(acc, parts[c]);
            res[0] = acc;
        } else if (outer > 1 && parallel() && (long) outer * n >= GRAIN) {
            Parallel.parallelFor(0, outer, Math.max(1, GRAIN / Math.max(n, 1)), (from, to) -> {
                for (int m = from; m < to; m++) res[m] = row.apply(s, bases[m], n, st);
            });
        } else {
            for (int m = 0; m < outer; m++) res[m] = row.apply(s, bases[m], n, st);
        }
        return res;
    }

    /** Runs {@code body} over {@code [0, count)} items of {@code work} elements each, in parallel when large. */
    private static void forItems(int count, long work, Parallel.RangeBody body) {
        if (count > 1 && parallel() && (long) count * work >= GRAIN) {
            Parallel.parallelFor(0, count, (int) Math.max(1, GRAIN / Math.max(work, 1)), body);
        } else {
            body.run(0, count);
        }
    }

    private static int roundUp(int v, int multiple) {
        return (v + multiple - 1) / multiple * multiple;
    }

    private static Buffer outD(DType t, int[] shape, double[] r) {
        Buffer o = Buffer.allocate(t, shape);
        Storage s = o.storage;
        switch (t) {
            case FLOAT32 -> {
                for (int m = 0; m < r.length; m++) s.f32[m] = (float) r[m];
            }
            case FLOAT64 -> System.arraycopy(r, 0, s.f64, 0, r.length);
            default -> {
                for (int m = 0; m < r.length; m++) s.setDouble(m, r[m]);
            }
        }
        return o;
    }

    private static Buffer outL(DType t, int[] shape, long[] r) {
        Buffer o = Buffer.allocate(t, shape);
        Storage s = o.storage;
        if (t == DType.INT64) {
            System.arraycopy(r, 0, s.i64, 0, r.length);
        } else {
            for (int m = 0; m < r.length; m++) s.setLong(m, r[m]);
        }
        return o;
    }

    private static Buffer floating(Buffer a) {
        return a.dtype().isFloatingPoint() ? a : a.castCopy(DType.FLOAT32);
    }

    // ================================================================ row kernels

    /**
     * Float32 sum of a strided run. Unit stride: kernel sums of short blocks, added in double.
     * Other strides (which kernels sum sequentially in float): double accumulators directly.
     */
    private static double sumF32(float[] x, int off, int n, int st) {
        if (st != 1) {
            double a0 = 0;
            double a1 = 0;
            double a2 = 0;
            double a3 = 0;
            int i = 0;
            for (; i + 3 < n; i += 4) {
                int p = off + i * st;
                a0 += x[p];
                a1 += x[p + st];
                a2 += x[p + 2 * st];
                a3 += x[p + 3 * st];
            }
            for (; i < n; i++) a0 += x[off + i * st];
            return (a0 + a1) + (a2 + a3);
        }
        int b = SUM_BLOCK;
        if (n <= b) return K.sum(n, x, off, 1);
        double acc = 0;
        for (int i = 0; i < n; i += b) acc += K.sum(Math.min(b, n - i), x, off + i, 1);
        return acc;
    }

    private static double sumRow(int m, Storage s, int off, int n, int st) {
        if (s.dtype == DType.FLOAT32) return sumF32(s.f32, off, n, st);
        if (s.dtype == DType.FLOAT64) {
            double[] x = s.f64;
            double a0 = 0;
            double a1 = 0;
            int i = 0;
            for (; i + 1 < n; i += 2) {
                a0 += x[off + i * st];
                a1 += x[off + (i + 1) * st];
            }
            if (i < n) a0 += x[off + i * st];
            return a0 + a1;
        }
        double acc = 0;
        for (int i = 0; i < n; i++) acc += s.getDouble(off + i * st);
        return acc;
    }

    private static double maxRow(int m, Storage s, int off, int n, int st) {
        if (s.dtype == DType.FLOAT32) return K.max(n, s.f32, off, st);
        double r = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double v = s.getDouble(off + i * st);
            if (v != v) return Double.NaN;
            if (v > r) r = v;
        }
        return r;
    }

    private static double minRow(int m, Storage s, int off, int n, int st) {
        if (s.dtype == DType.FLOAT32) return K.min(n, s.f32, off, st);
        double r = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double v = s.getDouble(off + i * st);
            if (v != v) return Double.NaN;
            if (v < r) r = v;
        }
        return r;
    }

    private static long sumL(Storage s, int off, int n, int st) {
        long acc = 0;
        switch (s.dtype) {
            case INT64 -> {
                long[] x = s.i64;
                for (int i = 0; i < n; i++) acc += x[off + i * st];
            }
            case INT32 -> {
                int[] x = s.i32;
                for (int i = 0; i < n; i++) acc += x[off + i * st];
            }
            case BOOL -> {
                byte[] x = s.bool;
                for (int i = 0; i < n; i++) acc += x[off + i * st];
            }
            default -> {
                for (int i = 0; i < n; i++) acc += s.getLong(off + i * st);
            }
        }
        return acc;
    }

    private static long prodL(Storage s, int off, int n, int st) {
        long acc = 1;
        for (int i = 0; i < n; i++) acc *= s.getLong(off + i * st);
        return acc;
    }

    private static long maxL(Storage s, int off, int n, int st) {
        long r = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) r = Math.max(r, s.getLong(off + i * st));
        return r;
    }

    private static long minL(Storage s, int off, int n, int st) {
        long r = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) r = Math.min(r, s.getLong(off + i * st));
        return r;
    }

    // ================================================================ sum, mean, prod

    /** Sum; int and bool inputs sum to INT64 unless {@code dtype} is given. */
    public static Buffer sum(Buffer a, int[] dims, boolean keepdim, DType dtype) {
        if (dtype != null && dtype != a.dtype()) a = a.castCopy(dtype);
        DType in = a.dtype();
        DType outT = dtype != null ? dtype : in.isFloatingPoint() ? in : DType.INT64;
        ReduceGeometry g = ReduceGeometry.of(a, dims, keepdim, true, "sum");
        if (in.isFloatingPoint()) return outD(outT, g.outShape, floatSums(g));
        return outL(outT, g.outShape, reduceRowsL(g, ReduceOps::sumL, Long::sum));
    }

    private static double[] floatSums(ReduceGeometry g) {
        double[] v = verticalSums(g);
        return v != null ? v : reduceRows(g, ReduceOps::sumRow, ADD);
    }

    /**
     * Sums over leading dims of a layout whose last kept dim is unit-stride (x.sum(0) of a
     * contiguous matrix): adds whole rows into double accumulators instead of walking columns
     * with a large stride. Null when the layout is not of that kind.
     */
    private static double[] verticalSums(ReduceGeometry g) {
        DType t = g.src.dtype();
        if (!t.isFloatingPoint() || g.n < 2 || g.stride == 1) return null;
        int k = g.keptSizes.length - 1;
        while (k >= 0 && g.keptSizes[k] == 1) k--;
        if (k < 0 || g.keptStrides[k] != 1 || g.keptSizes[k] < 8) return null;
        int w = g.keptSizes[k];
        int outer = g.outer();
        int groups = outer / w;
        int n = g.n;
        int rs = g.stride;
        int[] bases = g.bases;
        final int tile = 1024;
        int tilesPer = (w + tile - 1) / tile;
        double[] res = new double[outer];
        Storage s = g.src.storage;
        forItems(groups * tilesPer, (long) Math.min(tile, w) * n, (from, to) -> {
            for (int t2 = from; t2 < to; t2++) {
                int gi = t2 / tilesPer;
                int c0 = (t2 % tilesPer) * tile;
                int len = Math.min(tile, w - c0);
                int m0 = gi * w + c0;
                int base = bases[m0];
                if (t == DType.FLOAT32) {
                    float[] x = s.f32;
                    for (int r = 0; r < n; r++) {
                        int off = base + r * rs;
                        for (int j = 0; j < len; j++) res[m0 + j] += x[off + j];
                    }
                } else {
                    double[] x = s.f64;
                    for (int r = 0; r < n; r++) {
                        int off = base + r * rs;
                        for (int j = 0; j < len; j++) res[m0 + j] += x[off + j];
                    }
                }
            }
        });
        return res;
    }

    /** Mean; floating inputs only (an integer input is an error naming the dtype, as PyTorch). */
    public static Buffer mean(Buffer a, int[] dims, boolean keepdim) {
        requireFloating(a, "mean(): could not infer output dtype. Input dtype must be either a floating point "
                + "or complex dtype. Got: ");
        ReduceGeometry g = ReduceGeometry.of(a, dims, keepdim, true, "mean");
        double[] r = floatSums(g);
        for (int m = 0; m < r.length; m++) r[m] /= g.n;
        return outD(a.dtype(), g.outShape, r);
    }

    private static void requireFloating(Buffer a, String message) {
        if (!a.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(message + ElementwiseOps.torchName(a.dtype()));
        }
    }

    public static Buffer prod(Buffer a, int[] dims, boolean keepdim) {
        ReduceGeometry g = ReduceGeometry.of(a, dims, keepdim, true, "prod");
        if (a.dtype().isFloatingPoint()) {
            double[] r = reduceRows(g, (m, s, off, n, st) -> {
                double p = 1;
                for (int i = 0; i < n; i++) p *= s.getDouble(off + i * st);
                return p;
            }, (x, y) -> x * y);
            return outD(a.dtype(), g.outShape, r);
        }
        return outL(DType.INT64, g.outShape, reduceRowsL(g, ReduceOps::prodL, (x, y) -> x * y));
    }

    // ================================================================ max, min

    private static void checkNonEmpty(Buffer a, int[] dims, String op) {
        if (a.numel() != 0) return;
        if (dims == null || dims.length == 0) {
            throw new IllegalArgumentException(op + "(): Expected reduction dim to be specified for input.numel() == 0. "
                    + "Specify the reduction dim with the 'dim' argument.");
        }
        boolean[] mask = ReduceGeometry.mask(a.rank(), dims, op);
        for (int d = 0; d < mask.length; d++) {
            if (mask[d] && a.shape[d] == 0) {
                throw new IllegalArgumentException(op + "(): Expected reduction dim " + d
                        + " to have non-zero size (input shape " + java.util.Arrays.toString(a.shape) + ").");
            }
        }
    }

    public static Buffer amax(Buffer a, int[] dims, boolean keepdim) {
        return extreme(a, dims, keepdim, true);
    }

    public static Buffer amin(Buffer a, int[] dims, boolean keepdim) {
        return extreme(a, dims, keepdim, false);
    }

    private static Buffer extreme(Buffer a, int[] dims, boolean keepdim, boolean max) {
        String op = max ? "amax" : "amin";
        checkNonEmpty(a, dims, op);
        ReduceGeometry g = ReduceGeometry.of(a, dims, keepdim, true, op);
        if (a.dtype().isFloatingPoint()) {
            double[] r = max ? reduceRows(g, ReduceOps::maxRow, MAX) : reduceRows(g, ReduceOps::minRow, MIN);
            return outD(a.dtype(), g.outShape, r);
        }
        long[] r = max ? reduceRowsL(g, ReduceOps::maxL, Math::max) : reduceRowsL(g, ReduceOps::minL, Math::min);
        return outL(a.dtype(), g.outShape, r);
    }

    /** {values, indices (INT64)} of the max along dim; ties give the first index. */
    public static Buffer[] maxDim(Buffer a, int dim, boolean keepdim) {
        return argReduce(a, dim, keepdim, true, true, "max");
    }

    public static Buffer[] minDim(Buffer a, int dim, boolean keepdim) {
        return argReduce(a, dim, keepdim, false, true, "min");
    }

    /** Index of the max over the flattened tensor when dim is null. */
    public static Buffer argmax(Buffer a, Integer dim, boolean keepdim) {
        return argReduce(a, dim, keepdim, true, false, "argmax")[1];
    }

    public static Buffer argmin(Buffer a, Integer dim, boolean keepdim) {
        return argReduce(a, dim, keepdim, false, false, "argmin")[1];
    }

    /** {values or null, indices}; NaN counts as the extreme (first NaN wins); ties keep the first index. */
    private static Buffer[] argReduce(Buffer a, Integer dim, boolean keepdim, boolean max, boolean values, String op) {
        int rank = a.rank();
        boolean[] mask = new boolean[rank];
        if (dim == null) {
            checkNonEmpty(a, null, op);
            java.util.Arrays.fill(mask, true);
        } else {
            int d = Shape.normalizeDim(dim, rank, op);
            if (rank > 0) {
                if (a.shape[d] == 0) {
                    throw new IllegalArgumentException(op + "(): Expected reduction dim " + d
                            + " to have non-zero size (input shape " + java.util.Arrays.toString(a.shape) + ").");
                }
                mask[d] = true;
            }
        }
        ReduceGeometry g = ReduceGeometry.of(a, mask, keepdim, false);
        int outer = g.outer();
        int n = g.n;
        int st = g.stride;
        Storage s = g.src.storage;
        long[] idx = new long[outer];
        boolean flt = a.dtype().isFloatingPoint();
        forItems(outer, n, (from, to) -> {
            for (int m = from; m < to; m++) {
                int off = g.bases[m];
                int best = 0;
                if (flt) {
                    double bv = s.getDouble(off);
                    if (bv == bv) {
                        for (int i = 1; i < n; i++) {
                            double v = s.getDouble(off + i * st);
                            if (v != v) {
                                best = i;
                                break;
                            }
                            if (max ? v > bv : v < bv) {
                                bv = v;
                                best = i;
                            }
                        }
                    }
                } else {
                    long bv = s.getLong(off);
                    for (int i = 1; i < n; i++) {
                        long v = s.getLong(off + i * st);
                        if (max ? v > bv : v < bv) {
                            bv = v;
                            best = i;
                        }
                    }
                }
                idx[m] = best;
            }
        });
        Buffer indices = outL(DType.INT64, g.outShape, idx);
        Buffer vals = null;
        if (values) {
            vals = Buffer.allocate(a.dtype(), g.outShape);
            for (int m = 0; m < outer; m++) vals.storage.setFrom(m, s, g.bases[m] + (int) idx[m] * st);
        }
        return new Buffer[] {vals, indices};
    }

    // ================================================================ statistics

    /** Variance with Bessel-style correction (1 = unbiased, PyTorch's default). */
    public static Buffer var(Buffer a, int[] dims, double correction, boolean keepdim) {
        return moments(a, dims, correction, keepdim, false);
    }

    public static Buffer std(Buffer a, int[] dims, double correction, boolean keepdim) {
        return moments(a, dims, correction, keepdim, true);
    }

    private static Buffer moments(Buffer a, int[] dims, double correction, boolean keepdim, boolean sqrt) {
        String op = sqrt ? "std" : "var";
        requireFloating(a, op + "(): std and var only support floating point and complex dtypes, got ");
        ReduceGeometry g = ReduceGeometry.of(a, dims, keepdim, true, op);
        int n = g.n;
        double[] means = floatSums(g);
        for (int m = 0; m < means.length; m++) means[m] /= n;
        double[] m2 = reduceRows(g, (m, s, off, len, st) -> {
            double mu = means[m];
            double acc = 0;
            if (s.dtype == DType.FLOAT32) {
                float[] x = s.f32;
                for (int i = 0; i < len; i++) {
                    double d = x[off + i * st] - mu;
                    acc += d * d;
                }
            } else {
                double[] x = s.f64;
                for (int i = 0; i < len; i++) {
                    double d = x[off + i * st] - mu;
                    acc += d * d;
                }
            }
            return acc;
        }, ADD);
        double denom = Math.max(0.0, n - correction);
        for (int m = 0; m < m2.length; m++) {
            double v = m2[m] / denom;
            m2[m] = sqrt ? Math.sqrt(v) : v;
        }
        return outD(a.dtype(), g.outShape, m2);
    }

    public static Buffer logsumexp(Buffer a, int[] dims, boolean keepdim) {
        Buffer f = floating(a);
        ReduceGeometry g = ReduceGeometry.of(f, dims, keepdim, true, "logsumexp");
        double[] maxes = reduceRows(g, ReduceOps::maxRow, MAX);
        double[] sums = reduceRows(g, (m, s, off, n, st) -> {
            double mx = maxes[m];
            if (Double.isNaN(mx) || Double.isInfinite(mx)) return 0;
            double acc = 0;
            for (int i = 0; i < n; i++) acc += Math.exp(s.getDouble(off + i * st) - mx);
            return acc;
        }, ADD);
        double[] r = new double[maxes.length];
        for (int m = 0; m < r.length; m++) {
            double mx = maxes[m];
            r[m] = Double.isNaN(mx) || Double.isInfinite(mx) ? mx : mx + Math.log(sums[m]);
        }
        return outD(f.dtype(), g.outShape, r);
    }

    /** Vector p-norm over dims: p = 1, 2, any positive p, +Infinity (max abs) or -Infinity (min abs). */
    public static Buffer norm(Buffer a, double p, int[] dims, boolean keepdim) {
        if (Double.isNaN(p)) throw new IllegalArgumentException("norm: p must not be NaN");
        Buffer f = floating(a);
        ReduceGeometry g = ReduceGeometry.of(f, dims, keepdim, true, "norm");
        double[] r;
        if (Double.isInfinite(p)) {
            if (g.n == 0 && g.outer() > 0) {
                throw new IllegalArgumentException("norm: cannot compute the " + (p > 0 ? "" : "-")
                        + "inf norm on an empty tensor because the operation does not have an identity");
            }
            boolean hi = p > 0;
            r = reduceRows(g, (m, s, off, n, st) -> {
                double best = hi ? 0 : Double.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    double v = Math.abs(s.getDouble(off + i * st));
                    if (v != v) return Double.NaN;
                    best = hi ? Math.max(best, v) : Math.min(best, v);
                }
                return best;
            }, hi ? MAX : MIN);
        } else if (p == 0) {
            r = reduceRows(g, (m, s, off, n, st) -> {
                double c = 0;
                for (int i = 0; i < n; i++) if (s.getDouble(off + i * st) != 0) c++;
                return c;
            }, ADD);
        } else if (p == 1) {
            r = reduceRows(g, (m, s, off, n, st) -> {
                double acc = 0;
                for (int i = 0; i < n; i++) acc += Math.abs(s.getDouble(off + i * st));
                return acc;
            }, ADD);
        } else if (p == 2) {
            r = reduceRows(g, (m, s, off, n, st) -> {
                double acc = 0;
                if (s.dtype == DType.FLOAT32) {
                    float[] x = s.f32;
                    for (int i = 0; i < n; i++) {
                        double v = x[off + i * st];
                        acc += v * v;
                    }
                } else {
                    double[] x = s.f64;
                    for (int i = 0; i < n; i++) {
                        double v = x[off + i * st];
                        acc += v * v;
                    }
                }
                return acc;
            }, ADD);
            for (int m = 0; m < r.length; m++) r[m] = Math.sqrt(r[m]);
        } else {
            r = reduceRows(g, (m, s, off, n, st) -> {
                double acc = 0;
                for (int i = 0; i < n; i++) acc += Math.pow(Math.abs(s.getDouble(off + i * st)), p);
                return acc;
            }, ADD);
            for (int m = 0; m < r.length; m++) r[m] = Math.pow(r[m], 1.0 / p);
        }
        return outD(f.dtype(), g.outShape, r);
    }

    /** BOOL: true if every element (over dims) is non-zero. */
    public static Buffer all(Buffer a, int[] dims, boolean keepdim) {
        ReduceGeometry g = ReduceGeometry.of(a, dims, keepdim, true, "all");
        double[] r = reduceRows(g, (m, s, off, n, st) -> {
            for (int i = 0; i < n; i++) if (s.getDouble(off + i * st) == 0) return 0;
            return 1;
        }, Math::min);
        return outD(DType.BOOL, g.outShape, r);
    }

    public static Buffer any(Buffer a, int[] dims, boolean keepdim) {
        ReduceGeometry g = ReduceGeometry.of(a, dims, keepdim, true, "any");
        double[] r = reduceRows(g, (m, s, off, n, st) -> {
            for (int i = 0; i < n; i++) if (s.getDouble(off + i * st) != 0) return 1;
            return 0;
        }, Math::max);
        return outD(DType.BOOL, g.outShape, r);
    }

    // ================================================================ scans and softmax

    /** Lanes along one dim of an input and of a contiguous output of the same shape. */
    private static final class Lanes {
        final int[] in;
        final int[] out;
        final int len;
        final int inStride;
        final int outStride;

        Lanes(Buffer a, Buffer o, int d) {
            int rank = a.rank();
            in = ReduceGeometry.laneBases(a.shape, a.strides, a.offset, d);
            out = ReduceGeometry.laneBases(o.shape, o.strides, o.offset, d);
            len = rank == 0 ? 1 : a.shape[d];
            inStride = rank == 0 ? 1 : a.strides[d];
            outStride = rank == 0 ? 1 : o.strides[d];
        }
    }

    /** Cumulative sum along dim (int/bool inputs give INT64). */
    public static Buffer cumsum(Buffer a, int dim) {
        return scan(a, dim, true, "cumsum");
    }

    public static Buffer cumprod(Buffer a, int dim) {
        return scan(a, dim, false, "cumprod");
    }

    private static Buffer scan(Buffer a, int dim, boolean add, String op) {
        int d = Shape.normalizeDim(dim, a.rank(), op);
        boolean flt = a.dtype().isFloatingPoint();
        Buffer out = Buffer.allocate(flt ? a.dtype() : DType.INT64, a.shape);
        if (a.numel() == 0) return out;
        Lanes l = new Lanes(a, out, d);
        Storage si = a.storage;
        Storage so = out.storage;
        forItems(l.in.length, l.len, (from, to) -> {
            for (int k = from; k < to; k++) {
                int ip = l.in[k];
                int op2 = l.out[k];
                if (flt) {
                    double acc = add ? 0 : 1;
                    for (int i = 0; i < l.len; i++) {
                        double v = si.getDouble(ip + i * l.inStride);
                        acc = add ? acc + v : acc * v;
                        so.setDouble(op2 + i * l.outStride, acc);
                    }
                } else {
                    long acc = add ? 0 : 1;
                    for (int i = 0; i < l.len; i++) {
                        long v = si.getLong(ip + i * l.inStride);
                        acc = add ? acc + v : acc * v;
                        so.i64[op2 + i * l.outStride] = acc;
                    }
                }
            }
        });
        return out;
    }

    /** Softmax (or log-softmax) along dim; integer inputs give float32. */
    public static Buffer softmax(Buffer a, int dim, boolean log) {
        String op = log ? "logSoftmax" : "softmax";
        int rank = a.rank();
        int d = Shape.normalizeDim(dim, rank, op);
        Buffer src = floating(a);
        Buffer out = Buffer.allocate(src.dtype(), a.shape);
        int numel = a.numel();
        if (numel == 0) return out;
        if (src.dtype() == DType.FLOAT32 && src.isContiguous() && (rank == 0 || d == rank - 1)) {
            int n = rank == 0 ? 1 : a.shape[d];
            int rows = numel / n;
            float[] x = src.storage.f32;
            int xo = src.offset;
            float[] o = out.storage.f32;
            Parallel.RangeBody body = (from, to) -> {
                for (int r = from; r < to; r++) K.softmax(n, x, xo + r * n, o, r * n, log);
            };
            // exp dominates: split at a quarter of the elementwise grain.
            if (rows > 1 && parallel() && (long) numel >= GRAIN / 4) {
                Parallel.parallelFor(0, rows, Math.max(1, (GRAIN / 4) / n), body);
            } else {
                body.run(0, rows);
            }
            return out;
        }
        if (src.isContiguous() && rank > 0 && d < rank - 1) {
            if (src.dtype() == DType.FLOAT32) softmaxTransposedF32(src, out, d, log);
            else softmaxColumns(src, out, d, log);
            return out;
        }
        Lanes l = new Lanes(src, out, d);
        Storage si = src.storage;
        Storage so = out.storage;
        forItems(l.in.length, 4L * l.len, (from, to) -> {
            for (int k = from; k < to; k++) {
                int ip = l.in[k];
                int opos = l.out[k];
                double mx = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < l.len; i++) {
                    double v = si.getDouble(ip + i * l.inStride);
                    if (v != v) {
                        mx = Double.NaN;
                        break;
                    }
                    if (v > mx) mx = v;
                }
                if (mx == Double.NEGATIVE_INFINITY) mx = 0; // all -inf: NaN results, as the kernel and PyTorch
                double sum = 0;
                for (int i = 0; i < l.len; i++) {
                    double e = Math.exp(si.getDouble(ip + i * l.inStride) - mx);
                    sum += e;
                    if (!log) so.setDouble(opos + i * l.outStride, e);
                }
                if (log) {
                    double ls = Math.log(sum);
                    for (int i = 0; i < l.len; i++) {
                        so.setDouble(opos + i * l.outStride, si.getDouble(ip + i * l.inStride) - mx - ls);
                    }
                } else {
                    double inv = 1.0 / sum;
                    for (int i = 0; i < l.len; i++) {
                        int p = opos + i * l.outStride;
                        so.setDouble(p, so.getDouble(p) * inv);
                    }
                }
            }
        });
        return out;
    }

    /**
     * Float32 softmax along a non-last dim of a contiguous input: blocks of lanes are transposed
     * into a scratch tile with the tiled {@code copy2d}, reduced there by the row kernel, and
     * transposed back.
     */
    private static void softmaxTransposedF32(Buffer src, Buffer out, int d, boolean log) {
        int len = src.shape[d];
        int w = 1;
        for (int k = d + 1; k < src.rank(); k++) w *= src.shape[k];
        final int width = w;
        int outerN = src.numel() / (len * width);
        // lanes per tile: keep a tile (two scratch copies) around 256 KiB
        final int block = Math.max(1, Math.min(width, (32 * 1024) / Math.max(len, 1)));
        int blocksPer = (width + block - 1) / block;
        float[] x = src.storage.f32;
        float[] o = out.storage.f32;
        int xo = src.offset;
        forItems(outerN * blocksPer, 4L * len * block, (from, to) -> {
            float[] tile = new float[block * len];
            float[] res = new float[block * len];
            for (int t = from; t < to; t++) {
                int oi = t / blocksPer;
                int c0 = (t % blocksPer) * block;
                int cw = Math.min(block, width - c0);
                int base = oi * len * width + c0;
                // tile[j * len + i] = x[base + i * width + j]
                K.copy2d(cw, len, x, xo + base, 1, width, tile, 0, len, 1);
                for (int j = 0; j < cw; j++) K.softmax(len, tile, j * len, res, j * len, log);
                // o[base + i * width + j] = res[j * len + i]
                K.copy2d(len, cw, res, 0, 1, len, o, base, width, 1);
            }
        });
    }

    /**
     * Softmax along a non-last dim of a contiguous input: the lanes for neighbouring trailing
     * indices are adjacent in memory, so blocks of columns are processed together, row by row.
     */
    private static void softmaxColumns(Buffer src, Buffer out, int d, boolean log) {
        int len = src.shape[d];
        int w = 1;
        for (int k = d + 1; k < src.rank(); k++) w *= src.shape[k];
        final int width = w;
        int outerN = src.numel() / (len * width);
        final int block = 256;
        int blocksPer = (width + block - 1) / block;
        boolean f32 = src.dtype() == DType.FLOAT32;
        Storage si = src.storage;
        Storage so = out.storage;
        int xo = src.offset;
        forItems(outerN * blocksPer, 4L * len * Math.min(block, width), (from, to) -> {
            double[] mx = new double[block];
            double[] acc = new double[block];
            for (int t = from; t < to; t++) {
                int o = t / blocksPer;
                int c0 = (t % blocksPer) * block;
                int cw = Math.min(block, width - c0);
                int ob = o * len * width + c0;
                int ib = xo + ob;
                java.util.Arrays.fill(mx, 0, cw, Double.NEGATIVE_INFINITY);
                java.util.Arrays.fill(acc, 0, cw, 0.0);
                for (int i = 0; i < len; i++) {
                    int r = ib + i * width;
                    for (int j = 0; j < cw; j++) {
                        double v = f32 ? si.f32[r + j] : si.f64[r + j];
                        if (v > mx[j] || v != v) mx[j] = v;
                    }
                }
                for (int j = 0; j < cw; j++) if (mx[j] == Double.NEGATIVE_INFINITY) mx[j] = 0;
                for (int i = 0; i < len; i++) {
                    int r = ib + i * width;
                    int q = ob + i * width;
                    for (int j = 0; j < cw; j++) {
                        double e = Math.exp((f32 ? si.f32[r + j] : si.f64[r + j]) - mx[j]);
                        acc[j] += e;
                        if (!log) {
                            if (f32) so.f32[q + j] = (float) e;
                            else so.f64[q + j] = e;
                        }
                    }
                }
                for (int j = 0; j < cw; j++) acc[j] = log ? Math.log(acc[j]) : 1.0 / acc[j];
                for (int i = 0; i < len; i++) {
                    int r = ib + i * width;
                    int q = ob + i * width;
                    for (int j = 0; j < cw; j++) {
                        if (log) {
                            double v = (f32 ? si.f32[r + j] : si.f64[r + j]) - mx[j] - acc[j];
                            if (f32) so.f32[q + j] = (float) v;
                            else so.f64[q + j] = v;
                        } else if (f32) {
                            so.f32[q + j] = (float) (so.f32[q + j] * acc[j]);
                        } else {
                            so.f64[q + j] *= acc[j];
                        }
                    }
                }
            }
        });
    }

    // ================================================================ sort, topk

    /** {values, indices (INT64)}, stable sort along dim; NaN sorts as the largest value, like PyTorch. */
    public static Buffer[] sort(Buffer a, int dim, boolean descending) {
        int d = Shape.normalizeDim(dim, a.rank(), "sort");
        int len = a.rank() == 0 ? 1 : a.shape[d];
        return sortedPrefix(a, d, len, descending);
    }

    /** {values, indices (INT64)} of the k largest (or smallest) along dim, in sorted order. */
    public static Buffer[] topk(Buffer a, int k, int dim, boolean largest) {
        int d = Shape.normalizeDim(dim, a.rank(), "topk");
        int len = a.rank() == 0 ? 1 : a.shape[d];
        if (k < 0 || k > len || (a.rank() == 0 && k != 1)) {
            throw new IllegalArgumentException("topk: selected index k out of range (k = " + k + ", size of dim "
                    + d + " is " + len + ")");
        }
        return sortedPrefix(a, d, k, largest);
    }

    /** The first k of a stable sort along d, as {values, indices}. */
    private static Buffer[] sortedPrefix(Buffer a, int d, int k, boolean descending) {
        int[] shape = a.shape.clone();
        if (shape.length > 0) shape[d] = k;
        Buffer vals = Buffer.allocate(a.dtype(), shape);
        Buffer idx = Buffer.allocate(DType.INT64, shape);
        if (a.numel() == 0 || k == 0) return new Buffer[] {vals, idx};
        Lanes l = new Lanes(a, vals, d);
        int len = l.len;
        Storage si = a.storage;
        Storage sv = vals.storage;
        long[] ix = idx.storage.i64;
        boolean flt = a.dtype().isFloatingPoint();
        forItems(l.in.length, 8L * len, (from, to) -> {
            int[] order = new int[len];
            int[] tmp = new int[len];
            double[] dk = flt ? new double[len] : null;
            long[] lk = flt ? null : new long[len];
            IndexComparator cmp = flt
                    ? (descending ? (i, j) -> compareNanLast(dk[j], dk[i]) : (i, j) -> compareNanLast(dk[i], dk[j]))
                    : (descending ? (i, j) -> Long.compare(lk[j], lk[i]) : (i, j) -> Long.compare(lk[i], lk[j]));
            for (int lane = from; lane < to; lane++) {
                int ip = l.in[lane];
                for (int i = 0; i < len; i++) {
                    if (flt) dk[i] = si.getDouble(ip + i * l.inStride);
                    else lk[i] = si.getLong(ip + i * l.inStride);
                    order[i] = i;
                }
                mergeSort(order, tmp, 0, len, cmp);
                int op = l.out[lane];
                for (int j = 0; j < k; j++) {
                    int p = op + j * l.outStride;
                    sv.setFrom(p, si, ip + order[j] * l.inStride);
                    ix[p] = order[j];
                }
            }
        });
        return new Buffer[] {vals, idx};
    }

    /** Ascending order with NaN after everything; -0.0 and 0.0 tie. */
    private static int compareNanLast(double x, double y) {
        if (x < y) return -1;
        if (x > y) return 1;
        boolean xn = x != x;
        boolean yn = y != y;
        if (xn == yn) return 0;
        return xn ? 1 : -1;
    }

    @FunctionalInterface
    private interface IndexComparator {
        int compare(int i, int j);
    }

    /** Stable merge sort of {@code order[lo, hi)} by the keys the comparator looks up. */
    private static void mergeSort(int[] order, int[] tmp, int lo, int hi, IndexComparator c) {
        if (hi - lo <= 24) {
            for (int i = lo + 1; i < hi; i++) {
                int v = order[i];
                int j = i - 1;
                while (j >= lo && c.compare(order[j], v) > 0) {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = v;
            }
            return;
        }
        int mid = (lo + hi) >>> 1;
        mergeSort(order, tmp, lo, mid, c);
        mergeSort(order, tmp, mid, hi, c);
        if (c.compare(order[mid - 1], order[mid]) <= 0) return;
        System.arraycopy(order, lo, tmp, lo, hi - lo);
        int i = lo;
        int j = mid;
        for (int k = lo; k < hi; k++) {
            if (j >= hi || (i < mid && c.compare(tmp[i], tmp[j]) <= 0)) order[k] = tmp[i++];
            else order[k] = tmp[j++];
        }
    }
}
