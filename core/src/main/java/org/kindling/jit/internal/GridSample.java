package org.kindling.jit.internal;

import static org.kindling.jit.internal.Ops.one;

import java.util.Arrays;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/** GridSample (opsets 16 and 20, any number of spatial dims): nearest, (bi)linear, (bi)cubic; zeros, border, reflection. */
final class GridSample {

    private GridSample() {}

    static void register(OpRegistry r) {
        r.op("GridSample", 16, ctx -> one(sample(ctx)));
    }

    private static Tensor sample(OpContext ctx) {
        Tensor x = ctx.input(0), grid = ctx.input(1);
        String mode = switch (ctx.attrString("mode", ctx.opset() >= 20 ? "linear" : "bilinear")) {
            case "bilinear", "linear" -> "linear";
            case "bicubic", "cubic" -> "cubic";
            case "nearest" -> "nearest";
            default -> throw ctx.fail("mode '" + ctx.attrString("mode", "") + "' is not one of linear, nearest, cubic");
        };
        String padding = ctx.attrString("padding_mode", "zeros");
        boolean align = ctx.attrInt("align_corners", 0) == 1;
        int[] xs = Ops.shape(x), gs = Ops.shape(grid);
        int n = xs.length - 2;
        if (gs[gs.length - 1] != n) throw ctx.fail("grid's last dim " + gs[gs.length - 1] + " must equal the " + n + " spatial dims");
        int[] dims = Arrays.copyOfRange(xs, 2, xs.length);
        int[] outSpatial = Arrays.copyOfRange(gs, 1, gs.length - 1);
        int[] outShape = new int[2 + n];
        outShape[0] = xs[0];
        outShape[1] = xs[1];
        System.arraycopy(outSpatial, 0, outShape, 2, n);
        Ops.checkShape(outShape, "GridSample");
        double[] data = x.to(DType.FLOAT64).contiguous().toDoubleArray();
        double[] g = grid.to(DType.FLOAT64).contiguous().toDoubleArray();
        int plane = 1;
        for (int d : dims) plane *= d;
        int points = 1;
        for (int d : outSpatial) points *= d;
        int[] strides = IndexingOps.strides(dims);
        double[] border = new double[2 * n];
        for (int i = 0; i < n; i++) {
            border[i] = align ? 0 : -0.5;
            border[i + n] = align ? dims[i] - 1 : dims[i] - 0.5;
        }
        double[] out = new double[xs[0] * xs[1] * points];
        double[] coord = new double[n];
        for (int b = 0; b < xs[0]; b++) {
            for (int p = 0; p < points; p++) {
                for (int i = 0; i < n; i++) {
                    // The grid lists coordinates innermost dim first (x, y, ...).
                    double v = g[(b * points + p) * n + (n - 1 - i)];
                    double c = align ? (v + 1) / 2 * (dims[i] - 1) : ((v + 1) * dims[i] - 1) / 2;
                    if (mode.equals("nearest")) c = Math.rint(c);
                    if (c < border[i] || c > border[i + n]) {
                        if (padding.equals("border")) c = Math.max(0, Math.min(dims[i] - 1, c));
                        else if (padding.equals("reflection")) c = reflect(c, border[i], border[i + n]);
                    }
                    coord[i] = c;
                }
                for (int ch = 0; ch < xs[1]; ch++) {
                    int base = (b * xs[1] + ch) * plane;
                    out[(b * xs[1] + ch) * points + p] = interpolate(data, base, dims, strides, border, coord, 0, 0, mode, padding);
                }
            }
        }
        return Kindling.fromArray(out, outShape).to(x.dtype());
    }

    /** Separable interpolation over dims [dim, n), the offset so far fixed for the earlier dims. */
    private static double interpolate(double[] data, int offset, int[] dims, int[] strides, double[] border, double[] coord,
                                      int dim, int partial, String mode, String padding) {
        int n = dims.length;
        if (dim == n) return data[offset + partial];
        double c = coord[dim];
        if (mode.equals("nearest")) {
            int idx = index((int) c, dims[dim], border[dim], border[dim + n], padding);
            return idx < 0 ? 0 : interpolate(data, offset, dims, strides, border, coord, dim + 1, partial + idx * strides[dim], mode, padding);
        }
        int x0 = (int) Math.floor(c);
        double t = c - x0;
        int from, count;
        double[] w;
        if (mode.equals("linear")) {
            from = x0;
            count = 2;
            w = new double[] {1 - t, t};
        } else {
            from = x0 - 1;
            count = 4;
            double a = -0.75;
            double t1 = t + 1, t2 = 1 - t, t3 = 2 - t;
            w = new double[] {((a * t1 - 5 * a) * t1 + 8 * a) * t1 - 4 * a, ((a + 2) * t - (a + 3)) * t * t + 1,
                ((a + 2) * t2 - (a + 3)) * t2 * t2 + 1, ((a * t3 - 5 * a) * t3 + 8 * a) * t3 - 4 * a};
        }
        double sum = 0;
        for (int k = 0; k < count; k++) {
            if (w[k] == 0) continue;
            int idx = index(from + k, dims[dim], border[dim], border[dim + n], padding);
            if (idx < 0) continue;
            sum += w[k] * interpolate(data, offset, dims, strides, border, coord, dim + 1, partial + idx * strides[dim], mode, padding);
        }
        return sum;
    }

    /** The source index for position i, or -1 for a zero (padding "zeros"). */
    private static int index(int i, int size, double lo, double hi, String padding) {
        if (i >= 0 && i < size) return i;
        return switch (padding) {
            case "zeros" -> -1;
            case "border" -> Math.max(0, Math.min(size - 1, i));
            default -> (int) reflect(i, lo, hi);
        };
    }

    private static double reflect(double x, double lo, double hi) {
        double range = hi - lo;
        if (range <= 0) return lo;
        if (x < lo) {
            double dx = lo - x;
            int k = (int) (dx / range);
            double r = dx - k * range;
            return k % 2 == 0 ? lo + r : hi - r;
        }
        if (x > hi) {
            double dx = x - hi;
            int k = (int) (dx / range);
            double r = dx - k * range;
            return k % 2 == 0 ? hi - r : lo + r;
        }
        return x;
    }
}
