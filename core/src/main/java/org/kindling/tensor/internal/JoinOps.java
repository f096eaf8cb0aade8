package org.kindling.tensor.internal;

import java.util.Arrays;
import org.kindling.tensor.DType;
import org.kindling.tensor.Shape;

/** Joins and layout ops that copy: cat, repeat, flip, roll, tril/triu, pad. Views (split, chunk, unbind) are in Tensor. */
public final class JoinOps {
    private JoinOps() {}

    /** PyTorch's legacy rule: 1-D tensors of shape [0] are skipped by cat whatever the other shapes. */
    private static boolean isLegacyEmpty(Buffer b) {
        return b.rank() == 1 && b.shape[0] == 0;
    }

    /** Concatenation along dim; dtypes promote; every other dim must match (error names the tensor index and sizes). */
    public static Buffer cat(Buffer[] parts, int dim) {
        String op = "cat";
        if (parts.length == 0) throw new IllegalArgumentException(op + ": expected a non-empty list of tensors");
        DType dt = parts[0].dtype();
        for (Buffer p : parts) dt = DType.promote(dt, p.dtype());
        Buffer ref = null;
        int refPos = -1;
        for (int i = 0; i < parts.length; i++) {
            Buffer p = parts[i];
            if (p.rank() == 0) {
                throw new IllegalArgumentException(op + ": zero-dimensional tensor (at position " + i
                        + ") cannot be concatenated");
            }
            if (ref == null && !isLegacyEmpty(p)) {
                ref = p;
                refPos = i;
            }
        }
        if (ref == null) {
            Shape.normalizeDim(dim, 1, op);
            return Buffer.allocate(dt, new int[] {0});
        }
        int r = ref.rank();
        int d = Shape.normalizeDim(dim, r, op);
        long total = 0;
        for (int i = 0; i < parts.length; i++) {
            Buffer p = parts[i];
            if (isLegacyEmpty(p)) continue;
            if (p.rank() != r) {
                throw new IllegalArgumentException(op + ": tensors must have same number of dimensions: got " + r
                        + " (tensor at position " + refPos + ", shape " + Arrays.toString(ref.shape) + ") and "
                        + p.rank() + " (tensor at position " + i + ", shape " + Arrays.toString(p.shape) + ")");
            }
            for (int k = 0; k < r; k++) {
                if (k != d && p.shape[k] != ref.shape[k]) {
                    throw new IllegalArgumentException(op + ": sizes of tensors must match except in dimension " + d
                            + ". Expected size " + ref.shape[k] + " but got size " + p.shape[k]
                            + " for tensor number " + i + " in the list (shapes " + Arrays.toString(ref.shape)
                            + " and " + Arrays.toString(p.shape) + ")");
                }
            }
            total += p.shape[d];
        }
        if (total > Integer.MAX_VALUE) throw new IllegalArgumentException(op + ": result is too large");
        int[] outShape = ref.shape.clone();
        outShape[d] = (int) total;
        Buffer out = Buffer.allocate(dt, outShape);
        int off = 0;
        for (Buffer p : parts) {
            if (isLegacyEmpty(p)) continue;
            int len = p.shape[d];
            if (len > 0) Buffer.copyInto(p, out.narrow(d, off, len, op));
            off += len;
        }
        return out;
    }

    /** Stack along a new dim; all shapes equal. */
    public static Buffer stack(Buffer[] parts, int dim) {
        String op = "stack";
        if (parts.length == 0) throw new IllegalArgumentException(op + ": expected a non-empty list of tensors");
        Buffer ref = parts[0];
        for (int i = 1; i < parts.length; i++) {
            if (!Arrays.equals(parts[i].shape, ref.shape)) {
                throw new IllegalArgumentException(op + ": expects each tensor to be equal size, but got "
                        + Arrays.toString(ref.shape) + " at entry 0 and " + Arrays.toString(parts[i].shape)
                        + " at entry " + i);
            }
        }
        int d = Shape.normalizeDim(dim, ref.rank() + 1, op);
        Buffer[] us = new Buffer[parts.length];
        for (int i = 0; i < parts.length; i++) us[i] = parts[i].unsqueeze(d, op);
        return cat(us, d);
    }

