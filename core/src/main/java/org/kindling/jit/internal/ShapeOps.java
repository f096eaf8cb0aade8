package org.kindling.jit.internal;

import static org.kindling.jit.internal.Ops.one;
import static org.kindling.jit.internal.Ops.shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Shape;
import org.kindling.tensor.Tensor;

/** Shape and layout: Reshape, Transpose, Concat, Split, Squeeze, Unsqueeze, Flatten, Expand, Tile, Pad, Slice, Shape, ... */
final class ShapeOps {

    private ShapeOps() {}

    static void register(OpRegistry r) {
        r.op("Reshape", 5, ctx -> one(reshape(ctx.input(0), Ops.longs(ctx.input(1)), ctx.attrInt("allowzero", 0) == 1)));
        r.op("Transpose", 1, ctx -> {
            Tensor x = ctx.input(0);
            int[] perm = ctx.attrInts("perm", null);
            if (perm == null) {
                perm = new int[x.dim()];
                for (int i = 0; i < perm.length; i++) perm[i] = perm.length - 1 - i;
            }
            return one(x.permute(perm));
        });
        r.op("Concat", 4, ctx -> {
            List<Tensor> parts = new ArrayList<>();
            for (int i = 0; i < ctx.numInputs(); i++) parts.add(ctx.input(i));
            int axis = ctx.axis("axis", 0, parts.get(0).dim());
            List<Tensor> nonEmpty = parts.stream().filter(t -> t.numel() > 0).toList();
            return one(nonEmpty.isEmpty() ? parts.get(0) : nonEmpty.size() == 1 ? nonEmpty.get(0) : Kindling.cat(nonEmpty, axis));
        });
        r.op("Split", 2, ctx -> split(ctx, ctx.attrInts("split", null)));
        r.op("Split", 13, ctx -> split(ctx, ctx.has(1) ? Ops.ints(ctx.input(1), "split") : null));
        r.op("Squeeze", 1, ctx -> one(squeeze(ctx, ctx.input(0), ctx.attrInts("axes", null))));
        r.op("Squeeze", 13, ctx -> one(squeeze(ctx, ctx.input(0), ctx.has(1) ? Ops.ints(ctx.input(1), "axes") : null)));
        r.op("Unsqueeze", 1, ctx -> one(unsqueeze(ctx, ctx.input(0), ctx.attrInts("axes", new int[0]))));
        r.op("Unsqueeze", 13, ctx -> one(unsqueeze(ctx, ctx.input(0), Ops.ints(ctx.input(1), "axes"))));
        r.op("Flatten", 1, ctx -> {
            Tensor x = ctx.input(0);
            int axis = (int) ctx.attrInt("axis", 1);
            if (axis < 0) axis += x.dim();
            if (axis < 0 || axis > x.dim()) throw ctx.fail("axis " + ctx.attrInt("axis", 1) + " is out of range for rank " + x.dim());
            int[] s = shape(x);
            int outer = 1;
            for (int i = 0; i < axis; i++) outer *= s[i];
            int inner = 1;
            for (int i = axis; i < s.length; i++) inner *= s[i];
            return one(x.reshape(outer, inner));
        });
        r.op("Expand", 8, ctx -> one(expand(ctx.input(0), Ops.ints(ctx.input(1), "shape"))));
        r.op("Tile", 6, ctx -> {
            Tensor x = ctx.input(0);
            int[] reps = Ops.ints(ctx.input(1), "repeats");
            int[] out = Ops.shape(x).clone();
            if (reps.length != out.length) throw ctx.fail("repeats has " + reps.length + " values for rank " + out.length);
            for (int i = 0; i < out.length; i++) out[i] = (int) Math.min(Integer.MAX_VALUE, (long) out[i] * reps[i]);
            Ops.checkShape(out, "Tile");
            return one(x.tile(reps));
        });
        r.op("Pad", 2, ctx -> one(pad(ctx, ctx.input(0), ctx.attrInts("pads", null), ctx.attrFloat("value", 0f), null)));
        r.op("Pad", 11, ctx -> {
            Tensor x = ctx.input(0);
            double value = ctx.has(2) ? ctx.input(2).reshape(-1).to(DType.FLOAT64).toDoubleArray()[0] : 0;
            int[] axes = ctx.has(3) ? Ops.ints(ctx.input(3), "axes") : null;
            return one(pad(ctx, x, Ops.ints(ctx.input(1), "pads"), value, axes));
        });
        r.op("Slice", 1, ctx -> one(slice(ctx, ctx.input(0), toLongs(ctx.attrInts("starts", null)), toLongs(ctx.attrInts("ends", null)),
                toLongs(ctx.attrInts("axes", null)), null)));
        r.op("Slice", 10, ctx -> one(slice(ctx, ctx.input(0), Ops.longs(ctx.input(1)), Ops.longs(ctx.input(2)),
                ctx.has(3) ? Ops.longs(ctx.input(3)) : null, ctx.has(4) ? Ops.longs(ctx.input(4)) : null)));
        r.op("Shape", 1, ctx -> {
            int[] s = shape(ctx.input(0));
            int rank = s.length;
            long start = ctx.attrInt("start", 0), end = ctx.attrInt("end", rank);
            if (start < 0) start += rank;
            if (end < 0) end += rank;
            int from = (int) Math.max(0, Math.min(rank, start)), to = (int) Math.max(from, Math.min(rank, end));
            long[] out = new long[to - from];
            for (int i = from; i < to; i++) out[i - from] = s[i];
            return one(Kindling.fromArray(out, out.length));
        });
        r.op("Size", 1, ctx -> one(Kindling.scalar((long) ctx.input(0).numel())));
        r.op("ConstantOfShape", 9, ctx -> {
            int[] s = Ops.checkShape(Ops.ints(ctx.input(0), "shape"), "ConstantOfShape");
            Tensor value = ctx.attrs().getTensor("value", null);
            if (value == null) return one(Kindling.zeros(s, DType.FLOAT32));
            return one(value.reshape(new int[0]).expand(s).contiguous());
        });
        r.op("Constant", 1, ShapeOps::constant);
        r.op("Range", 11, ctx -> one(range(ctx.input(0), ctx.input(1), ctx.input(2))));
        r.op("EyeLike", 9, ctx -> {
            Tensor x = ctx.input(0);
            DType dt = ctx.attrs().has("dtype") ? Ops.dtype(ctx.attrInt("dtype", 1)) : x.dtype();
            int rows = x.size(0), cols = x.size(1), k = (int) ctx.attrInt("k", 0);
            Ops.checkShape(new int[] {rows, cols}, "EyeLike");
            Tensor eye = Kindling.zeros(new int[] {rows, cols}, dt);
            for (int i = 0; i < rows; i++) {
                int j = i + k;
                if (j >= 0 && j < cols) eye.select(0, i).narrow(0, j, 1).fill_(1);
            }
            return one(eye);
        });
        r.op("Trilu", 14, ctx -> {
            Tensor x = ctx.input(0);
            int k = ctx.has(1) ? (int) Ops.longs(ctx.input(1))[0] : 0;
            if (x.numel() == 0) return one(x);
            return one(ctx.attrInt("upper", 1) == 1 ? x.triu(k) : x.tril(k));
        });
        r.op("DepthToSpace", 1, ctx -> {
            Tensor x = ctx.input(0);
            int b = (int) ctx.attrInt("blocksize", 0);
            int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
            if (ctx.attrString("mode", "DCR").equals("DCR")) {
                return one(x.reshape(n, b, b, c / (b * b), h, w).permute(0, 3, 4, 1, 5, 2).reshape(n, c / (b * b), h * b, w * b));
            }
            return one(x.reshape(n, c / (b * b), b, b, h, w).permute(0, 1, 4, 2, 5, 3).reshape(n, c / (b * b), h * b, w * b));
        });
        r.op("SpaceToDepth", 1, ctx -> {
            Tensor x = ctx.input(0);
            int b = (int) ctx.attrInt("blocksize", 0);
            int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
            return one(x.reshape(n, c, h / b, b, w / b, b).permute(0, 3, 5, 1, 2, 4).reshape(n, c * b * b, h / b, w / b));
        });
    }

