package org.kindling.jit.internal;

import static org.kindling.jit.internal.Ops.one;
import static org.kindling.jit.internal.Ops.shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/** Gather/Scatter families, OneHot, NonZero, Compress, TopK, Softmax/LogSoftmax/Hardmax, Einsum. */
final class IndexingOps {

    private IndexingOps() {}

    static void register(OpRegistry r) {
        r.op("Gather", 1, ctx -> {
            Tensor x = ctx.input(0);
            int axis = ctx.axis("axis", 0, x.dim());
            return one(gather(x, axis, ctx.input(1)));
        });
        r.op("GatherElements", 11, ctx -> {
            Tensor x = ctx.input(0);
            int axis = ctx.axis("axis", 0, x.dim());
            return one(x.gather(axis, normalizeIndices(ctx.input(1), x.size(axis))));
        });
        r.op("GatherND", 11, ctx -> one(gatherNd(ctx.input(0), ctx.input(1), (int) ctx.attrInt("batch_dims", 0))));
        r.op("ScatterElements", 11, ctx -> one(scatterElements(ctx, ctx.input(0), ctx.input(1), ctx.input(2))));
        r.op("Scatter", 9, ctx -> one(scatterElements(ctx, ctx.input(0), ctx.input(1), ctx.input(2))));
        r.op("ScatterND", 11, ctx -> one(scatterNd(ctx, ctx.input(0), ctx.input(1), ctx.input(2))));
        r.op("OneHot", 9, ctx -> {
            Tensor indices = ctx.input(0);
            double depthValue = ctx.input(1).to(DType.FLOAT64).reshape(-1).toDoubleArray()[0];
            if (!(depthValue >= 0 && depthValue * Math.max(1, indices.numel()) <= Ops.MAX_ELEMENTS)) {
                throw ctx.fail("depth " + depthValue + " is negative or makes the output larger than " + Ops.MAX_ELEMENTS + " elements");
            }
            int depth = (int) depthValue;
            Tensor values = ctx.input(2).reshape(-1);
            int outRank = indices.dim() + 1;
            int axis = ctx.axis("axis", -1, outRank);
            Tensor idx = indices.to(DType.INT64);
            idx = idx.where(idx.ge(0.0), idx.add((long) depth));
            Tensor classes = Kindling.arange(depth);
            int[] cs = new int[outRank];
            Arrays.fill(cs, 1);
            cs[axis] = depth;
            Tensor hot = ShapeOps.unsqueeze(ctx, idx, new int[] {axis}).eq(classes.reshape(cs));
            return one(values.select(0, 1).where(hot, values.select(0, 0)));
        });
        r.op("NonZero", 9, ctx -> {
            Tensor x = ctx.input(0);
            if (x.dim() == 0) {
                boolean nz = x.to(DType.FLOAT64).item() != 0;
                return one(Kindling.zeros(new int[] {0, nz ? 1 : 0}, DType.INT64));
            }
            return one(x.nonzero().t().contiguous());
        });
        r.op("Compress", 9, ctx -> {
            Tensor x = ctx.input(0);
            boolean[] cond = ctx.input(1).to(DType.BOOL).toBooleanArray();
            Tensor src = ctx.attrs().has("axis") ? x : x.reshape(-1);
            int axis = ctx.attrs().has("axis") ? ctx.axis("axis", 0, x.dim()) : 0;
            List<Long> keep = new ArrayList<>();
            for (int i = 0; i < cond.length && i < src.size(axis); i++) if (cond[i]) keep.add((long) i);
            long[] k = keep.stream().mapToLong(Long::longValue).toArray();
            return one(src.indexSelect(axis, Kindling.fromArray(k, k.length)));
        });
        r.op("TopK", 10, ctx -> {
            Tensor x = ctx.input(0);
            int k = (int) Ops.longs(ctx.input(1))[0];
            int axis = ctx.axis("axis", -1, x.dim());
            boolean largest = ctx.attrInt("largest", 1) == 1;
            Tensor.ValuesIndices vi = x.topk(k, axis, largest);
            return new Tensor[] {vi.values(), vi.indices()};
        });
        r.op("Softmax", 1, ctx -> one(coerced(ctx, ctx.input(0), t -> t.softmax(1))));
        r.op("Softmax", 13, ctx -> one(ctx.input(0).softmax(ctx.axis("axis", -1, ctx.input(0).dim()))));
        r.op("LogSoftmax", 1, ctx -> one(coerced(ctx, ctx.input(0), t -> t.logSoftmax(1))));
        r.op("LogSoftmax", 13, ctx -> one(ctx.input(0).logSoftmax(ctx.axis("axis", -1, ctx.input(0).dim()))));
        r.op("Hardmax", 1, ctx -> one(coerced(ctx, ctx.input(0), t -> hardmax(t, 1))));
        r.op("Hardmax", 13, ctx -> one(hardmax(ctx.input(0), ctx.axis("axis", -1, ctx.input(0).dim()))));
        r.op("Einsum", 12, ctx -> {
            Tensor[] ops = new Tensor[ctx.numInputs()];
            for (int i = 0; i < ops.length; i++) ops[i] = ctx.input(i);
            return one(Kindling.einsum(ctx.attrString("equation", "").replace(" ", ""), ops));
        });
    }

