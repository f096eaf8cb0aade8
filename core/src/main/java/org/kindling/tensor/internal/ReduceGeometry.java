package org.kindling.tensor.internal;

import java.util.Arrays;
import org.kindling.tensor.Shape;

/**
 * How a reduction walks its input: one output per combination of kept indices (in row-major
 * order), each reducing a single strided row of {@link #n} elements starting at {@code bases[m]}
 * with stride {@link #stride} in {@link #src}'s storage.
 *
 * <p>The reduced dims are merged into one row when their strides allow it (for order-free
 * reductions such as sum they are first sorted by stride, so a transposed tensor still reduces as
 * one contiguous run); otherwise the input is copied once with the reduced dims moved last.
 */
final class ReduceGeometry {
    /** The buffer the rows are read from (the input, or a permuted contiguous copy of it). */
    final Buffer src;
    /** Storage offset of the first element of each output's row. */
    final int[] bases;
    /** Elements per row (the product of the reduced sizes). */
    final int n;
    /** Stride between consecutive elements of a row. */
    final int stride;
    /** Result shape (keepdim applied). */
    final int[] outShape;
    /** Kept dims of {@link #src} (sizes and strides, in order), for callers that need them. */
    final int[] keptSizes;
    final int[] keptStrides;

    private ReduceGeometry(Buffer src, int[] bases, int n, int stride, int[] outShape, int[] keptSizes,
                           int[] keptStrides) {
        this.src = src;
        this.bases = bases;
        this.n = n;
        this.stride = stride;
        this.outShape = outShape;
        this.keptSizes = keptSizes;
        this.keptStrides = keptStrides;
    }

    int outer() {
        return bases.length;
    }

    /**
     * Which dims are reduced: null or empty means all; negative dims count from the end;
     * a repeated dim is an error naming the op.
     */
    static boolean[] mask(int rank, int[] dims, String op) {
        boolean[] m = new boolean[rank];
        if (dims == null || dims.length == 0) {
            Arrays.fill(m, true);
            return m;
        }
        boolean[] seen = new boolean[Math.max(rank, 1)];
        for (int d : dims) {
            int nd = Shape.normalizeDim(d, rank, op);
            if (seen[nd]) {
                throw new IllegalArgumentException(op + ": dim " + nd + " appears multiple times in the list of dims "
                        + Arrays.toString(dims));
            }
            seen[nd] = true;
            if (rank > 0) m[nd] = true;
        }
        return m;
    }

    static int[] outShape(int[] shape, boolean[] mask, boolean keepdim) {
        int count = 0;
        for (int d = 0; d < shape.length; d++) if (!mask[d] || keepdim) count++;
        int[] out = new int[count];
        for (int d = 0, j = 0; d < shape.length; d++) {
            if (!mask[d]) out[j++] = shape[d];
            else if (keepdim) out[j++] = 1;
        }
        return out;
    }

    static ReduceGeometry of(Buffer a, int[] dims, boolean keepdim, boolean orderFree, String op) {
        return of(a, mask(a.rank(), dims, op), keepdim, orderFree);
    }

    static ReduceGeometry of(Buffer a, boolean[] mask, boolean keepdim, boolean orderFree) {
        int rank = a.rank();
        int[] outShape = outShape(a.shape, mask, keepdim);
        int keptCount = 0;
        int reducedCount = 0;
        long total = 1;
        for (int d = 0; d < rank; d++) {
            if (mask[d]) {
                reducedCount++;
                total *= a.shape[d];
            } else {
                keptCount++;
            }
        }
        int n = (int) total;
        int[] ks = new int[keptCount];
        int[] kst = new int[keptCount];
        int[] rs = new int[reducedCount];
        int[] rst = new int[reducedCount];
        for (int d = 0, i = 0, j = 0; d < rank; d++) {
            if (mask[d]) {
                rs[j] = a.shape[d];
                rst[j++] = a.strides[d];
            } else {
                ks[i] = a.shape[d];
                kst[i++] = a.strides[d];
            }
        }
        if (n == 0) {
            return new ReduceGeometry(a, bases(ks, kst, a.offset), 0, 1, outShape, ks, kst);
        }
        int[] rowShape = mergeRow(rs, rst, orderFree);
        if (rowShape != null) {
            return new ReduceGeometry(a, bases(ks, kst, a.offset), n, rowShape[1], outShape, ks, kst);
        }
        // The reduced dims do not form one strided run: copy with them moved last (in order).
        int[] perm = new int[rank];
        int p = 0;
        for (int d = 0; d < rank; d++) if (!mask[d]) perm[p++] = d;
        for (int d = 0; d < rank; d++) if (mask[d]) perm[p++] = d;
        Buffer copy = a.permute(perm, "reduce").copy();
        int[] cks = new int[keptCount];
        int[] ckst = new int[keptCount];
        for (int i = 0; i < keptCount; i++) {
            cks[i] = copy.shape[i];
            ckst[i] = copy.strides[i];
        }
        return new ReduceGeometry(copy, bases(cks, ckst, 0), n, 1, outShape, cks, ckst);
    }

    /** {n, stride} of the single run the reduced dims form, or null when they do not form one. */
    private static int[] mergeRow(int[] sizes, int[] strides, boolean orderFree) {
        int k = 0;
        int[] s = new int[sizes.length];
        int[] st = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] == 1) continue;
            s[k] = sizes[i];
            st[k++] = strides[i];
        }
        if (k == 0) return new int[] {1, 1};
        if (orderFree && k > 1) {
            // insertion sort by decreasing stride (stable)
            for (int i = 1; i < k; i++) {
                int cs = s[i];
                int cst = st[i];
                int j = i - 1;
                while (j >= 0 && st[j] < cst) {
                    s[j + 1] = s[j];
                    st[j + 1] = st[j];
                    j--;
                }
                s[j + 1] = cs;
                st[j + 1] = cst;
            }
        }
        long size = s[k - 1];
        int stride = st[k - 1];
        for (int i = k - 2; i >= 0; i--) {
            if ((long) st[i] != size * stride) return null;
            size *= s[i];
        }
        return new int[] {(int) size, stride};
    }

    /** Storage offsets of every index of the (sizes, strides) space, in row-major order. */
    static int[] bases(int[] sizes, int[] strides, int offset) {
        int m = Shape.numel(sizes);
        int[] out = new int[m];
        if (m == 0) return out;
        int k = sizes.length;
        int[] idx = new int[k];
        int off = offset;
        for (int i = 0; i < m; i++) {
            out[i] = off;
            for (int d = k - 1; d >= 0; d--) {
                idx[d]++;
                off += strides[d];
                if (idx[d] < sizes[d]) break;
                off -= strides[d] * sizes[d];
                idx[d] = 0;
            }
        }
        return out;
    }

    /**
     * Lanes along one dim: the storage offset of element 0 of every lane (all other dims in
     * row-major order). For a 0-dim buffer there is one lane of one element.
     */
    static int[] laneBases(int[] shape, int[] strides, int offset, int dim) {
        if (shape.length == 0) return new int[] {offset};
        int r = shape.length;
        int[] ks = new int[r - 1];
        int[] kst = new int[r - 1];
        for (int d = 0, j = 0; d < r; d++) {
            if (d == dim) continue;
            ks[j] = shape[d];
            kst[j++] = strides[d];
        }
        return bases(ks, kst, offset);
    }
}