    /** {@code Tensor.repeat}: reps.length >= rank; tiles the data. */
    public static Buffer repeat(Buffer a, int[] reps) {
        return repeat(a, reps, "repeat");
    }

    private static Buffer repeat(Buffer a, int[] reps, String op) {
        int r = a.rank();
        int n = reps.length;
        if (n < r) {
            throw new IllegalArgumentException(op + ": number of dimensions of repeat dims (" + n
                    + ") can not be smaller than number of dimensions of tensor (" + r + ")");
        }
        for (int rep : reps) {
            if (rep < 0) {
                throw new IllegalArgumentException(op + ": trying to create tensor with negative dimension " + rep
                        + ": " + Arrays.toString(reps));
            }
        }
        // View a as [rep0, s0, rep1, s1, ...] with stride 0 on the repeat dims, then copy it out.
        int[] inter = new int[2 * n];
        int[] interStrides = new int[2 * n];
        int[] outShape = new int[n];
        long total = 1;
        for (int i = 0; i < n; i++) {
            int j = i - (n - r);
            int size = j < 0 ? 1 : a.shape[j];
            inter[2 * i] = reps[i];
            inter[2 * i + 1] = size;
            interStrides[2 * i + 1] = j < 0 ? 0 : a.strides[j];
            outShape[i] = reps[i] * size;
            total *= outShape[i];
        }
        if (total > Integer.MAX_VALUE) throw new IllegalArgumentException(op + ": result is too large");
        Buffer src = new Buffer(a.storage, a.offset, inter, interStrides);
        Buffer out = Buffer.allocate(a.dtype(), inter);
        Buffer.copyInto(src, out);
        return new Buffer(out.storage, 0, outShape, Buffer.contiguousStrides(outShape));
    }

    /** {@code torch.tile}: like repeat, but reps shorter than rank are padded with leading 1s. */
    public static Buffer tile(Buffer a, int[] reps) {
        int r = a.rank();
        int[] full = reps;
        if (reps.length < r) {
            full = new int[r];
            Arrays.fill(full, 1);
            System.arraycopy(reps, 0, full, r - reps.length, reps.length);
        }
        return repeat(a, full, "tile");
    }

    public static Buffer flip(Buffer a, int[] dims) {
        String op = "flip";
        int r = a.rank();
        boolean[] seen = new boolean[Math.max(r, 1)];
        int off = a.offset;
        int[] st = a.strides.clone();
        for (int dim : dims) {
            int d = Shape.normalizeDim(dim, r, op);
            if (seen[d]) {
                throw new IllegalArgumentException(op + ": dim " + d + " appears multiple times in the list of dims "
                        + Arrays.toString(dims));
            }
            seen[d] = true;
            if (r == 0) continue;
            if (a.shape[d] > 0) off += (a.shape[d] - 1) * st[d];
            st[d] = -st[d];
        }
        return new Buffer(a.storage, off, a.shape.clone(), st).copy();
    }

    /** {@code torch.roll}; empty dims means roll the flattened tensor and restore the shape. */
    public static Buffer roll(Buffer a, int[] shifts, int[] dims) {
        String op = "roll";
        if (dims.length == 0) {
            if (shifts.length != 1) {
                throw new IllegalArgumentException(op + ": shifts and dimensions must align when no dims are given:"
                        + " expected 1 shift but got " + shifts.length);
            }
            Buffer flat = a.reshape(new int[] {a.numel()}, op);
            Buffer rolled = roll(flat, shifts, new int[] {0});
            return new Buffer(rolled.storage, 0, a.shape.clone(), Buffer.contiguousStrides(a.shape));
        }
        if (shifts.length != dims.length) {
            throw new IllegalArgumentException(op + ": shifts and dimensions must align. shifts: " + shifts.length
                    + ", dims: " + dims.length);
        }
        int r = a.rank();
        long[] total = new long[Math.max(r, 1)];
        for (int i = 0; i < dims.length; i++) {
            int d = Shape.normalizeDim(dims[i], r, op);
            total[d] += shifts[i];
        }
        if (r == 0) return a.copy();
        Buffer cur = a;
        for (int d = 0; d < r; d++) {
            int size = a.shape[d];
            if (size == 0) continue;
            int s = (int) Math.floorMod(total[d], (long) size);
            if (s == 0) continue;
            Buffer next = Buffer.allocate(a.dtype(), a.shape);
            Buffer.copyInto(cur.narrow(d, size - s, s, op), next.narrow(d, 0, s, op));
            Buffer.copyInto(cur.narrow(d, 0, size - s, op), next.narrow(d, s, size - s, op));
            cur = next;
        }
        return cur == a ? a.copy() : cur;
    }