    /** Opset < 13 softmax family: flatten to 2-D at {@code axis} (default 1), apply over dim 1, restore. */
    private static Tensor coerced(OpContext ctx, Tensor x, java.util.function.UnaryOperator<Tensor> fn) {
        int rank = x.dim();
        long axisAttr = ctx.attrInt("axis", 1);
        int axis = (int) (axisAttr < 0 ? axisAttr + rank : axisAttr);
        int[] s = shape(x);
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= s[i];
        for (int i = axis; i < rank; i++) inner *= s[i];
        return fn.apply(x.reshape(outer, inner)).reshape(s);
    }

    private static Tensor hardmax(Tensor x, int axis) {
        Tensor idx = x.argmax(axis, true);
        Tensor positions = Kindling.arange(x.size(axis));
        int[] cs = new int[x.dim()];
        Arrays.fill(cs, 1);
        cs[axis] = x.size(axis);
        return positions.reshape(cs).eq(idx).to(x.dtype());
    }

    static Tensor normalizeIndices(Tensor indices, int dim) {
        Tensor idx = indices.to(DType.INT64);
        return idx.where(idx.ge(0.0), idx.add((long) dim));
    }

    static Tensor gather(Tensor x, int axis, Tensor indices) {
        Tensor idx = normalizeIndices(indices, x.size(axis));
        int[] xs = shape(x), is = shape(idx);
        Tensor picked = x.indexSelect(axis, idx.reshape(-1));
        int[] out = new int[xs.length - 1 + is.length];
        int k = 0;
        for (int i = 0; i < axis; i++) out[k++] = xs[i];
        for (int d : is) out[k++] = d;
        for (int i = axis + 1; i < xs.length; i++) out[k++] = xs[i];
        return picked.reshape(out);
    }

    private static Tensor gatherNd(Tensor data, Tensor indices, int batchDims) {
        int[] ds = shape(data), is = shape(indices);
        int q = is[is.length - 1];
        int batch = 1;
        for (int i = 0; i < batchDims; i++) batch *= ds[i];
        int sliceSize = 1;
        for (int i = batchDims + q; i < ds.length; i++) sliceSize *= ds[i];
        int perBatch = 1;
        for (int i = batchDims; i < batchDims + q; i++) perBatch *= ds[i];
        long[] idx = Ops.longs(indices.reshape(-1));
        int tuples = idx.length / Math.max(q, 1);
        int tuplesPerBatch = tuples / batch;
        long[] rows = new long[tuples];
        for (int t = 0; t < tuples; t++) {
            long flat = 0;
            for (int j = 0; j < q; j++) {
                long v = idx[t * q + j];
                int dim = ds[batchDims + j];
                if (v < 0) v += dim;
                if (v < 0 || v >= dim) throw new IndexOutOfBoundsException("GatherND: index " + idx[t * q + j] + " out of range for dim of size " + dim);
                flat = flat * dim + v;
            }
            rows[t] = (long) (t / tuplesPerBatch) * perBatch + flat;
        }
        Tensor table = data.reshape(batch * perBatch, sliceSize);
        Tensor picked = table.indexSelect(0, Kindling.fromArray(rows, rows.length));
        int[] out = new int[is.length - 1 + ds.length - batchDims - q];
        int k = 0;
        for (int i = 0; i < is.length - 1; i++) out[k++] = is[i];
        for (int i = batchDims + q; i < ds.length; i++) out[k++] = ds[i];
        return picked.reshape(out);
    }

