package org.kindling.tensor.internal;

/** Joins and layout ops that copy: cat, repeat, flip, roll, tril/triu, pad. Views (split, chunk, unbind) are in Tensor. */
public final class JoinOps {
    private JoinOps() {}

    /** Concatenation along dim; dtypes promote; every other dim must match (error names the tensor index and sizes). */
    public static Buffer cat(Buffer[] parts, int dim) {
        throw new UnsupportedOperationException("cat");
    }

    /** Stack along a new dim; all shapes equal. */
    public static Buffer stack(Buffer[] parts, int dim) {
        throw new UnsupportedOperationException("stack");
    }

    /** {@code Tensor.repeat}: reps.length >= rank; tiles the data. */
    public static Buffer repeat(Buffer a, int[] reps) {
        throw new UnsupportedOperationException("repeat");
    }

    /** {@code torch.tile}: like repeat, but reps shorter than rank are padded with leading 1s. */
    public static Buffer tile(Buffer a, int[] reps) {
        throw new UnsupportedOperationException("tile");
    }

    public static Buffer flip(Buffer a, int[] dims) {
        throw new UnsupportedOperationException("flip");
    }

    /** {@code torch.roll}; empty dims means roll the flattened tensor and restore the shape. */
    public static Buffer roll(Buffer a, int[] shifts, int[] dims) {
        throw new UnsupportedOperationException("roll");
    }

    /** Lower (upper) triangle of the last two dims, diagonal offset k. */
    public static Buffer tril(Buffer a, int k) {
        throw new UnsupportedOperationException("tril");
    }

    public static Buffer triu(Buffer a, int k) {
        throw new UnsupportedOperationException("triu");
    }

    /**
     * {@code F.pad}: pad is (left, right) pairs starting from the LAST dim, as PyTorch; mode is
     * "constant" (value), "reflect" or "replicate". Negative pads crop in constant mode.
     */
    public static Buffer pad(Buffer a, int[] pad, String mode, double value) {
        throw new UnsupportedOperationException("pad");
    }
}
