package org.kindling.jit.internal;

import static org.kindling.jit.internal.Ops.one;
import static org.kindling.jit.internal.Ops.shape;

import java.util.Arrays;
import org.kindling.Kindling;
import org.kindling.nn.F;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/** Convolution, pooling, normalisation, Gemm/MatMul, Dropout. */
final class NnOps {

    private NnOps() {}

    static void register(OpRegistry r) {
        r.op("Conv", 1, ctx -> one(conv(ctx)));
        r.op("ConvTranspose", 1, ctx -> one(convTranspose(ctx)));
        r.op("MaxPool", 1, ctx -> pool(ctx, Pooling.Kind.MAX));
        r.op("AveragePool", 1, ctx -> pool(ctx, Pooling.Kind.AVG));
        r.op("LpPool", 2, ctx -> pool(ctx, Pooling.Kind.LP));
        r.unary("GlobalAveragePool", 1, x -> x.mean(spatialDims(x), true));
        r.unary("GlobalMaxPool", 1, x -> x.amax(spatialDims(x), true));
        r.op("BatchNormalization", 7, NnOps::batchNorm);
        r.op("LayerNormalization", 17, NnOps::layerNorm);
        r.op("RMSNormalization", 23, ctx -> {
            Tensor x = ctx.input(0);
            int axis = ctx.axis("axis", -1, x.dim());
            int[] dims = range(axis, x.dim());
            double eps = ctx.attrFloat("epsilon", 1e-5f);
            Tensor y = x.mul(x.square().mean(dims, true).add(eps).rsqrt()).mul(ctx.input(1));
            return one(y);
        });
        r.op("InstanceNormalization", 6, ctx -> {
            Tensor x = ctx.input(0);
            int[] dims = spatialDims(x);
            double eps = ctx.attrFloat("epsilon", 1e-5f);
            Tensor mean = x.mean(dims, true);
            Tensor diff = x.sub(mean);
            Tensor y = diff.mul(diff.square().mean(dims, true).add(eps).rsqrt());
            return one(y.mul(channel(ctx.input(1), x.dim())).add(channel(ctx.input(2), x.dim())));
        });
        r.op("GroupNormalization", 18, ctx -> one(groupNorm(ctx, ctx.opset() >= 21)));
        r.op("LRN", 1, NnOps::lrn);
        r.op("Gemm", 7, ctx -> one(gemm(ctx)));
        r.binary("MatMul", 1, Tensor::matmul);
        r.op("Dropout", 7, ctx -> {
            Tensor x = ctx.input(0);
            boolean training = ctx.has(2) && ctx.input(2).to(DType.FLOAT64).item() != 0;
            double ratio = ctx.has(1) ? ctx.input(1).to(DType.FLOAT64).item() : ctx.attrFloat("ratio", 0.5f);
            if (training && ratio > 0) {
                Tensor keep = Kindling.rand(shape(x)).ge(ratio);
                return new Tensor[] {x.mul(keep.to(x.dtype())).div(1 - ratio), keep};
            }
            return new Tensor[] {x, Kindling.ones(shape(x), DType.BOOL)};
        });
        r.op("LpNormalization", 1, ctx -> {
            Tensor x = ctx.input(0);
            int axis = ctx.axis("axis", -1, x.dim());
            long p = ctx.attrInt("p", 2);
            Tensor norm = p == 1 ? x.abs().sum(axis, true) : x.square().sum(axis, true).sqrt();
            // A zero vector stays zero (the reference divides by 1 there).
            return one(x.div(norm.where(norm.ne(0.0), Kindling.onesLike(norm))));
        });
        r.op("MeanVarianceNormalization", 9, ctx -> {
            Tensor x = ctx.input(0);
            int[] axes = ctx.attrInts("axes", new int[] {0, 2, 3});
            for (int i = 0; i < axes.length; i++) axes[i] = ctx.normalizeAxis(axes[i], x.dim());
            Tensor diff = x.sub(x.mean(axes, true));
            return one(diff.div(diff.square().mean(axes, true).sqrt().add(1e-9)));
        });
        Resize.register(r);
    }

    static int[] range(int from, int to) {
        int[] d = new int[Math.max(to - from, 0)];
        for (int i = 0; i < d.length; i++) d[i] = from + i;
        return d;
    }