    /** Lower (upper) triangle of the last two dims, diagonal offset k. */
    public static Buffer tril(Buffer a, int k) {
        return triangle(a, k, true, "tril");
    }

    public static Buffer triu(Buffer a, int k) {
        return triangle(a, k, false, "triu");
    }

    private static Buffer triangle(Buffer a, int k, boolean lower, String op) {
        int r = a.rank();
        if (r < 2) {
            throw new IllegalArgumentException(op + ": input tensor must have at least 2 dimensions, got " + r
                    + "-D tensor of shape " + Arrays.toString(a.shape));
        }
        Buffer out = a.copy();
        int rows = a.shape[r - 2];
        int cols = a.shape[r - 1];
        int mat = rows * cols;
        if (mat == 0) return out;
        int batches = out.numel() / mat;
        for (int b = 0; b < batches; b++) {
            for (int i = 0; i < rows; i++) {
                long from;
                long to;
                if (lower) { // keep j - i <= k
                    from = Math.max(0L, (long) i + k + 1);
                    to = cols;
                } else { // keep j - i >= k
                    from = 0;
                    to = Math.min((long) cols, (long) i + k);
                }
                if (from < to) {
                    int base = b * mat + i * cols;
                    fill(out.storage, base + (int) from, base + (int) to, 0);
                }
            }
        }
        return out;
    }

    private static void fill(Storage s, int from, int to, double value) {
        switch (s.dtype) {
            case FLOAT32 -> Arrays.fill(s.f32, from, to, (float) value);
            case FLOAT64 -> Arrays.fill(s.f64, from, to, value);
            case INT64 -> Arrays.fill(s.i64, from, to, (long) value);
            case INT32 -> Arrays.fill(s.i32, from, to, (int) (long) value);
            case BOOL -> Arrays.fill(s.bool, from, to, (byte) (value != 0 ? 1 : 0));
        }
    }