    private static long[] toLongs(int[] v) {
        if (v == null) return null;
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i];
        return out;
    }

    static Tensor reshape(Tensor x, long[] spec, boolean allowZero) {
        int[] s = shape(x);
        int[] target = new int[spec.length];
        for (int i = 0; i < spec.length; i++) {
            if (spec[i] == 0 && !allowZero) {
                if (i >= s.length) throw new IllegalArgumentException("Reshape: 0 at position " + i + " copies a dim the input (rank " + s.length + ") lacks");
                target[i] = s[i];
            } else {
                target[i] = (int) spec[i];
            }
        }
        return x.reshape(target);
    }

    private static Tensor[] split(OpContext ctx, int[] sizes) {
        Tensor x = ctx.input(0);
        int axis = ctx.axis("axis", 0, x.dim());
        int dim = x.size(axis);
        int n = ctx.numOutputs();
        if (sizes == null) {
            long numOutputs = ctx.attrInt("num_outputs", 0);
            if (numOutputs > 0) n = (int) numOutputs;
            int chunk = (dim + n - 1) / n;
            sizes = new int[n];
            int left = dim;
            for (int i = 0; i < n; i++) {
                sizes[i] = Math.min(chunk, left);
                left -= sizes[i];
            }
        }
        int total = Arrays.stream(sizes).sum();
        if (total != dim) throw ctx.fail("split sizes " + Arrays.toString(sizes) + " add up to " + total + " but axis " + axis + " has size " + dim);
        Tensor[] out = new Tensor[sizes.length];
        int start = 0;
        for (int i = 0; i < sizes.length; i++) {
            out[i] = x.narrow(axis, start, sizes[i]);
            start += sizes[i];
        }
        return out;
    }

    private static Tensor squeeze(OpContext ctx, Tensor x, int[] axes) {
        int[] s = shape(x);
        if (axes == null) {
            return x.reshape(Arrays.stream(s).filter(d -> d != 1).toArray());
        }
        boolean[] drop = new boolean[s.length];
        for (int a : axes) {
            int d = ctx.normalizeAxis(a, s.length);
            if (s[d] != 1) throw ctx.fail("cannot squeeze axis " + a + " of size " + s[d]);
            drop[d] = true;
        }
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < s.length; i++) if (!drop[i]) keep.add(s[i]);
        return x.reshape(keep.stream().mapToInt(Integer::intValue).toArray());
    }

    static Tensor unsqueeze(OpContext ctx, Tensor x, int[] axes) {
        int outRank = x.dim() + axes.length;
        boolean[] inserted = new boolean[outRank];
        for (int a : axes) {
            int d = ctx.normalizeAxis(a, outRank);
            if (inserted[d]) throw ctx.fail("axis " + a + " is repeated");
            inserted[d] = true;
        }
        int[] s = shape(x);
        int[] out = new int[outRank];
        int k = 0;
        for (int i = 0; i < outRank; i++) out[i] = inserted[i] ? 1 : s[k++];
        return x.reshape(out);
    }

    static Tensor expand(Tensor x, int[] target) {
        int[] s = shape(x);
        int[] out = Ops.checkShape(Shape.broadcast(s, target, "Expand"), "Expand");
        if (s.length < out.length) {
            int[] padded = new int[out.length];
            Arrays.fill(padded, 1);
            System.arraycopy(s, 0, padded, out.length - s.length, s.length);
            x = x.reshape(padded);
        }
        return x.expand(out);
    }

    private static Tensor pad(OpContext ctx, Tensor x, int[] pads, double value, int[] axes) {
        int rank = x.dim();
        if (axes == null) {
            axes = new int[rank];
            for (int i = 0; i < rank; i++) axes[i] = i;
        }
        if (pads.length != 2 * axes.length) throw ctx.fail("pads has " + pads.length + " values; expected " + 2 * axes.length);
        String mode = ctx.attrString("mode", "constant");
        String kmode = switch (mode) {
            case "constant" -> "constant";
            case "reflect" -> "reflect";
            case "edge" -> "replicate";
            case "wrap" -> "circular";
            default -> throw ctx.fail("pad mode '" + mode + "' is not one of constant, reflect, edge, wrap");
        };
        int[] begin = new int[rank], end = new int[rank];
        for (int i = 0; i < axes.length; i++) {
            int d = ctx.normalizeAxis(axes[i], rank);
            begin[d] = pads[i];
            end[d] = pads[i + axes.length];
        }
        // Negative pads crop.
        for (int d = 0; d < rank; d++) {
            if (begin[d] < 0) {
                x = x.narrow(d, -begin[d], x.size(d) + begin[d]);
                begin[d] = 0;
            }
            if (end[d] < 0) {
                x = x.narrow(d, 0, x.size(d) + end[d]);
                end[d] = 0;
            }
        }
        int[] torchPad = new int[2 * rank];
        boolean any = false;
        for (int i = 0; i < rank; i++) {
            int d = rank - 1 - i;
            torchPad[2 * i] = begin[d];
            torchPad[2 * i + 1] = end[d];
            any |= begin[d] != 0 || end[d] != 0;
        }
        if (!any) return x;
        int[] out = Ops.shape(x).clone();
        for (int d = 0; d < rank; d++) out[d] = (int) Math.min(Integer.MAX_VALUE, (long) out[d] + begin[d] + end[d]);
        Ops.checkShape(out, "Pad");
        return x.pad(torchPad, kmode, value);
    }

    private static Tensor slice(OpContext ctx, Tensor x, long[] starts, long[] ends, long[] axes, long[] steps) {
        int rank = x.dim();
        if (axes == null) {
            axes = new long[starts.length];
            for (int i = 0; i < axes.length; i++) axes[i] = i;
        }
        if (starts.length != ends.length || axes.length != starts.length || steps != null && steps.length != starts.length) {
            throw ctx.fail("starts, ends, axes and steps must have the same length");
        }
        Tensor y = x;
        for (int i = 0; i < axes.length; i++) {
            int axis = ctx.normalizeAxis(axes[i], rank);
            long dim = y.size(axis);
            long step = steps == null ? 1 : steps[i];
            if (step == 0) throw ctx.fail("slice step must not be 0");
            long start = starts[i], end = ends[i];
            if (start < 0) start += dim;
            if (end < 0) end += dim;
            if (step > 0) {
                start = Math.max(0, Math.min(dim, start));
                end = Math.max(0, Math.min(dim, end));
                if (end <= start) {
                    y = y.narrow(axis, (int) start, 0);
                } else {
                    y = y.slice(axis, (int) start, (int) end, (int) step);
                }
            } else {
                start = Math.max(-1, Math.min(dim - 1, start));
                end = Math.max(-1, Math.min(dim - 1, end));
                List<Long> idx = new ArrayList<>();
                for (long p = start; p > end; p += step) idx.add(p);
                long[] ix = idx.stream().mapToLong(Long::longValue).toArray();
                y = y.indexSelect(axis, Kindling.fromArray(ix, ix.length));
            }
        }
        return y;
    }

    private static Tensor[] constant(OpContext ctx) {
        var a = ctx.attrs();
        if (a.has("value")) return one(a.getTensor("value"));
        if (a.has("value_float")) return one(Kindling.full(new int[0], a.getFloat("value_float"), DType.FLOAT32));
        if (a.has("value_floats")) {
            float[] f = a.getFloats("value_floats");
            return one(Kindling.fromArray(f, f.length));
        }
        if (a.has("value_int")) return one(Kindling.scalar(a.getInt("value_int")));
        if (a.has("value_ints")) {
            long[] l = a.getInts("value_ints");
            return one(Kindling.fromArray(l, l.length));
        }
        throw ctx.fail("Constant needs one of value, value_float(s), value_int(s); found " + a.names()
                + " (string and sparse constants are not supported)");
    }

    private static Tensor range(Tensor start, Tensor limit, Tensor delta) {
        DType dt = start.dtype();
        double s = start.item(), l = limit.item(), d = delta.item();
        double count = Math.max(Math.ceil((l - s) / d), 0);
        if (!(count <= Ops.MAX_ELEMENTS)) throw new IllegalArgumentException("Range: " + count + " elements is more than " + Ops.MAX_ELEMENTS);
        int n = (int) count;
        if (dt.isFloatingPoint()) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) out[i] = s + i * d;
            return Kindling.fromArray(out, n).to(dt);
        }
        long ls = start.itemLong(), ld = delta.itemLong();
        long[] out = new long[n];
        for (int i = 0; i < n; i++) out[i] = ls + i * ld;
        return Kindling.fromArray(out, n).to(dt);
    }
}
