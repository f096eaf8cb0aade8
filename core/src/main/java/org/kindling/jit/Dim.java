package org.kindling.jit;

/**
 * One dimension of a {@link Value}'s declared shape: a fixed size, a symbolic name such as
 * {@code "batch"}, or unknown.
 *
 * <pre>
 * Dim batch = Dim.symbolic("batch");
 * Dim four = Dim.of(4);
 * </pre>
 */
public record Dim(long size, String symbol) {

    private static final Dim UNKNOWN = new Dim(-1, null);

    public Dim {
        if (symbol != null && size != -1) {
            throw new IllegalArgumentException("a symbolic dim has no fixed size: symbol '" + symbol + "', size " + size);
        }
        if (size < -1) throw new IllegalArgumentException("dim size must be >= 0 (or -1 for unknown), got " + size);
    }

    /** A fixed size. */
    public static Dim of(long size) {
        if (size < 0) throw new IllegalArgumentException("dim size must be >= 0, got " + size);
        return new Dim(size, null);
    }

    /** A named, variable size (ONNX {@code dim_param}). */
    public static Dim symbolic(String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("symbolic dim needs a non-empty name");
        return new Dim(-1, name);
    }

    /** A size nothing is known about. */
    public static Dim unknown() {
        return UNKNOWN;
    }

    public boolean isFixed() {
        return size >= 0;
    }

    public boolean isSymbolic() {
        return symbol != null;
    }

    @Override
    public String toString() {
        return isFixed() ? Long.toString(size) : isSymbolic() ? symbol : "?";
    }
}
