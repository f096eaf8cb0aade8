package org.kindling.jit.internal;

import static org.kindling.jit.internal.Ops.one;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/** Window functions, ReverseSequence, CenterCropPad, SwiGLU, Det. */
final class MiscOps {

    private MiscOps() {}

    static void register(OpRegistry r) {
        r.op("HannWindow", 17, ctx -> one(window(ctx, (n, d) -> Math.pow(Math.sin(Math.PI * n / d), 2))));
        r.op("HammingWindow", 17, ctx -> one(window(ctx, (n, d) -> 25.0 / 46 - (1 - 25.0 / 46) * Math.cos(2 * Math.PI * n / d))));
        r.op("BlackmanWindow", 17, ctx -> one(window(ctx,
                (n, d) -> 0.42 - 0.5 * Math.cos(2 * Math.PI * n / d) + 0.08 * Math.cos(4 * Math.PI * n / d))));
        r.op("ReverseSequence", 10, ctx -> {
            Tensor x = ctx.input(0);
            long[] lens = Ops.longs(ctx.input(1));
            int batchAxis = (int) ctx.attrInt("batch_axis", 1), timeAxis = (int) ctx.attrInt("time_axis", 0);
            List<Tensor> rows = new ArrayList<>();
            for (int b = 0; b < x.size(batchAxis); b++) {
                Tensor row = x.narrow(batchAxis, b, 1);
                int len = (int) lens[b], total = x.size(timeAxis);
                long[] idx = new long[total];
                for (int t = 0; t < total; t++) idx[t] = t < len ? len - 1 - t : t;
                rows.add(row.indexSelect(timeAxis, Kindling.fromArray(idx, total)));
            }
            return one(Kindling.cat(rows, batchAxis));
        });
        r.op("CenterCropPad", 18, ctx -> {
            Tensor x = ctx.input(0);
            int[] target = Ops.ints(ctx.input(1), "shape");
            int rank = x.dim();
            int[] axes = ctx.attrInts("axes", null);
            if (axes == null) {
                axes = new int[rank];
                for (int i = 0; i < rank; i++) axes[i] = i;
            }
            Tensor y = x;
            for (int i = 0; i < axes.length; i++) {
                int a = ctx.normalizeAxis(axes[i], rank), dim = y.size(a), want = target[i];
                if (want < dim) {
                    y = y.narrow(a, (dim - want) / 2, want);
                } else if (want > dim) {
                    int before = (want - dim) / 2;
                    y = y.pad(NnOps.padPair(rank, a, before, want - dim - before));
                }
            }
            return one(y);
        });
        r.op("SwiGLU", 24, ctx -> {
            Tensor a = ctx.input(0), b = ctx.input(1);
            double alpha = ctx.attrFloat("alpha", 1f);
            return one(a.mul(a.mul(alpha).sigmoid()).mul(b));
        });
        r.unary("Det", 11, MiscOps::det);
        r.op("Unique", 11, MiscOps::unique);
        r.op("NonMaxSuppression", 10, MiscOps::nonMaxSuppression);
        r.op("DFT", 17, ctx -> one(dft(ctx, ctx.attrInt("axis", 1))));
        r.op("DFT", 20, ctx -> one(dft(ctx, ctx.has(2) ? Ops.longs(ctx.input(2))[0] : -2)));
        r.op("MaxUnpool", 11, ctx -> {
            Tensor x = ctx.input(0), indices = ctx.input(1);
            int n = x.dim() - 2;
            int[] kernel = ctx.attrInts("kernel_shape", null);
            if (kernel == null) throw ctx.fail("kernel_shape is required");
            int[] strides = ctx.attrInts("strides", null), pads = ctx.attrInts("pads", new int[2 * n]);
            int[] inferred = Ops.shape(x).clone();
            for (int d = 0; d < n; d++) {
                int s2 = strides == null ? 1 : strides[d];
                inferred[2 + d] = (x.size(2 + d) - 1) * s2 - (pads[d] + pads[n + d]) + kernel[d];
            }
            Ops.checkShape(inferred, "MaxUnpool");
            int total = 1;
            for (int v : inferred) total *= v;
            Tensor flat = Kindling.zeros(new int[] {total}, x.dtype()).scatter(0, indices.reshape(-1).to(DType.INT64), x.reshape(-1));
            Tensor y = flat.reshape(inferred);
            if (ctx.has(2)) {
                int[] target = Ops.checkShape(Ops.ints(ctx.input(2), "output_shape"), "MaxUnpool");
                for (int d = 0; d < target.length; d++) {
                    if (target[d] > y.size(d)) y = y.pad(NnOps.padPair(y.dim(), d, 0, target[d] - y.size(d)));
                }
            }
            return one(y);
        });
        r.op("AffineGrid", 20, ctx -> {
            Tensor theta = ctx.input(0);
            int[] size = Ops.ints(ctx.input(1), "size");
            boolean align = ctx.attrInt("align_corners", 0) == 1;
            int n = size.length - 2;
            int[] spatial = java.util.Arrays.copyOfRange(size, 2, size.length);
            Ops.checkShape(spatial, "AffineGrid");
            int points = 1;
            for (int d : spatial) points *= d;
            double[] base = new double[points * (n + 1)];
            int[] strides = IndexingOps.strides(spatial);
            for (int p = 0; p < points; p++) {
                for (int d = 0; d < n; d++) {
                    int i = (p / strides[d]) % spatial[d];
                    double step = align ? 2.0 / (spatial[d] - 1) : 2.0 / spatial[d];
                    double c = align ? -1 + i * step : -1 + step / 2 + i * step;
                    // Homogeneous coordinates list the innermost dim first: (x, y[, z], 1).
                    base[p * (n + 1) + (n - 1 - d)] = c;
                }
                base[p * (n + 1) + n] = 1;
            }
            Tensor grid = Kindling.fromArray(base, points, n + 1).to(theta.dtype());
            Tensor out = grid.matmul(theta.transpose(1, 2));
            int[] shape = new int[n + 2];
            shape[0] = size[0];
            System.arraycopy(spatial, 0, shape, 1, n);
            shape[n + 1] = n;
            return one(out.reshape(shape));
        });
    }

