package org.kindling.tensor;

import java.util.Arrays;

/**
 * An immutable tensor shape ({@code torch.Size}).
 *
 * <pre>
 * Shape s = Shape.of(2, 3, 4);
 * s.numel();            // 24
 * s.dim(-1);            // 4
 * Shape.broadcast(Shape.of(3, 1), Shape.of(4));   // [3, 4]
 * </pre>
 */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        this.dims = dims;
    }

    /** A shape with the given sizes; each must be &gt;= 0. */
    public static Shape of(int... dims) {
        int[] copy = dims.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] < 0) {
                throw new IllegalArgumentException("negative dimension " + copy[i] + " at index " + i
                        + " in shape " + Arrays.toString(copy));
            }
        }
        numel(copy);
        return new Shape(copy);
    }

    /** The number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** The size of dimension {@code d}; negative counts from the end. */
    public int dim(int d) {
        return dims[normalizeDim(d, dims.length, "Shape.dim")];
    }

    /** A copy of the sizes. */
    public int[] toArray() {
        return dims.clone();
    }

    /** The number of elements (1 for a scalar shape). */
    public int numel() {
        return numel(dims);
    }

    /** The number of elements of {@code dims}, failing on overflow past {@code Integer.MAX_VALUE}. */
    public static int numel(int[] dims) {
        long n = 1;
        for (int d : dims) {
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims)
                        + " has more than " + Integer.MAX_VALUE + " elements");
            }
        }
        return (int) n;
    }

    /**
     * The broadcast of two shapes by NumPy/PyTorch rules: align from the right; sizes must be equal
     * or one of them 1.
     *
     * @throws IllegalArgumentException naming both shapes and the dimension that disagrees
     */
    public static Shape broadcast(Shape a, Shape b) {
        return new Shape(broadcast(a.dims, b.dims, "broadcast"));
    }

    /** {@link #broadcast(Shape, Shape)} on raw sizes, naming {@code op} in the error. */
    public static int[] broadcast(int[] a, int[] b, String op) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da == db || db == 1) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and "
                        + Arrays.toString(b) + " cannot be broadcast: size " + da + " vs " + db
                        + " at dimension " + i + " (aligned from the right)");
            }
        }
        return out;
    }

    /** Turns a possibly negative dimension into 0..rank-1, or throws naming the op. */
    public static int normalizeDim(int dim, int rank, String op) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r) {
            throw new IndexOutOfBoundsException(op + ": dimension out of range (expected to be in range of ["
                    + (-r) + ", " + (r - 1) + "], but got " + dim + ")");
        }
        return dim < 0 ? dim + r : dim;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(s.dims, dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