    static int[] spatialDims(Tensor x) {
        return range(2, x.dim());
    }

    /** A per-channel vector shaped [1, C, 1, ...] for rank-{@code rank} broadcasting. */
    static Tensor channel(Tensor v, int rank) {
        int[] s = new int[rank];
        Arrays.fill(s, 1);
        s[1] = v.numel();
        return v.reshape(s);
    }

    /** Explicit [begin..., end...] pads for the spatial dims, from auto_pad or the pads attribute. */
    static int[] pads(OpContext ctx, int[] in, int[] kernel, int[] strides, int[] dilations) {
        int n = kernel.length;
        String auto = ctx.attrString("auto_pad", "NOTSET");
        int[] p = new int[2 * n];
        if (auto.equals("SAME_UPPER") || auto.equals("SAME_LOWER")) {
            for (int i = 0; i < n; i++) {
                int out = (in[i] + strides[i] - 1) / strides[i];
                int total = Math.max((out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - in[i], 0);
                int small = total / 2;
                p[i] = auto.equals("SAME_UPPER") ? small : total - small;
                p[i + n] = total - p[i];
            }
            return p;
        }
        if (auto.equals("VALID")) return p;
        int[] attr = ctx.attrInts("pads", null);
        if (attr != null) {
            if (attr.length != 2 * n) throw ctx.fail("pads has " + attr.length + " values; expected " + 2 * n);
            return attr;
        }
        return p;
    }

    /** Torch-style pad list (last dim first) for the spatial dims of a rank-(n+2) tensor. */
    static int[] torchPads(int[] pads) {
        int n = pads.length / 2;
        int[] t = new int[2 * n];
        for (int i = 0; i < n; i++) {
            int d = n - 1 - i;
            t[2 * i] = pads[d];
            t[2 * i + 1] = pads[d + n];
        }
        return t;
    }

    static boolean symmetric(int[] pads) {
        int n = pads.length / 2;
        for (int i = 0; i < n; i++) if (pads[i] != pads[i + n]) return false;
        return true;
    }

    private static int[] ones(int n) {
        int[] a = new int[n];
        Arrays.fill(a, 1);
        return a;
    }

    static Tensor gemm(OpContext ctx) {
        Tensor a = ctx.input(0), b = ctx.input(1);
        if (ctx.attrInt("transA", 0) == 1) a = a.t();
        if (ctx.attrInt("transB", 0) == 1) b = b.t();
        double alpha = ctx.attrFloat("alpha", 1f), beta = ctx.attrFloat("beta", 1f);
        Tensor y = a.matmul(b);
        if (alpha != 1) y = y.mul(alpha);
        if (ctx.has(2)) y = y.add(beta == 1 ? ctx.input(2) : ctx.input(2).mul(beta));
        return y;
    }

    static Tensor conv(OpContext ctx) {
        Tensor x = ctx.input(0), w = ctx.input(1), b = ctx.optional(2);
        int n = x.dim() - 2;
        if (n < 1 || n > 2) throw new UnsupportedOperationException("Conv over " + n + " spatial dims is not supported (1-D and 2-D are)");
        int[] kernel = Arrays.copyOfRange(shape(w), 2, w.dim());
        int[] strides = ctx.attrInts("strides", ones(n));
        int[] dil = ctx.attrInts("dilations", ones(n));
        int group = (int) ctx.attrInt("group", 1);
        int[] p = pads(ctx, Arrays.copyOfRange(shape(x), 2, x.dim()), kernel, strides, dil);
        if (n == 1) {
            x = x.unsqueeze(2);
            w = w.unsqueeze(2);
            strides = new int[] {1, strides[0]};
            dil = new int[] {1, dil[0]};
            p = new int[] {0, p[0], 0, p[1]};
        }
        int[] padding = {0, 0};
        if (symmetric(p)) {
            padding = new int[] {p[0], p[1]};
        } else {
            x = x.pad(torchPads(p));
        }
        Tensor y = F.conv2d(x, w, b, strides, padding, dil, group);
        return n == 1 ? y.squeeze(2) : y;
    }

    private static Tensor convTranspose(OpContext ctx) {
        Tensor x = ctx.input(0), w = ctx.input(1), b = ctx.optional(2);
        int n = x.dim() - 2;
        if (n < 1 || n > 2) throw new UnsupportedOperationException("ConvTranspose over " + n + " spatial dims is not supported (1-D and 2-D are)");
        int[] in = Arrays.copyOfRange(shape(x), 2, x.dim());
        int[] kernel = Arrays.copyOfRange(shape(w), 2, w.dim());
        int[] strides = ctx.attrInts("strides", ones(n));
        int[] dil = ctx.attrInts("dilations", ones(n));
        int[] outPad = ctx.attrInts("output_padding", new int[n]);
        int group = (int) ctx.attrInt("group", 1);
        int[] full = new int[n];
        for (int i = 0; i < n; i++) full[i] = strides[i] * (in[i] - 1) + (kernel[i] - 1) * dil[i] + 1;
        int[] p = new int[2 * n];
        int[] outShape = ctx.attrInts("output_shape", null);
        String auto = ctx.attrString("auto_pad", "NOTSET");
        if (outShape != null) {
            int[] target = outShape.length == n ? outShape : Arrays.copyOfRange(outShape, outShape.length - n, outShape.length);
            for (int i = 0; i < n; i++) {
                int total = full[i] + outPad[i] - target[i];
                boolean upper = !auto.equals("SAME_LOWER");
                p[i] = upper ? total / 2 : total - total / 2;
                p[i + n] = total - p[i];
            }
        } else if (auto.equals("SAME_UPPER") || auto.equals("SAME_LOWER")) {
            for (int i = 0; i < n; i++) {
                int target = in[i] * strides[i];
                int total = Math.max(full[i] + outPad[i] - target, 0);
                p[i] = auto.equals("SAME_UPPER") ? total / 2 : total - total / 2;
                p[i + n] = total - p[i];
            }
        } else {
            int[] attr = ctx.attrInts("pads", null);
            if (attr != null) p = attr;
        }
        if (n == 1) {
            x = x.unsqueeze(2);
            w = w.unsqueeze(2);
        }
        int[] s2 = n == 1 ? new int[] {1, strides[0]} : strides;
        int[] d2 = n == 1 ? new int[] {1, dil[0]} : dil;
        Tensor y = F.convTranspose2d(x, w, null, s2, new int[] {0, 0}, new int[] {0, 0}, group, d2);
        if (n == 1) y = y.squeeze(2);
        for (int i = 0; i < n; i++) {
            int d = 2 + i;
            int size = y.size(d);
            int begin = p[i], end = p[i + n] - outPad[i];
            y = y.pad(padPair(y.dim(), d, -begin, -end));
            if (size - begin - end != y.size(d)) throw ctx.fail("inconsistent output size along spatial dim " + i);
        }
        if (b != null) y = y.add(channel(b, y.dim()));
        return y;
    }

    /** A torch pad list that pads only {@code dim} of a rank-{@code rank} tensor (negative values crop). */
    static int[] padPair(int rank, int dim, int before, int after) {
        int[] t = new int[2 * (rank - dim)];
        int i = rank - 1 - dim;
        t[2 * i] = before;
        t[2 * i + 1] = after;
        return t;
    }

    private static Tensor[] pool(OpContext ctx, Pooling.Kind kind) {
        Tensor x = ctx.input(0);
        int n = x.dim() - 2;
        if (n < 1) throw ctx.fail("pooling needs a tensor of rank >= 3, got rank " + x.dim());
        int[] kernel = ctx.attrInts("kernel_shape", null);
        if (kernel == null) throw ctx.fail("kernel_shape is required");
        if (kernel.length != n) throw ctx.fail("kernel_shape has " + kernel.length + " dims for " + n + " spatial dims");
        int[] strides = ctx.attrInts("strides", ones(n));
        int[] dil = ctx.attrInts("dilations", ones(n));
        boolean ceil = ctx.attrInt("ceil_mode", 0) == 1;
        boolean includePad = ctx.attrInt("count_include_pad", 0) == 1;
        int[] p = pads(ctx, Arrays.copyOfRange(shape(x), 2, x.dim()), kernel, strides, dil);
        boolean wantIndices = kind == Pooling.Kind.MAX && ctx.wantsOutput(1);
        boolean fused = n == 2 && !ceil && !wantIndices && kind != Pooling.Kind.LP && symmetric(p)
                && p[0] <= kernel[0] / 2 && p[1] <= kernel[1] / 2 && (kind == Pooling.Kind.MAX || dil[0] == 1 && dil[1] == 1);
        if (fused) {
            int[] padding = {p[0], p[1]};
            return one(kind == Pooling.Kind.MAX ? F.maxPool2d(x, kernel, strides, padding, dil, false)
                    : F.avgPool2d(x, kernel, strides, padding, false, includePad));
        }
        double pNorm = ctx.attrInt("p", 2);
        return Pooling.pool(x, kind, kernel, strides, dil, p, ceil, includePad, pNorm, wantIndices, ctx.attrInt("storage_order", 0) == 1);
    }

    private static Tensor[] batchNorm(OpContext ctx) {
        Tensor x = ctx.input(0), scale = ctx.input(1), bias = ctx.input(2), mean = ctx.input(3), var = ctx.input(4);
        double eps = ctx.attrFloat("epsilon", 1e-5f);
        int rank = x.dim();
        boolean training = ctx.opset() >= 14 ? ctx.attrInt("training_mode", 0) == 1 : ctx.numOutputs() > 1 && ctx.wantsOutput(1);
        if (training) {
            double momentum = ctx.attrFloat("momentum", 0.9f);
            int[] dims = rank > 1 ? concat(new int[] {0}, range(2, rank)) : new int[] {0};
            Tensor bm = x.mean(dims, false);
            Tensor bv = x.sub(channel(bm, rank)).square().mean(dims, false);
            Tensor y = x.sub(channel(bm, rank)).mul(channel(bv.add(eps).rsqrt(), rank)).mul(channel(scale, rank)).add(channel(bias, rank));
            Tensor runMean = mean.mul(momentum).add(bm.mul(1 - momentum));
            Tensor runVar = var.mul(momentum).add(bv.mul(1 - momentum));
            return new Tensor[] {y, runMean, runVar};
        }
        Tensor inv = var.add(eps).rsqrt().mul(scale);
        Tensor y = x.sub(channel(mean, rank)).mul(channel(inv, rank)).add(channel(bias, rank));
        return one(y);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static Tensor[] layerNorm(OpContext ctx) {
        Tensor x = ctx.input(0);
        int axis = ctx.axis("axis", -1, x.dim());
        double eps = ctx.attrFloat("epsilon", 1e-5f);
        int[] dims = range(axis, x.dim());
        Tensor mean = x.mean(dims, true);
        Tensor diff = x.sub(mean);
        Tensor inv = diff.square().mean(dims, true).add(eps).rsqrt();
        Tensor y = diff.mul(inv).mul(ctx.input(1));
        if (ctx.has(2)) y = y.add(ctx.input(2));
        return new Tensor[] {y, mean, inv};
    }

    private static Tensor groupNorm(OpContext ctx, boolean perChannelAffine) {
        Tensor x = ctx.input(0);
        int groups = (int) ctx.attrInt("num_groups", 1);
        double eps = ctx.attrFloat("epsilon", 1e-5f);
        int[] s = shape(x);
        int n = s[0], c = s[1];
        Tensor g = x.reshape(n, groups, -1);
        Tensor diff = g.sub(g.mean(2, true));
        Tensor y = diff.mul(diff.square().mean(2, true).add(eps).rsqrt());
        Tensor scale = ctx.input(1), bias = ctx.input(2);
        if (!perChannelAffine) {
            y = y.mul(scale.reshape(1, groups, 1)).add(bias.reshape(1, groups, 1)).reshape(s);
            return y;
        }
        return y.reshape(s).mul(channel(scale, s.length)).add(channel(bias, s.length));
    }

    private static Tensor[] lrn(OpContext ctx) {
        Tensor x = ctx.input(0);
        int size = (int) ctx.attrInt("size", 1);
        double alpha = ctx.attrFloat("alpha", 1e-4f), beta = ctx.attrFloat("beta", 0.75f), bias = ctx.attrFloat("bias", 1f);
        int before = (size - 1) / 2, after = size - 1 - before;
        Tensor sq = x.square().pad(padPair(x.dim(), 1, before, after));
        int c = x.size(1);
        Tensor sum = sq.narrow(1, 0, c);
        for (int i = 1; i < size; i++) sum = sum.add(sq.narrow(1, i, c));
        return one(x.div(sum.mul(alpha / size).add(bias).pow(beta)));
    }
}
