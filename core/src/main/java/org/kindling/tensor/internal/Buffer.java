package org.kindling.tensor.internal;

import java.util.Arrays;
import org.kindling.kernel.internal.KernelProvider;
import org.kindling.kernel.internal.Parallel;
import org.kindling.tensor.DType;
import org.kindling.tensor.Shape;

/**
 * A strided view of a {@link Storage}: offset, sizes and strides (in elements). Movement ops
 * (view, permute, expand, narrow, ...) return new Buffers over the same storage in O(1); only
 * {@link #contiguous()} copies. Buffers are immutable descriptors; the storage is mutable.
 */
public final class Buffer {
    public final Storage storage;
    public final int offset;
    public final int[] shape;
    public final int[] strides;

    public Buffer(Storage storage, int offset, int[] shape, int[] strides) {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    /** A fresh zero-filled contiguous buffer. */
    public static Buffer allocate(DType dtype, int[] shape) {
        int n = Shape.numel(shape);
        return new Buffer(Storage.allocate(dtype, n), 0, shape.clone(), contiguousStrides(shape));
    }

    /** Wraps a storage holding exactly {@code numel(shape)} elements in row-major order. */
    public static Buffer of(Storage storage, int[] shape) {
        int n = Shape.numel(shape);
        if (n != storage.size) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                    + " elements but the data has " + storage.size);
        }
        return new Buffer(storage, 0, shape.clone(), contiguousStrides(shape));
    }

    public static int[] contiguousStrides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(shape[i], 1);
        }
        return s;
    }

    public DType dtype() {
        return storage.dtype;
    }

    public int rank() {
        return shape.length;
    }

    public int numel() {
        return Shape.numel(shape);
    }

    /** Row-major contiguous (sizes-1 dimensions ignored, as PyTorch does). */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 1) continue;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /** Contiguous and starting at offset 0 of a storage of exactly numel elements. */
    public boolean isDense() {
        return offset == 0 && storage.size == numel() && isContiguous();
    }

    /** This buffer if contiguous, else a contiguous copy. */
    public Buffer contiguous() {
        return isContiguous() ? this : copy();
    }

    /** A contiguous copy with a storage of its own. */
    public Buffer copy() {
        return castCopy(dtype());
    }

    /** A contiguous copy converted to {@code dtype}. */
    public Buffer castCopy(DType dtype) {
        Buffer out = allocate(dtype, shape);
        copyInto(this, out);
        return out;
    }

    /** Copies {@code src} (broadcast to dst's shape) into {@code dst}, converting dtypes. */
    public static void copyInto(Buffer src, Buffer dst) {
        Buffer s = src.expandTo(dst.shape, "copy_");
        Storage ss = s.storage;
        Storage ds = dst.storage;
        if (ss.dtype == DType.FLOAT32 && ds.dtype == DType.FLOAT32) {
            float[] sa = ss.f32;
            float[] da = ds.f32;
            int r = dst.rank();
            if (r >= 2 && s.strides[r - 1] != 1 && dst.strides[r - 1] == 1 && dst.shape[r - 1] > 1) {
                // A transposing copy: tiled 2-D copies keep both sides in cache (10x over the row walk).
                copyTiles(s, dst, 0, s.offset, dst.offset);
                return;
            }
            StridedLoop.forEachRow(dst.shape, dst.strides, dst.offset, s.strides, s.offset,
                    (n, o0, st0, o1, st1) -> {
                        if (st0 == 1 && st1 == 1) {
                            System.arraycopy(sa, o1, da, o0, n);
                        } else {
                            for (int i = 0; i < n; i++) da[o0 + i * st0] = sa[o1 + i * st1];
                        }
                    });
            return;
        }
        StridedLoop.forEachRow(dst.shape, dst.strides, dst.offset, s.strides, s.offset,
                (n, o0, st0, o1, st1) -> {
                    for (int i = 0; i < n; i++) ds.setFrom(o0 + i * st0, ss, o1 + i * st1);
                });
    }

    private static void copyTiles(Buffer s, Buffer d, int dim, int so, int dOff) {
        int r = d.rank();
        if (dim < r - 2) {
            for (int i = 0; i < d.shape[dim]; i++) {
                copyTiles(s, d, dim + 1, so + i * s.strides[dim], dOff + i * d.strides[dim]);
            }
            return;
        }
        int rows = d.shape[r - 2];
        int cols = d.shape[r - 1];
        int srs = s.strides[r - 2];
        int scs = s.strides[r - 1];
        int drs = d.strides[r - 2];
        float[] sa = s.storage.f32;
        float[] da = d.storage.f32;
        int grainRows = Math.max(64, Parallel.ELEMENTWISE_GRAIN / Math.max(cols, 1));
        Parallel.parallelFor(0, rows, grainRows, (r0, r1) -> KernelProvider.get().copy2d(r1 - r0, cols, sa,
                so + r0 * srs, srs, scs, da, dOff + r0 * drs, drs, 1));
    }

    /** Flat storage index of the element at {@code index} (one coordinate per dim). */
    public int indexOf(int[] index) {
        int p = offset;
        for (int d = 0; d < index.length; d++) p += index[d] * strides[d];
        return p;
    }

    /** The values in row-major order as doubles. */
    public double[] toDoubleArray() {
        double[] out = new double[numel()];
        int[] k = {0};
        StridedLoop.forEachRow(shape, strides, offset, (n, o, st) -> {
            for (int i = 0; i < n; i++) out[k[0]++] = storage.getDouble(o + i * st);
        });
        return out;
    }

    // ---------------------------------------------------------------- views

    /** Same elements with a new shape; requires compatible strides (see {@link #viewOrNull}). */
    public Buffer view(int[] newShape, String op) {
        int[] resolved = inferShape(newShape, numel(), op);
        Buffer v = viewOrNull(resolved);
        if (v == null) {
            throw new IllegalStateException(op + ": view size " + Arrays.toString(resolved)
                    + " is not compatible with input tensor's size " + Arrays.toString(shape) + " and stride "
                    + Arrays.toString(strides) + " (at least one dimension spans across two contiguous subspaces)."
                    + " Use reshape instead.");
        }
        return v;
    }

    /** A view if the strides allow it, else a copy reshaped. */
    public Buffer reshape(int[] newShape, String op) {
        int[] resolved = inferShape(newShape, numel(), op);
        Buffer v = viewOrNull(resolved);
        return v != null ? v : copy().viewOrNull(resolved);
    }

    /** Resolves one -1 entry and checks the element count. */
    public static int[] inferShape(int[] newShape, int numel, String op) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException(op + ": only one dimension can be inferred, got "
                        + Arrays.toString(newShape));
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid shape dimension " + s[i] + " in "
                        + Arrays.toString(newShape));
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException(op + ": shape " + Arrays.toString(newShape)
                        + " is invalid for input of size " + numel);
            }
            s[infer] = (int) (numel / known);
        } else if (known != numel) {
            throw new IllegalArgumentException(op + ": shape " + Arrays.toString(newShape)
                    + " is invalid for input of size " + numel);
        }
        return s;
    }

    /** PyTorch's computeStride: a view with {@code newShape}, or null when strides forbid it. */
    public Buffer viewOrNull(int[] newShape) {
        int numel = numel();
        if (numel == 0 || shape.length == 0) {
            return new Buffer(storage, offset, newShape.clone(), contiguousStrides(newShape));
        }
        int[] newStrides = new int[newShape.length];
        int viewD = newShape.length - 1;
        long chunkBase = strides[shape.length - 1];
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorNumel *= shape[d];
            if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    newStrides[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0) {
                    chunkBase = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) return null;
        return new Buffer(storage, offset, newShape.clone(), newStrides);
    }

    public Buffer permute(int[] dims, String op) {
        int r = rank();
        if (dims.length != r) {
            throw new IllegalArgumentException(op + ": number of dims don't match in permute: expected "
                    + r + " but got " + dims.length + " " + Arrays.toString(dims));
        }
        boolean[] seen = new boolean[r];
        int[] ns = new int[r];
        int[] nst = new int[r];
        for (int i = 0; i < r; i++) {
            int d = Shape.normalizeDim(dims[i], r, op);
            if (seen[d]) throw new IllegalArgumentException(op + ": repeated dim " + d + " in " + Arrays.toString(dims));
            seen[d] = true;
            ns[i] = shape[d];
            nst[i] = strides[d];
        }
        return new Buffer(storage, offset, ns, nst);
    }

    public Buffer transpose(int d0, int d1, String op) {
        int r = rank();
        if (r == 0) return this;
        int a = Shape.normalizeDim(d0, r, op);
        int b = Shape.normalizeDim(d1, r, op);
        int[] ns = shape.clone();
        int[] nst = strides.clone();
        ns[a] = shape[b];
        ns[b] = shape[a];
        nst[a] = strides[b];
        nst[b] = strides[a];
        return new Buffer(storage, offset, ns, nst);
    }

    /** Broadcasts to {@code target} with stride 0 on expanded dims; -1 keeps a size. */
    public Buffer expand(int[] target, String op) {
        int n = target.length;
        if (n < rank()) {
            throw new IllegalArgumentException(op + ": the number of sizes provided (" + n
                    + ") must be greater or equal to the number of dimensions in the tensor (" + rank() + ")");
        }
        int[] ns = new int[n];
        int[] nst = new int[n];
        for (int i = n - 1; i >= 0; i--) {
            int j = i - (n - rank());
            int t = target[i];
            if (j < 0) {
                if (t < 0) throw new IllegalArgumentException(op + ": -1 not allowed in a new leading dimension, got "
                        + Arrays.toString(target));
                ns[i] = t;
                nst[i] = 0;
            } else {
                int have = shape[j];
                if (t == -1) t = have;
                if (have == t) {
                    ns[i] = t;
                    nst[i] = strides[j];
                } else if (have == 1) {
                    ns[i] = t;
                    nst[i] = 0;
                } else {
                    throw new IllegalArgumentException(op + ": the expanded size of the tensor (" + t
                            + ") must match the existing size (" + have + ") at non-singleton dimension " + i
                            + ". Target sizes: " + Arrays.toString(target) + ". Tensor sizes: " + Arrays.toString(shape));
                }
            }
        }
        return new Buffer(storage, offset, ns, nst);
    }

    /** Expand for broadcasting; returns this when the shape already matches. */
    public Buffer expandTo(int[] target, String op) {
        return Arrays.equals(shape, target) ? this : expand(target, op);
    }

    public Buffer narrow(int dim, int start, int length, String op) {
        int d = Shape.normalizeDim(dim, rank(), op);
        int size = shape[d];
        if (start < 0) start += size;
        if (start < 0 || length < 0 || start + length > size) {
            throw new IndexOutOfBoundsException(op + ": start (" + start + ") + length (" + length
                    + ") exceeds dimension size (" + size + ") at dim " + d);
        }
        int[] ns = shape.clone();
        ns[d] = length;
        return new Buffer(storage, offset + start * strides[d], ns, strides.clone());
    }

    /** Slice {@code [start:end:step]} along {@code dim}, with Python's clamping of start/end. */
    public Buffer slice(int dim, int start, int end, int step, String op) {
        int d = Shape.normalizeDim(dim, rank(), op);
        if (step <= 0) throw new IllegalArgumentException(op + ": slice step must be positive, got " + step);
        int size = shape[d];
        if (start < 0) start += size;
        if (end < 0) end += size;
        start = Math.max(0, Math.min(start, size));
        end = Math.max(start, Math.min(end, size));
        int len = (end - start + step - 1) / step;
        int[] ns = shape.clone();
        int[] nst = strides.clone();
        ns[d] = len;
        nst[d] = strides[d] * step;
        return new Buffer(storage, offset + (len > 0 ? start * strides[d] : 0), ns, nst);
    }

    public Buffer select(int dim, int index, String op) {
        if (rank() == 0) throw new IndexOutOfBoundsException(op + ": select() cannot be applied to a 0-dim tensor");
        int d = Shape.normalizeDim(dim, rank(), op);
        int size = shape[d];
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(op + ": index " + index + " is out of bounds for dimension "
                    + d + " with size " + size);
        }
        int[] ns = new int[rank() - 1];
        int[] nst = new int[rank() - 1];
        for (int k = 0, j = 0; k < rank(); k++) {
            if (k == d) continue;
            ns[j] = shape[k];
            nst[j++] = strides[k];
        }
        return new Buffer(storage, offset + i * strides[d], ns, nst);
    }

    public Buffer squeeze() {
        int count = 0;
        for (int s : shape) if (s != 1) count++;
        int[] ns = new int[count];
        int[] nst = new int[count];
        for (int k = 0, j = 0; k < rank(); k++) {
            if (shape[k] == 1) continue;
            ns[j] = shape[k];
            nst[j++] = strides[k];
        }
        return new Buffer(storage, offset, ns, nst);
    }

    public Buffer squeeze(int dim, String op) {
        if (rank() == 0) {
            Shape.normalizeDim(dim, 0, op);
            return this;
        }
        int d = Shape.normalizeDim(dim, rank(), op);
        if (shape[d] != 1) return this;
        int[] ns = new int[rank() - 1];
        int[] nst = new int[rank() - 1];
        for (int k = 0, j = 0; k < rank(); k++) {
            if (k == d) continue;
            ns[j] = shape[k];
            nst[j++] = strides[k];
        }
        return new Buffer(storage, offset, ns, nst);
    }

    public Buffer unsqueeze(int dim, String op) {
        int d = Shape.normalizeDim(dim, rank() + 1, op);
        int[] ns = new int[rank() + 1];
        int[] nst = new int[rank() + 1];
        for (int k = 0, j = 0; k < ns.length; k++) {
            if (k == d) {
                ns[k] = 1;
                nst[k] = d < rank() ? shape[d] * strides[d] : 1;
            } else {
                ns[k] = shape[j];
                nst[k] = strides[j++];
            }
        }
        return new Buffer(storage, offset, ns, nst);
    }

    /** {@code Tensor.unfold(dim, size, step)}: windows of {@code size} along dim as a new last dim. */
    public Buffer unfold(int dim, int size, int step, String op) {
        int d = rank() == 0 ? 0 : Shape.normalizeDim(dim, rank(), op);
        int len = rank() == 0 ? 1 : shape[d];
        if (size > len) {
            throw new IllegalArgumentException(op + ": maximum size for tensor at dimension " + d + " is " + len
                    + " but size is " + size);
        }
        if (step <= 0) throw new IllegalArgumentException(op + ": step must be > 0, got " + step);
        if (rank() == 0) {
            return new Buffer(storage, offset, new int[] {size}, new int[] {1});
        }
        int[] ns = new int[rank() + 1];
        int[] nst = new int[rank() + 1];
        for (int k = 0; k < rank(); k++) {
            ns[k] = shape[k];
            nst[k] = strides[k];
        }
        ns[d] = (len - size) / step + 1;
        nst[d] = strides[d] * step;
        ns[rank()] = size;
        nst[rank()] = strides[d];
        return new Buffer(storage, offset, ns, nst);
    }

    @Override
    public String toString() {
        return "Buffer(" + dtype() + ", shape=" + Arrays.toString(shape) + ", strides=" + Arrays.toString(strides)
                + ", offset=" + offset + ")";
    }
}