    private interface WindowFn {
        double at(int n, double denominator);
    }

    private static Tensor window(OpContext ctx, WindowFn fn) {
        long requested = Ops.longs(ctx.input(0))[0];
        if (requested < 0 || requested > Ops.MAX_ELEMENTS) throw ctx.fail("window size " + requested + " is out of range");
        int size = (int) requested;
        boolean periodic = ctx.attrInt("periodic", 1) == 1;
        double denominator = periodic ? size : size - 1;
        double[] w = new double[size];
        for (int n = 0; n < size; n++) w[n] = fn.at(n, denominator);
        return Kindling.fromArray(w, size).to(Ops.dtype(ctx.attrInt("output_datatype", 1)));
    }

    /** Determinant of the trailing square matrices by LU with partial pivoting (no autograd). */
    private static Tensor det(Tensor x) {
        int[] s = Ops.shape(x);
        int n = s[s.length - 1];
        int batch = x.numel() / Math.max(n * n, 1);
        double[] a = x.to(DType.FLOAT64).contiguous().toDoubleArray();
        double[] out = new double[batch];
        IntToDoubleFunction one = b -> {
            double det = 1;
            int o = b * n * n;
            for (int c = 0; c < n; c++) {
                int pivot = c;
                for (int r = c + 1; r < n; r++) if (Math.abs(a[o + r * n + c]) > Math.abs(a[o + pivot * n + c])) pivot = r;
                if (a[o + pivot * n + c] == 0) return 0;
                if (pivot != c) {
                    for (int k = 0; k < n; k++) {
                        double t = a[o + c * n + k];
                        a[o + c * n + k] = a[o + pivot * n + k];
                        a[o + pivot * n + k] = t;
                    }
                    det = -det;
                }
                double p = a[o + c * n + c];
                det *= p;
                for (int r = c + 1; r < n; r++) {
                    double f = a[o + r * n + c] / p;
                    for (int k = c; k < n; k++) a[o + r * n + k] -= f * a[o + c * n + k];
                }
            }
            return det;
        };
        for (int b = 0; b < batch; b++) out[b] = one.applyAsDouble(b);
        int[] outShape = java.util.Arrays.copyOf(s, s.length - 2);
        return Kindling.fromArray(out, outShape).to(x.dtype());
    }