    /**
     * {@code F.pad}: pad is (left, right) pairs starting from the LAST dim, as PyTorch; mode is
     * "constant" (value), "reflect" or "replicate". Negative pads crop in constant mode.
     */
    public static Buffer pad(Buffer a, int[] pad, String mode, double value) {
        String op = "pad";
        if (pad.length % 2 != 0) {
            throw new IllegalArgumentException(op + ": padding length must be divisible by 2, got " + pad.length
                    + " " + Arrays.toString(pad));
        }
        int r = a.rank();
        int np = pad.length / 2;
        if (np > r) {
            throw new IllegalArgumentException(op + ": padding length too large: " + Arrays.toString(pad) + " pads "
                    + np + " dimensions but the input " + Arrays.toString(a.shape) + " has only " + r);
        }
        String m = mode == null ? "constant" : mode;
        if (!m.equals("constant") && !m.equals("reflect") && !m.equals("replicate") && !m.equals("circular")) {
            throw new IllegalArgumentException(op + ": unknown padding mode '" + mode
                    + "': expected one of constant, reflect, replicate, circular");
        }
        int[] lo = new int[r];
        int[] hi = new int[r];
        for (int i = 0; i < np; i++) {
            lo[r - 1 - i] = pad[2 * i];
            hi[r - 1 - i] = pad[2 * i + 1];
        }
        int[] outShape = new int[r];
        for (int d = 0; d < r; d++) {
            long s = (long) a.shape[d] + lo[d] + hi[d];
            if (s < 0) {
                throw new IllegalArgumentException(op + ": the input size " + a.shape[d] + ", plus negative padding "
                        + lo[d] + " and " + hi[d] + " resulted in a negative output size, which is invalid. Check"
                        + " dimension " + d + " of your input " + Arrays.toString(a.shape));
            }
            outShape[d] = (int) s;
        }
        if (m.equals("constant")) {
            Buffer out = Buffer.allocate(a.dtype(), outShape);
            if (value != 0) fill(out.storage, 0, out.storage.size, value);
            Buffer src = a;
            Buffer dst = out;
            for (int d = 0; d < r; d++) {
                int srcStart = Math.max(0, -lo[d]);
                int dstStart = Math.max(0, lo[d]);
                long len = (long) a.shape[d] - Math.max(0, -lo[d]) - Math.max(0, -hi[d]);
                if (len <= 0) return out;
                src = src.narrow(d, srcStart, (int) len, op);
                dst = dst.narrow(d, dstStart, (int) len, op);
            }
            Buffer.copyInto(src, dst);
            return out;
        }
        int[][] maps = new int[r][];
        for (int d = 0; d < r; d++) {
            if (lo[d] == 0 && hi[d] == 0) continue;
            int size = a.shape[d];
            switch (m) {
                case "reflect" -> {
                    if (lo[d] >= size || hi[d] >= size) {
                        throw new IllegalArgumentException(op + ": padding size should be less than the corresponding"
                                + " input dimension, but got: padding (" + lo[d] + ", " + hi[d] + ") at dimension " + d
                                + " of input " + Arrays.toString(a.shape));
                    }
                }
                case "replicate" -> {
                    if (size == 0) {
                        throw new IllegalArgumentException(op + ": replicate padding of an empty dimension " + d
                                + " of input " + Arrays.toString(a.shape));
                    }
                }
                default -> { // circular
                    if (lo[d] > size || hi[d] > size) {
                        throw new IllegalArgumentException(op + ": padding value causes wrapping around more than once:"
                                + " padding (" + lo[d] + ", " + hi[d] + ") at dimension " + d + " of input "
                                + Arrays.toString(a.shape));
                    }
                }
            }
            int[] map = new int[outShape[d]];
            for (int j = 0; j < map.length; j++) {
                int src = j - lo[d];
                switch (m) {
                    case "reflect" -> {
                        if (src < 0) src = -src;
                        if (src >= size) src = 2 * (size - 1) - src;
                    }
                    case "replicate" -> src = Math.max(0, Math.min(size - 1, src));
                    default -> src = Math.floorMod(src, size);
                }
                map[j] = src;
            }
            maps[d] = map;
        }
        return gatherByMaps(a, maps, outShape);
    }

    /** {@code out[j0, .., jn] = a[map0[j0], .., mapn[jn]]}; a null map is the identity. */
    private static Buffer gatherByMaps(Buffer a, int[][] maps, int[] outShape) {
        int r = a.rank();
        Buffer out = Buffer.allocate(a.dtype(), outShape);
        if (r == 0) {
            IndexOps.copyElem(out.storage, 0, a.storage, a.offset);
            return out;
        }
        int n = out.numel();
        if (n == 0) return out;
        int[][] offs = new int[r][];
        for (int d = 0; d < r; d++) {
            int[] o = new int[outShape[d]];
            for (int j = 0; j < o.length; j++) o[j] = (maps[d] == null ? j : maps[d][j]) * a.strides[d];
            offs[d] = o;
        }
        int inner = outShape[r - 1];
        int[] innerOffs = offs[r - 1];
        int rows = n / inner;
        int[] idx = new int[r - 1];
        Storage ss = a.storage;
        Storage ds = out.storage;
        int dst = 0;
        for (int row = 0; row < rows; row++) {
            int base = a.offset;
            for (int d = 0; d < r - 1; d++) base += offs[d][idx[d]];
            for (int j = 0; j < inner; j++) IndexOps.copyElem(ds, dst++, ss, base + innerOffs[j]);
            for (int d = r - 2; d >= 0; d--) {
                if (++idx[d] < outShape[d]) break;
                idx[d] = 0;
            }
        }
        return out;
    }
}