    private static Tensor scatterElements(OpContext ctx, Tensor data, Tensor indices, Tensor updates) {
        int axis = ctx.axis("axis", 0, data.dim());
        Tensor idx = normalizeIndices(indices, data.size(axis));
        String reduction = ctx.attrString("reduction", "none");
        switch (reduction) {
            case "none":
                return data.scatter(axis, idx, updates);
            case "add":
                return data.scatterAdd(axis, idx, updates);
            default:
                return scatterReduce(data, axis, idx, updates, reduction);
        }
    }

    /** Scatter with mul/max/min reduction, element by element. */
    private static Tensor scatterReduce(Tensor data, int axis, Tensor idx, Tensor updates, String reduction) {
        int[] ds = shape(data), us = shape(updates);
        double[] out = data.to(DType.FLOAT64).contiguous().toDoubleArray();
        double[] up = updates.to(DType.FLOAT64).contiguous().toDoubleArray();
        long[] ix = idx.contiguous().toLongArray();
        int[] dstrides = strides(ds), ustrides = strides(us);
        for (int u = 0; u < up.length; u++) {
            int rem = u, off = 0;
            for (int d = 0; d < us.length; d++) {
                int coord = rem / ustrides[d];
                rem %= ustrides[d];
                off += (d == axis ? (int) ix[u] : coord) * dstrides[d];
            }
            out[off] = switch (reduction) {
                case "mul" -> out[off] * up[u];
                case "max" -> Math.max(out[off], up[u]);
                case "min" -> Math.min(out[off], up[u]);
                default -> throw new IllegalArgumentException("reduction '" + reduction + "' is not one of none, add, mul, max, min");
            };
        }
        return Kindling.fromArray(out, ds).to(data.dtype());
    }

    private static Tensor scatterNd(OpContext ctx, Tensor data, Tensor indices, Tensor updates) {
        int[] ds = shape(data), is = shape(indices);
        int q = is[is.length - 1];
        int sliceSize = 1;
        for (int i = q; i < ds.length; i++) sliceSize *= ds[i];
        int rowsTotal = 1;
        for (int i = 0; i < q; i++) rowsTotal *= ds[i];
        long[] idx = Ops.longs(indices.reshape(-1));
        int tuples = idx.length / q;
        double[] out = data.to(DType.FLOAT64).contiguous().toDoubleArray();
        double[] up = updates.to(DType.FLOAT64).contiguous().toDoubleArray();
        String reduction = ctx.attrString("reduction", "none");
        for (int t = 0; t < tuples; t++) {
            long row = 0;
            for (int j = 0; j < q; j++) {
                long v = idx[t * q + j];
                if (v < 0) v += ds[j];
                row = row * ds[j] + v;
            }
            if (row < 0 || row >= rowsTotal) throw ctx.fail("ScatterND index out of range");
            for (int s = 0; s < sliceSize; s++) {
                int o = (int) row * sliceSize + s;
                double u = up[t * sliceSize + s];
                out[o] = switch (reduction) {
                    case "none" -> u;
                    case "add" -> out[o] + u;
                    case "mul" -> out[o] * u;
                    case "max" -> Math.max(out[o], u);
                    case "min" -> Math.min(out[o], u);
                    default -> throw ctx.fail("reduction '" + reduction + "' is not one of none, add, mul, max, min");
                };
            }
        }
        return Kindling.fromArray(out, ds).to(data.dtype());
    }

    static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(shape[i], 1);
        }
        return s;
    }
}