    /** Unique slices along an axis (or elements when no axis), sorted or in first-occurrence order. */
    private static Tensor[] unique(OpContext ctx) {
        Tensor x = ctx.input(0);
        boolean hasAxis = ctx.attrs().has("axis");
        Tensor src = hasAxis ? x : x.reshape(-1);
        int axis = hasAxis ? ctx.axis("axis", 0, x.dim()) : 0;
        int count = src.size(axis);
        Tensor rows = src.transpose(0, axis).contiguous().reshape(count, -1);
        int width = rows.size(1);
        double[] v = rows.to(DType.FLOAT64).toDoubleArray();
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) order[i] = i;
        java.util.Comparator<Integer> lexicographic = (a, b) -> {
            for (int j = 0; j < width; j++) {
                int c = Double.compare(v[a * width + j], v[b * width + j]);
                if (c != 0) return c;
            }
            return Integer.compare(a, b);
        };
        java.util.Arrays.sort(order, lexicographic);
        List<Integer> firsts = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        int[] groupOf = new int[count];
        for (int k = 0; k < count; k++) {
            int i = order[k];
            boolean same = !firsts.isEmpty();
            if (same) {
                int f = firsts.get(firsts.size() - 1);
                for (int j = 0; j < width && same; j++) same = v[f * width + j] == v[i * width + j];
            }
            if (!same) {
                firsts.add(i);
                counts.add(0L);
            }
            groupOf[i] = firsts.size() - 1;
            counts.set(counts.size() - 1, counts.get(counts.size() - 1) + 1);
        }
        int groups = firsts.size();
        Integer[] rank = new Integer[groups];
        for (int g = 0; g < groups; g++) rank[g] = g;
        if (ctx.attrInt("sorted", 1) == 0) java.util.Arrays.sort(rank, (a, b) -> Integer.compare(firsts.get(a), firsts.get(b)));
        int[] position = new int[groups];
        for (int p = 0; p < groups; p++) position[rank[p]] = p;
        long[] indices = new long[groups], countsOut = new long[groups], inverse = new long[count];
        for (int p = 0; p < groups; p++) {
            indices[p] = firsts.get(rank[p]);
            countsOut[p] = counts.get(rank[p]);
        }
        for (int i = 0; i < count; i++) inverse[i] = position[groupOf[i]];
        Tensor y = src.indexSelect(axis, Kindling.fromArray(indices, groups));
        return new Tensor[] {y, Kindling.fromArray(indices, groups), Kindling.fromArray(inverse, count), Kindling.fromArray(countsOut, groups)};
    }

    /** Greedy per-class NMS as the reference: highest score first (ties: lower index), IoU strictly above the threshold suppresses. */
    private static Tensor[] nonMaxSuppression(OpContext ctx) {
        Tensor boxesT = ctx.input(0), scoresT = ctx.input(1);
        long maxPerClass = ctx.has(2) && ctx.input(2).numel() > 0 ? Math.max(Ops.longs(ctx.input(2))[0], 0) : 0;
        double iou = ctx.has(3) && ctx.input(3).numel() > 0 ? ctx.input(3).to(DType.FLOAT64).reshape(-1).toDoubleArray()[0] : 0;
        boolean hasScoreThreshold = ctx.has(4) && ctx.input(4).numel() > 0;
        double scoreThreshold = hasScoreThreshold ? ctx.input(4).to(DType.FLOAT64).reshape(-1).toDoubleArray()[0] : 0;
        boolean center = ctx.attrInt("center_point_box", 0) == 1;
        int batches = boxesT.size(0), boxes = boxesT.size(1), classes = scoresT.size(1);
        double[] b = boxesT.to(DType.FLOAT64).contiguous().toDoubleArray();
        double[] sc = scoresT.to(DType.FLOAT64).contiguous().toDoubleArray();
        List<long[]> selected = new ArrayList<>();
        for (int n = 0; n < batches; n++) {
            for (int c = 0; c < classes; c++) {
                int off = (n * classes + c) * boxes;
                List<Integer> candidates = new ArrayList<>();
                for (int i = 0; i < boxes; i++) if (!hasScoreThreshold || sc[off + i] > scoreThreshold) candidates.add(i);
                candidates.sort((x, y) -> sc[off + x] != sc[off + y] ? Double.compare(sc[off + y], sc[off + x]) : Integer.compare(x, y));
                List<Integer> kept = new ArrayList<>();
                for (int cand : candidates) {
                    if (kept.size() >= maxPerClass) break;
                    boolean keep = true;
                    for (int k : kept) {
                        if (overlaps(b, (n * boxes + cand) * 4, (n * boxes + k) * 4, center, iou)) {
                            keep = false;
                            break;
                        }
                    }
                    if (keep) {
                        kept.add(cand);
                        selected.add(new long[] {n, c, cand});
                    }
                }
            }
        }
        long[] flat = new long[selected.size() * 3];
        for (int i = 0; i < selected.size(); i++) System.arraycopy(selected.get(i), 0, flat, 3 * i, 3);
        return one(Kindling.fromArray(flat, selected.size(), 3));
    }

    private static boolean overlaps(double[] b, int p, int q, boolean center, double threshold) {
        double[] r1 = corners(b, p, center), r2 = corners(b, q, center);
        double ix = Math.min(r1[2], r2[2]) - Math.max(r1[0], r2[0]);
        double iy = Math.min(r1[3], r2[3]) - Math.max(r1[1], r2[1]);
        if (ix <= 0 || iy <= 0) return false;
        double inter = ix * iy;
        double a1 = (r1[2] - r1[0]) * (r1[3] - r1[1]), a2 = (r2[2] - r2[0]) * (r2[3] - r2[1]);
        double union = a1 + a2 - inter;
        if (a1 <= 0 || a2 <= 0 || union <= 0) return false;
        return inter / union > threshold;
    }

    /** {xmin, ymin, xmax, ymax} from [y1, x1, y2, x2] (either corner order) or [x_center, y_center, w, h]. */
    private static double[] corners(double[] b, int p, boolean center) {
        if (center) {
            return new double[] {b[p] - b[p + 2] / 2, b[p + 1] - b[p + 3] / 2, b[p] + b[p + 2] / 2, b[p + 1] + b[p + 3] / 2};
        }
        return new double[] {Math.min(b[p + 1], b[p + 3]), Math.min(b[p], b[p + 2]), Math.max(b[p + 1], b[p + 3]), Math.max(b[p], b[p + 2])};
    }

    /** Discrete Fourier transform along one axis (direct O(n^2) sum); input and output carry a trailing real/imag dim. */
    private static Tensor dft(OpContext ctx, long axisValue) {
        Tensor x = ctx.input(0);
        int[] xs = Ops.shape(x);
        int rank = xs.length;
        int axis = (int) ((axisValue % rank + rank) % rank);
        if (axis == rank - 1) throw ctx.fail("axis " + axisValue + " names the real/imaginary dim");
        boolean inverse = ctx.attrInt("inverse", 0) == 1, onesided = ctx.attrInt("onesided", 0) == 1;
        int n = xs[axis];
        int length = ctx.has(1) && ctx.input(1).numel() > 0 ? (int) Ops.longs(ctx.input(1))[0] : inverse && onesided ? 2 * (n - 1) : n;
        if (length <= 0 || length > Ops.MAX_ELEMENTS) throw ctx.fail("dft_length " + length + " is out of range");
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= xs[i];
        for (int i = axis + 1; i < rank - 1; i++) inner *= xs[i];
        boolean complexIn = xs[rank - 1] == 2;
        double[] v = x.to(DType.FLOAT64).contiguous().toDoubleArray();
        int outLen = inverse ? length : onesided ? length / 2 + 1 : length;
        int parts = inverse && onesided ? 1 : 2;
        int[] outShape = xs.clone();
        outShape[axis] = outLen;
        outShape[rank - 1] = parts;
        Ops.checkShape(outShape, "DFT");
        double[] out = new double[outer * outLen * inner * parts];
        double[] re = new double[length], im = new double[length];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                java.util.Arrays.fill(re, 0);
                java.util.Arrays.fill(im, 0);
                int available = inverse && onesided ? Math.min(n, length / 2 + 1) : Math.min(n, length);
                for (int t = 0; t < available; t++) {
                    int src = ((o * n + t) * inner + in) * xs[rank - 1];
                    re[t] = v[src];
                    im[t] = complexIn ? v[src + 1] : 0;
                }
                if (inverse && onesided) {
                    // Hermitian extension of the one-sided spectrum.
                    for (int k = length / 2 + 1; k < length; k++) {
                        re[k] = re[length - k];
                        im[k] = -im[length - k];
                    }
                    im[0] = 0;
                    if (length % 2 == 0) im[length / 2] = 0;
                }
                double sign = inverse ? 1 : -1;
                for (int k = 0; k < outLen; k++) {
                    double sr = 0, si = 0;
                    for (int t = 0; t < length; t++) {
                        double angle = sign * 2 * Math.PI * ((long) k * t % length) / length;
                        double c = Math.cos(angle), s2 = Math.sin(angle);
                        sr += re[t] * c - im[t] * s2;
                        si += re[t] * s2 + im[t] * c;
                    }
                    if (inverse) {
                        sr /= length;
                        si /= length;
                    }
                    int dst = ((o * outLen + k) * inner + in) * parts;
                    out[dst] = sr;
                    if (parts == 2) out[dst + 1] = si;
                }
            }
        }
        return Kindling.fromArray(out, outShape).to(x.dtype());
    }
}
