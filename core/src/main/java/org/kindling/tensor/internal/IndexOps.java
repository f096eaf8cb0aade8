package org.kindling.tensor.internal;

/**
 * Gather/scatter style indexing with PyTorch semantics. Index buffers are INT64 (INT32 accepted);
 * masks are BOOL. Negative indices count from the end where PyTorch allows it (indexSelect does
 * not; advanced indexing and take do). An out-of-range index throws IndexOutOfBoundsException
 * naming the op, the dim, the index and the size.
 */
public final class IndexOps {
    private IndexOps() {}

    public static Buffer indexSelect(Buffer a, int dim, Buffer index) {
        throw new UnsupportedOperationException("indexSelect");
    }

    public static Buffer gather(Buffer a, int dim, Buffer index) {
        throw new UnsupportedOperationException("gather");
    }

    /** Writes {@code src} (or its broadcast scalar when src is 0-dim) into self at index along dim; in place. */
    public static void scatterInPlace(Buffer self, int dim, Buffer index, Buffer src, boolean add) {
        throw new UnsupportedOperationException(add ? "scatterAdd_" : "scatter_");
    }

    /** 1-D buffer of the elements where mask (broadcast with a) is true. */
    public static Buffer maskedSelect(Buffer a, Buffer mask) {
        throw new UnsupportedOperationException("maskedSelect");
    }

    /** In place: self[mask] = value (mask broadcast to self's shape). */
    public static void maskedFillInPlace(Buffer self, Buffer mask, double value) {
        throw new UnsupportedOperationException("maskedFill_");
    }

    /**
     * Advanced indexing get, as {@code a[i0, i1, ...]} in PyTorch where each entry is an INT64 index
     * buffer, a BOOL mask, or null for a full slice ({@code :}). Index buffers broadcast together;
     * PyTorch's rule for where the result dims go (adjacent advanced indices stay in place, separated
     * ones move to the front).
     */
    public static Buffer indexGet(Buffer a, Buffer[] indices) {
        throw new UnsupportedOperationException("index");
    }

    /** In place {@code self[indices] = values} (or {@code +=} with accumulate), values broadcast. */
    public static void indexPutInPlace(Buffer self, Buffer[] indices, Buffer values, boolean accumulate) {
        throw new UnsupportedOperationException("indexPut_");
    }

    /** INT64 buffer of shape [count, rank] with the coordinates of non-zero elements, row-major order. */
    public static Buffer nonzero(Buffer a) {
        throw new UnsupportedOperationException("nonzero");
    }

    /** Elements of a viewed as 1-D at the given indices; result has index's shape. */
    public static Buffer take(Buffer a, Buffer index) {
        throw new UnsupportedOperationException("take");
    }
}
