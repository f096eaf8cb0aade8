package org.kindling.jit.internal;

import static org.kindling.jit.internal.Ops.one;

import java.util.Arrays;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/**
 * Resize and Upsample as one separable interpolation: along each resized axis the output is a fixed
 * linear combination of input positions, so the axis is resampled with one (out x in) weight matrix
 * (nearest: a gather). This covers every mode, coordinate transform, antialiasing and exclude_outside,
 * and stays differentiable.
 */
final class Resize {

    private Resize() {}

    static void register(OpRegistry r) {
        r.op("Upsample", 7, ctx -> {
            Tensor x = ctx.input(0);
            float[] scales = ctx.opset() >= 9 ? floats(ctx.input(1)) : ctx.attrs().getFloats("scales");
            Params p = new Params(ctx.attrString("mode", "nearest"), "asymmetric", "floor", -0.75, false, 0, false);
            return one(resize(ctx, x, scales, null, null, p));
        });
        r.op("Resize", 10, ctx -> {
            Params p = new Params(ctx.attrString("mode", "nearest"), "asymmetric", "round_prefer_floor", -0.75, false, 0, false);
            // Opset 10's nearest rounds like opset 11's default asymmetric + round_prefer_floor? It floors.
            p = new Params(p.mode, p.coord, "floor", p.cubicA, false, 0, false);
            return one(resize(ctx, ctx.input(0), floats(ctx.input(1)), null, null, p));
        });
        r.op("Resize", 11, ctx -> {
            Tensor x = ctx.input(0);
            Params p = new Params(ctx.attrString("mode", "nearest"),
                    ctx.attrString("coordinate_transformation_mode", "half_pixel"),
                    ctx.attrString("nearest_mode", "round_prefer_floor"),
                    ctx.attrFloat("cubic_coeff_a", -0.75f),
                    ctx.attrInt("exclude_outside", 0) == 1,
                    ctx.attrFloat("extrapolation_value", 0f),
                    ctx.attrInt("antialias", 0) == 1);
            float[] roi = ctx.has(1) && ctx.input(1).numel() > 0 ? floats(ctx.input(1)) : null;
            float[] scales = ctx.has(2) && ctx.input(2).numel() > 0 ? floats(ctx.input(2)) : null;
            long[] sizes = ctx.has(3) && ctx.input(3).numel() > 0 ? Ops.longs(ctx.input(3)) : null;
            int rank = x.dim();
            int[] axes = ctx.attrInts("axes", null);
            if (axes == null) {
                axes = new int[rank];
                for (int i = 0; i < rank; i++) axes[i] = i;
            } else {
                for (int i = 0; i < axes.length; i++) axes[i] = ctx.normalizeAxis(axes[i], rank);
            }
            float[] fullScales = new float[rank];
            Arrays.fill(fullScales, 1f);
            float[] fullRoi = null;
            if (roi != null) {
                fullRoi = new float[2 * rank];
                for (int i = 0; i < rank; i++) fullRoi[rank + i] = 1f;
                for (int i = 0; i < axes.length; i++) {
                    fullRoi[axes[i]] = roi[i];
                    fullRoi[rank + axes[i]] = roi[axes.length + i];
                }
            }
            int[] outSizes = null;
            if (sizes != null) {
                outSizes = Ops.shape(x).clone();
                String policy = ctx.attrString("keep_aspect_ratio_policy", "stretch");
                if (policy.equals("stretch")) {
                    for (int i = 0; i < axes.length; i++) {
                        outSizes[axes[i]] = (int) sizes[i];
                        fullScales[axes[i]] = (float) sizes[i] / x.size(axes[i]);
                    }
                } else {
                    double scale = policy.equals("not_larger") ? Double.MAX_VALUE : 0;
                    for (int i = 0; i < axes.length; i++) {
                        double s = (double) sizes[i] / x.size(axes[i]);
                        scale = policy.equals("not_larger") ? Math.min(scale, s) : Math.max(scale, s);
                    }
                    for (int axis : axes) {
                        outSizes[axis] = (int) Math.floor(scale * x.size(axis) + 0.5);
                        fullScales[axis] = (float) scale;
                    }
                }
            } else if (scales != null) {
                for (int i = 0; i < axes.length; i++) fullScales[axes[i]] = scales[i];
            } else {
                throw ctx.fail("Resize needs scales or sizes");
            }
            return one(resize(ctx, x, fullScales, outSizes, fullRoi, p));
        });
    }

    private record Params(String mode, String coord, String nearest, double cubicA, boolean excludeOutside,
                          double extrapolation, boolean antialias) {}

