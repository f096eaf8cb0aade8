package org.kindling.tensor.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kindling.tensor.DType;
import org.kindling.tensor.Shape;

/**
 * Gather/scatter style indexing with PyTorch semantics. Index buffers are INT64 (INT32 accepted);
 * masks are BOOL. Negative indices count from the end where PyTorch allows it (indexSelect does
 * not; advanced indexing and take do). An out-of-range index throws IndexOutOfBoundsException
 * naming the op, the dim, the index and the size.
 */
public final class IndexOps {
    private IndexOps() {}

    // ================================================================ helpers

    private static void requireIndexDtype(Buffer index, String op) {
        DType t = index.dtype();
        if (t != DType.INT64 && t != DType.INT32) {
            throw new IllegalArgumentException(op + ": expected dtype int64 (or int32) for index but found "
                    + t.pytorchName());
        }
    }

    private static void requireBoolMask(Buffer mask, String op) {
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException(op + ": expected dtype bool for mask but found "
                    + mask.dtype().pytorchName());
        }
    }

    private static IndexOutOfBoundsException outOfBounds(String op, long index, int dim, int size) {
        return new IndexOutOfBoundsException(op + ": index " + index + " is out of bounds for dimension " + dim
                + " with size " + size);
    }

    /** The index values of any-shaped integer buffer in row-major order. */
    private static long[] readIndices(Buffer index) {
        long[] out = new long[index.numel()];
        Storage s = index.storage;
        int[] k = {0};
        StridedLoop.forEachRow(index.shape, index.strides, index.offset, (n, o, st) -> {
            for (int i = 0; i < n; i++) out[k[0]++] = s.getLong(o + i * st);
        });
        return out;
    }

    /** dst[di] = src[si], converting dtypes; direct array access when the dtypes agree. */
    static void copyElem(Storage dst, int di, Storage src, int si) {
        if (dst.dtype == src.dtype) {
            switch (dst.dtype) {
                case FLOAT32 -> dst.f32[di] = src.f32[si];
                case FLOAT64 -> dst.f64[di] = src.f64[si];
                case INT64 -> dst.i64[di] = src.i64[si];
                case INT32 -> dst.i32[di] = src.i32[si];
                case BOOL -> dst.bool[di] = src.bool[si];
            }
        } else {
            dst.setFrom(di, src, si);
        }
    }

    /** dst[di] += src[si] in dst's dtype (logical or for bool). */
    static void addElem(Storage dst, int di, Storage src, int si) {
        switch (dst.dtype) {
            case FLOAT32 -> dst.f32[di] += src.dtype == DType.FLOAT32 ? src.f32[si] : (float) src.getDouble(si);
            case FLOAT64 -> dst.f64[di] += src.getDouble(si);
            case INT64 -> dst.i64[di] += src.dtype.isFloatingPoint() ? (long) src.getDouble(si) : src.getLong(si);
            case INT32 -> dst.i32[di] += src.dtype.isFloatingPoint() ? (int) (long) src.getDouble(si)
                    : (int) src.getLong(si);
            case BOOL -> dst.bool[di] = (byte) (dst.bool[di] != 0 || src.getDouble(si) != 0 ? 1 : 0);
        }
    }

    /** A 0-dim buffer seen as shape [1] (PyTorch's ensure_nonempty_dim for gather/scatter). */
    private static Buffer atLeast1d(Buffer b) {
        return b.rank() == 0 ? new Buffer(b.storage, b.offset, new int[] {1}, new int[] {1}) : b;
    }

    // ================================================================ indexSelect / gather / scatter

    public static Buffer indexSelect(Buffer a, int dim, Buffer index) {
        String op = "indexSelect";
        requireIndexDtype(index, op);
        if (index.rank() > 1) {
            throw new IllegalArgumentException(op + ": index is supposed to be a vector (0-D or 1-D), got shape "
                    + Arrays.toString(index.shape));
        }
        int r = a.rank();
        int d = Shape.normalizeDim(dim, r, op);
        int size = r == 0 ? 1 : a.shape[d];
        long[] idx = readIndices(index);
        for (long v : idx) {
            if (v < 0 || v >= size) throw outOfBounds(op, v, d, size);
        }
        if (r == 0) {
            if (idx.length != 1) {
                throw new IllegalArgumentException(op + ": index to a 0-dim tensor can have only 1 value, got "
                        + idx.length);
            }
            return a.copy();
        }
        int[] outShape = a.shape.clone();
        outShape[d] = idx.length;
        Buffer out = Buffer.allocate(a.dtype(), outShape);
        for (int i = 0; i < idx.length; i++) {
            Buffer.copyInto(a.select(d, (int) idx[i], op), out.select(d, i, op));
        }
        return out;
    }

    public static Buffer gather(Buffer a, int dim, Buffer index) {
        String op = "gather";
        requireIndexDtype(index, op);
        int d = Shape.normalizeDim(dim, a.rank(), op);
        Buffer aa = atLeast1d(a);
        Buffer ii = atLeast1d(index);
        if (ii.rank() != aa.rank()) {
            throw new IllegalArgumentException(op + ": index tensor must have the same number of dimensions as input"
                    + " tensor, got index shape " + Arrays.toString(index.shape) + " and input shape "
                    + Arrays.toString(a.shape));
        }
        for (int k = 0; k < aa.rank(); k++) {
            if (k != d && ii.shape[k] > aa.shape[k]) {
                throw new IllegalArgumentException(op + ": size does not match at dimension " + k
                        + ": expected index " + Arrays.toString(index.shape) + " to be no larger than input "
                        + Arrays.toString(a.shape) + " apart from dimension " + d);
            }
        }
        Buffer out = Buffer.allocate(a.dtype(), ii.shape);
        int size = aa.shape[d];
        int stride = aa.strides[d];
        int[] aStr = aa.strides.clone();
        aStr[d] = 0;
        Storage is = ii.storage;
        Storage as = aa.storage;
        Storage os = out.storage;
        StridedLoop.forEachRow(ii.shape, out.strides, 0, ii.strides, ii.offset, aStr, aa.offset,
                (n, o0, s0, o1, s1, o2, s2) -> {
                    for (int i = 0; i < n; i++) {
                        long v = is.getLong(o1 + i * s1);
                        if (v < 0 || v >= size) throw outOfBounds(op, v, d, size);
                        copyElem(os, o0 + i * s0, as, o2 + i * s2 + (int) v * stride);
                    }
                });
        return index.rank() == 0 ? new Buffer(out.storage, 0, new int[0], new int[0]) : out;
    }

    /** Writes {@code src} (or its broadcast scalar when src is 0-dim) into self at index along dim; in place. */
    public static void scatterInPlace(Buffer self, int dim, Buffer index, Buffer src, boolean add) {
        String op = add ? "scatterAdd_" : "scatter_";
        requireIndexDtype(index, op);
        int d = Shape.normalizeDim(dim, self.rank(), op);
        Buffer ss = atLeast1d(self);
        Buffer ii = atLeast1d(index);
        int r = ss.rank();
        if (ii.rank() != r) {
            throw new IllegalArgumentException(op + ": index tensor must have the same number of dimensions as self"
                    + " tensor, got index shape " + Arrays.toString(index.shape) + " and self shape "
                    + Arrays.toString(self.shape));
        }
        boolean scalarSrc = src.rank() == 0;
        Buffer sr = atLeast1d(src);
        if (!scalarSrc) {
            if (sr.rank() != r) {
                throw new IllegalArgumentException(op + ": index tensor must have the same number of dimensions as"
                        + " src tensor, got index shape " + Arrays.toString(index.shape) + " and src shape "
                        + Arrays.toString(src.shape));
            }
            if (src.dtype() != self.dtype()) {
                throw new IllegalArgumentException(op + ": expected self.dtype to be equal to src.dtype, got "
                        + self.dtype().pytorchName() + " and " + src.dtype().pytorchName());
            }
        }
        for (int k = 0; k < r; k++) {
            if (k != d && ii.shape[k] > ss.shape[k]) {
                throw new IllegalArgumentException(op + ": expected index " + Arrays.toString(index.shape)
                        + " to be no larger than self " + Arrays.toString(self.shape) + " apart from dimension "
                        + d + " (size mismatch at dimension " + k + ")");
            }
            if (!scalarSrc && ii.shape[k] > sr.shape[k]) {
                throw new IllegalArgumentException(op + ": expected index " + Arrays.toString(index.shape)
                        + " to be no larger than src " + Arrays.toString(src.shape) + " (size mismatch at dimension "
                        + k + ")");
            }
        }
        int size = ss.shape[d];
        int stride = ss.strides[d];
        int[] selfStr = ss.strides.clone();
        selfStr[d] = 0;
        int[] srcStr = scalarSrc ? new int[r] : sr.strides;
        Storage is = ii.storage;
        Storage ds = ss.storage;
        Storage srs = sr.storage;
        StridedLoop.forEachRow(ii.shape, ii.strides, ii.offset, selfStr, ss.offset, srcStr, sr.offset,
                (n, o0, s0, o1, s1, o2, s2) -> {
                    for (int i = 0; i < n; i++) {
                        long v = is.getLong(o0 + i * s0);
                        if (v < 0 || v >= size) throw outOfBounds(op, v, d, size);
                        int p = o1 + i * s1 + (int) v * stride;
                        if (add) {
                            addElem(ds, p, srs, o2 + i * s2);
                        } else {
                            copyElem(ds, p, srs, o2 + i * s2);
                        }
                    }
                });
    }

    // ================================================================ masks

    /** 1-D buffer of the elements where mask (broadcast with a) is true. */
    public static Buffer maskedSelect(Buffer a, Buffer mask) {
        String op = "maskedSelect";
        requireBoolMask(mask, op);
        int[] shape = Shape.broadcast(a.shape, mask.shape, op);
        Buffer ae = a.expandTo(shape, op);
        Buffer me = mask.expandTo(shape, op);
        byte[] mb = me.storage.bool;
        int[] count = {0};
        StridedLoop.forEachRow(shape, me.strides, me.offset, (n, o, s) -> {
            for (int i = 0; i < n; i++) {
                if (mb[o + i * s] != 0) count[0]++;
            }
        });
        Buffer out = Buffer.allocate(a.dtype(), new int[] {count[0]});
        Storage os = out.storage;
        Storage as = ae.storage;
        int[] k = {0};
        StridedLoop.forEachRow(shape, ae.strides, ae.offset, me.strides, me.offset, (n, o0, s0, o1, s1) -> {
            for (int i = 0; i < n; i++) {
                if (mb[o1 + i * s1] != 0) copyElem(os, k[0]++, as, o0 + i * s0);
            }
        });
        return out;
    }

    /** In place: self[mask] = value (mask broadcast to self's shape). */
    public static void maskedFillInPlace(Buffer self, Buffer mask, double value) {
        String op = "maskedFill_";
        requireBoolMask(mask, op);
        Buffer me;
        try {
            me = mask.expandTo(self.shape, op);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": mask of shape " + Arrays.toString(mask.shape)
                    + " cannot be broadcast to self's shape " + Arrays.toString(self.shape), e);
        }
        byte[] mb = me.storage.bool;
        Storage ds = self.storage;
        if (ds.dtype == DType.FLOAT32) {
            float fv = (float) value;
            float[] da = ds.f32;
            StridedLoop.forEachRow(self.shape, self.strides, self.offset, me.strides, me.offset,
                    (n, o0, s0, o1, s1) -> {
                        for (int i = 0; i < n; i++) {
                            if (mb[o1 + i * s1] != 0) da[o0 + i * s0] = fv;
                        }
                    });
            return;
        }
        StridedLoop.forEachRow(self.shape, self.strides, self.offset, me.strides, me.offset,
                (n, o0, s0, o1, s1) -> {
                    for (int i = 0; i < n; i++) {
                        if (mb[o1 + i * s1] != 0) ds.setDouble(o0 + i * s0, value);
                    }
                });
    }

    // ================================================================ advanced indexing

    /** The decomposition of {@code base[indices]} shared by get and put. */
    private static final class AdvancedPlan {
        Buffer base;
        /** Per dim of base: the index buffer expanded to {@link #bshape}, or null for a full slice. */
        Buffer[] idx;
        int[] bshape;
        int[] resultShape;
        /** Dims of base that are not indexed, their sizes and their positions in the result. */
        int[] sliceDims;
        int[] sliceShape;
        int[] slicePos;
        /** Position in the result of the first broadcast index dim. */
        int insertPos;
    }

    private static AdvancedPlan plan(Buffer a, Buffer[] indices, String op) {
        Buffer base = a;
        List<Buffer> perDim = new ArrayList<>();
        int consumed = 0;
        for (Buffer ix : indices) {
            if (ix == null) {
                if (consumed + 1 > a.rank()) throw tooMany(op, a, indices);
                perDim.add(null);
                consumed++;
                continue;
            }
            DType t = ix.dtype();
            if (t == DType.BOOL) {
                int k = ix.rank();
                if (k == 0) {
                    // x[True] / x[False]: a new dim of size 1 (or 0) in front of the remaining ones.
                    base = base.unsqueeze(perDim.size(), op);
                    boolean on = ix.storage.bool[ix.offset] != 0;
                    perDim.add(Buffer.allocate(DType.INT64, new int[] {on ? 1 : 0}));
                    continue;
                }
                if (consumed + k > a.rank()) throw tooMany(op, a, indices);
                int at = perDim.size();
                for (int j = 0; j < k; j++) {
                    if (ix.shape[j] != base.shape[at + j]) {
                        throw new IndexOutOfBoundsException(op + ": the shape of the mask " + Arrays.toString(ix.shape)
                                + " at index " + j + " does not match the shape of the indexed tensor "
                                + Arrays.toString(a.shape) + " at index " + (consumed + j));
                    }
                }
                Buffer nz = nonzero(ix);
                for (int j = 0; j < k; j++) perDim.add(nz.select(1, j, op));
                consumed += k;
            } else if (t == DType.INT64 || t == DType.INT32) {
                if (consumed + 1 > a.rank()) throw tooMany(op, a, indices);
                perDim.add(ix);
                consumed++;
            } else {
                throw new IllegalArgumentException(op + ": tensors used as indices must be int64, int32 or bool"
                        + " tensors, but found " + t.pytorchName());
            }
        }
        int r = base.rank();
        while (perDim.size() < r) perDim.add(null);

        int[] bshape = new int[0];
        int first = -1;
        int last = -1;
        boolean adjacent = true;
        int nAdv = 0;
        for (int d = 0; d < r; d++) {
            Buffer ix = perDim.get(d);
            if (ix == null) continue;
            bshape = nAdv == 0 ? ix.shape.clone() : broadcastIndices(bshape, ix.shape, op);
            if (first < 0) {
                first = d;
            } else if (d != last + 1) {
                adjacent = false;
            }
            last = d;
            nAdv++;
        }
        AdvancedPlan p = new AdvancedPlan();
        p.base = base;
        p.bshape = bshape;
        p.idx = new Buffer[r];
        for (int d = 0; d < r; d++) {
            Buffer ix = perDim.get(d);
            if (ix != null) p.idx[d] = ix.expandTo(bshape, op);
        }
        int nSlice = r - nAdv;
        p.sliceDims = new int[nSlice];
        p.sliceShape = new int[nSlice];
        p.slicePos = new int[nSlice];
        p.insertPos = (nAdv == 0 || !adjacent) ? 0 : first;
        int nb = bshape.length;
        p.resultShape = new int[nSlice + nb];
        for (int k = 0; k < nb; k++) p.resultShape[p.insertPos + k] = bshape[k];
        int j = 0;
        for (int d = 0; d < r; d++) {
            if (p.idx[d] != null) continue;
            p.sliceDims[j] = d;
            p.sliceShape[j] = base.shape[d];
            int pos;
            if (nAdv == 0) {
                pos = j;
            } else if (adjacent) {
                pos = d < first ? j : j + nb;
            } else {
                pos = nb + j;
            }
            p.slicePos[j] = pos;
            p.resultShape[pos] = base.shape[d];
            j++;
        }
        return p;
    }

    private static int[] broadcastIndices(int[] a, int[] b, String op) {
        try {
            return Shape.broadcast(a, b, op);
        } catch (IllegalArgumentException e) {
            throw new IndexOutOfBoundsException(op + ": shape mismatch: indexing tensors could not be broadcast"
                    + " together with shapes " + Arrays.toString(a) + ", " + Arrays.toString(b));
        }
    }

    private static IndexOutOfBoundsException tooMany(String op, Buffer a, Buffer[] indices) {
        int n = 0;
        for (Buffer ix : indices) n += ix == null ? 1 : (ix.dtype() == DType.BOOL ? ix.rank() : 1);
        return new IndexOutOfBoundsException(op + ": too many indices for tensor of dimension " + a.rank()
                + " (got " + n + ")");
    }

    /**
     * Walks every position of the broadcast index shape, calling {@code body} with the storage offset
     * of the selected sub-block in base and the offset (relative to 0) of the matching block in a
     * buffer laid out with {@code resultStrides}.
     */
    private static void walkIndexSpace(AdvancedPlan p, int[] resultStrides, String op, BlockBody body) {
        Buffer base = p.base;
        int nb = p.bshape.length;
        int total = Shape.numel(p.bshape);
        if (total == 0) return;
        int r = base.rank();
        int[] bc = new int[nb];
        for (int flat = 0; flat < total; flat++) {
            int srcOff = base.offset;
            for (int d = 0; d < r; d++) {
                Buffer ix = p.idx[d];
                if (ix == null) continue;
                int io = ix.offset;
                for (int k = 0; k < nb; k++) io += bc[k] * ix.strides[k];
                long v = ix.storage.getLong(io);
                int size = base.shape[d];
                if (v < -size || v >= size) throw outOfBounds(op, v, d, size);
                if (v < 0) v += size;
                srcOff += (int) v * base.strides[d];
            }
            int resOff = 0;
            for (int k = 0; k < nb; k++) resOff += bc[k] * resultStrides[p.insertPos + k];
            body.block(srcOff, resOff);
            for (int k = nb - 1; k >= 0; k--) {
                if (++bc[k] < p.bshape[k]) break;
                bc[k] = 0;
            }
        }
    }

    @FunctionalInterface
    private interface BlockBody {
        void block(int baseOffset, int resultOffset);
    }

    /** Copies (or accumulates) a strided block of {@code shape} from src to dst. */
    private static void copyBlock(int[] shape, Storage src, int so, int[] ss, Storage dst, int dOff, int[] ds,
                                  boolean accumulate) {
        if (shape.length == 0) {
            if (accumulate) {
                addElem(dst, dOff, src, so);
            } else {
                copyElem(dst, dOff, src, so);
            }
            return;
        }
        if (shape.length == 1) {
            int n = shape[0];
            int s0 = ss[0];
            int d0 = ds[0];
            for (int i = 0; i < n; i++) {
                if (accumulate) {
                    addElem(dst, dOff + i * d0, src, so + i * s0);
                } else {
                    copyElem(dst, dOff + i * d0, src, so + i * s0);
                }
            }
            return;
        }
        StridedLoop.forEachRow(shape, ds, dOff, ss, so, (n, o0, s0, o1, s1) -> {
            for (int i = 0; i < n; i++) {
                if (accumulate) {
                    addElem(dst, o0 + i * s0, src, o1 + i * s1);
                } else {
                    copyElem(dst, o0 + i * s0, src, o1 + i * s1);
                }
            }
        });
    }

    private static int[] pick(int[] arr, int[] positions) {
        int[] out = new int[positions.length];
        for (int i = 0; i < positions.length; i++) out[i] = arr[positions[i]];
        return out;
    }

    /**
     * Advanced indexing get, as {@code a[i0, i1, ...]} in PyTorch where each entry is an INT64 index
     * buffer, a BOOL mask, or null for a full slice ({@code :}). Index buffers broadcast together;
     * PyTorch's rule for where the result dims go (adjacent advanced indices stay in place, separated
     * ones move to the front).
     */
    public static Buffer indexGet(Buffer a, Buffer[] indices) {
        String op = "index";
        AdvancedPlan p = plan(a, indices, op);
        Buffer out = Buffer.allocate(a.dtype(), p.resultShape);
        int[] sliceSrc = pick(p.base.strides, p.sliceDims);
        int[] sliceDst = pick(out.strides, p.slicePos);
        Storage bs = p.base.storage;
        Storage os = out.storage;
        boolean emptySlice = Shape.numel(p.sliceShape) == 0;
        walkIndexSpace(p, out.strides, op, (srcOff, resOff) -> {
            if (!emptySlice) copyBlock(p.sliceShape, bs, srcOff, sliceSrc, os, resOff, sliceDst, false);
        });
        return out;
    }

    /** In place {@code self[indices] = values} (or {@code +=} with accumulate), values broadcast. */
    public static void indexPutInPlace(Buffer self, Buffer[] indices, Buffer values, boolean accumulate) {
        String op = "indexPut_";
        AdvancedPlan p = plan(self, indices, op);
        Buffer ve;
        try {
            ve = values.expandTo(p.resultShape, op);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": shape mismatch: value tensor of shape "
                    + Arrays.toString(values.shape) + " cannot be broadcast to indexing result of shape "
                    + Arrays.toString(p.resultShape), e);
        }
        // A values buffer sharing storage with self is read before anything is written.
        if (ve.storage == self.storage) ve = ve.copy();
        Buffer v = ve;
        int[] sliceDst = pick(p.base.strides, p.sliceDims);
        int[] sliceSrc = pick(v.strides, p.slicePos);
        Storage bs = p.base.storage;
        Storage vs = v.storage;
        boolean emptySlice = Shape.numel(p.sliceShape) == 0;
        walkIndexSpace(p, v.strides, op, (baseOff, resOff) -> {
            if (!emptySlice) {
                copyBlock(p.sliceShape, vs, v.offset + resOff, sliceSrc, bs, baseOff, sliceDst, accumulate);
            }
        });
    }

    // ================================================================ nonzero / take

    /** INT64 buffer of shape [count, rank] with the coordinates of non-zero elements, row-major order. */
    public static Buffer nonzero(Buffer a) {
        int r = a.rank();
        Storage s = a.storage;
        int[] flat = new int[Math.max(16, Math.min(a.numel(), 1 << 16))];
        int[] state = {0, 0}; // [running flat index, count]
        int[][] hold = {flat};
        StridedLoop.forEachRow(a.shape, a.strides, a.offset, (n, o, st) -> {
            for (int i = 0; i < n; i++) {
                boolean nz = switch (s.dtype) {
                    case FLOAT32 -> s.f32[o + i * st] != 0f || Float.isNaN(s.f32[o + i * st]);
                    case FLOAT64 -> s.f64[o + i * st] != 0d || Double.isNaN(s.f64[o + i * st]);
                    case INT64 -> s.i64[o + i * st] != 0;
                    case INT32 -> s.i32[o + i * st] != 0;
                    case BOOL -> s.bool[o + i * st] != 0;
                };
                if (nz) {
                    if (state[1] == hold[0].length) hold[0] = Arrays.copyOf(hold[0], hold[0].length * 2);
                    hold[0][state[1]++] = state[0];
                }
                state[0]++;
            }
        });
        int count = state[1];
        Buffer out = Buffer.allocate(DType.INT64, new int[] {count, r});
        long[] o = out.storage.i64;
        for (int c = 0; c < count; c++) {
            int f = hold[0][c];
            for (int d = r - 1; d >= 0; d--) {
                o[c * r + d] = f % a.shape[d];
                f /= a.shape[d];
            }
        }
        return out;
    }

    /** Elements of a viewed as 1-D at the given indices; result has index's shape. */
    public static Buffer take(Buffer a, Buffer index) {
        String op = "take";
        requireIndexDtype(index, op);
        Buffer src = a.contiguous();
        int n = a.numel();
        Buffer out = Buffer.allocate(a.dtype(), index.shape);
        Storage is = index.storage;
        Storage ss = src.storage;
        Storage os = out.storage;
        int base = src.offset;
        StridedLoop.forEachRow(index.shape, out.strides, 0, index.strides, index.offset, (cnt, o0, s0, o1, s1) -> {
            for (int i = 0; i < cnt; i++) {
                long v = is.getLong(o1 + i * s1);
                if (v < -n || v >= n) throw outOfBounds(op, v, 0, n);
                if (v < 0) v += n;
                copyElem(os, o0 + i * s0, ss, base + (int) v);
            }
        });
        return out;
    }
}