    private static float[] floats(Tensor t) {
        double[] d = t.to(DType.FLOAT64).reshape(-1).toDoubleArray();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    private static Tensor resize(OpContext ctx, Tensor x, float[] scales, int[] outSizes, float[] roi, Params p) {
        int rank = x.dim();
        if (scales.length != rank) throw ctx.fail("scales has " + scales.length + " values for rank " + rank);
        Tensor y = x;
        for (int axis = 0; axis < rank; axis++) {
            int in = x.size(axis);
            double outLength = outSizes != null ? outSizes[axis] : Math.floor(in * (double) scales[axis]);
            if (!(outLength >= 0 && outLength * Math.max(1, x.numel() / Math.max(1, in)) <= Ops.MAX_ELEMENTS)) {
                throw ctx.fail("output length " + outLength + " along axis " + axis + " is negative or too large");
            }
            int out = (int) outLength;
            if (out == in && scales[axis] == 1f && roi == null) continue;
            double start = roi == null ? 0 : roi[axis], end = roi == null ? 1 : roi[rank + axis];
            y = resample(ctx, y, axis, in, out, scales[axis], start, end, p);
        }
        return y;
    }

    private static double sourceCoordinate(String coord, int o, int in, int out, double scale, double roiStart, double roiEnd) {
        return switch (coord) {
            case "half_pixel" -> (o + 0.5) / scale - 0.5;
            case "half_pixel_symmetric" -> {
                double adjustment = out / (scale * in);
                double offset = in / 2.0 * (1 - adjustment);
                yield offset + (o + 0.5) / scale - 0.5;
            }
            case "pytorch_half_pixel" -> out > 1 ? (o + 0.5) / scale - 0.5 : 0;
            case "align_corners" -> {
                // The reference uses the unrounded output length in * scale here.
                double length = in * scale;
                yield length == 1 ? 0 : o * (in - 1.0) / (length - 1.0);
            }
            case "asymmetric" -> o / scale;
            case "tf_crop_and_resize" -> out > 1 ? roiStart * (in - 1) + o * (roiEnd - roiStart) * (in - 1) / (out - 1)
                    : 0.5 * (roiStart + roiEnd) * (in - 1);
            default -> throw new IllegalArgumentException("coordinate_transformation_mode '" + coord + "' is not one of "
                    + "half_pixel, half_pixel_symmetric, pytorch_half_pixel, align_corners, asymmetric, tf_crop_and_resize");
        };
    }

    private static Tensor resample(OpContext ctx, Tensor x, int axis, int in, int out, double scale, double roiStart,
                                   double roiEnd, Params p) {
        boolean crop = p.coord.equals("tf_crop_and_resize");
        boolean[] outside = new boolean[out];
        if (p.mode.equals("nearest")) {
            long[] idx = new long[out];
            for (int o = 0; o < out; o++) {
                double c = sourceCoordinate(p.coord, o, in, out, scale, roiStart, roiEnd);
                if (crop && (c < 0 || c > in - 1)) outside[o] = true;
                long k = switch (p.nearest) {
                    case "round_prefer_floor" -> (c == Math.floor(c) + 0.5) ? (long) Math.floor(c) : Math.round(c);
                    case "round_prefer_ceil" -> (long) Math.floor(c + 0.5);
                    case "floor" -> (long) Math.floor(c);
                    case "ceil" -> (long) Math.ceil(c);
                    default -> throw ctx.fail("nearest_mode '" + p.nearest + "' is not one of round_prefer_floor, round_prefer_ceil, floor, ceil");
                };
                idx[o] = Math.max(0, Math.min(in - 1, k));
            }
            Tensor y = x.indexSelect(axis, Kindling.fromArray(idx, out));
            return crop ? extrapolate(y, axis, outside, p.extrapolation) : y;
        }
        boolean cubic = p.mode.equals("cubic");
        if (!cubic && !p.mode.equals("linear")) throw ctx.fail("mode '" + p.mode + "' is not one of nearest, linear, cubic");
        double[] w = new double[out * in];
        boolean antialias = p.antialias && scale < 1;
        double support = (cubic ? 2 : 1) / (antialias ? scale : 1);
        for (int o = 0; o < out; o++) {
            double c = sourceCoordinate(p.coord, o, in, out, scale, roiStart, roiEnd);
            if (crop && (c < 0 || c > in - 1)) {
                outside[o] = true;
                continue;
            }
            if (!cubic && !antialias) c = Math.max(0, Math.min(in - 1, c));
            int lo = (int) Math.floor(c - support) + (antialias ? 0 : 1), hi = (int) Math.ceil(c + support) - (antialias ? 0 : 1);
            if (!antialias) {
                lo = (int) Math.floor(c) - (cubic ? 1 : 0);
                hi = (int) Math.floor(c) + (cubic ? 2 : 1);
            }
            double total = 0;
            double[] row = new double[in];
            for (int j = lo; j <= hi; j++) {
                double dist = (j - c) * (antialias ? scale : 1);
                double weight = cubic ? cubicKernel(dist, p.cubicA) : Math.max(0, 1 - Math.abs(dist));
                if (weight == 0) continue;
                if (j < 0 || j >= in) {
                    if (p.excludeOutside) continue;
                    row[Math.max(0, Math.min(in - 1, j))] += weight;
                } else {
                    row[j] += weight;
                }
                total += weight;
            }
            boolean normalize = p.excludeOutside || antialias;
            for (int j = 0; j < in; j++) w[o * in + j] = normalize && total != 0 ? row[j] / total : row[j];
        }
        Tensor weights = Kindling.fromArray(w, out, in).to(x.isFloatingPoint() ? x.dtype() : DType.FLOAT32);
        Tensor moved = x.transpose(axis, x.dim() - 1);
        Tensor xf = x.isFloatingPoint() ? moved : moved.to(DType.FLOAT32);
        Tensor y = xf.matmul(weights.t()).transpose(axis, x.dim() - 1);
        if (!x.isFloatingPoint()) y = y.round().to(x.dtype());
        return crop ? extrapolate(y, axis, outside, p.extrapolation) : y;
    }

    private static double cubicKernel(double d, double a) {
        double x = Math.abs(d);
        if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
        if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
        return 0;
    }

    private static Tensor extrapolate(Tensor y, int axis, boolean[] outside, double value) {
        boolean any = false;
        for (boolean b : outside) any |= b;
        if (!any) return y;
        int[] s = new int[y.dim()];
        Arrays.fill(s, 1);
        s[axis] = outside.length;
        Tensor mask = Kindling.tensor(outside).reshape(s);
        return Kindling.fullLike(y, value).where(mask, y);
    }
}
