package org.kindling.tensor;

/**
 * Element types of a {@link Tensor}, with PyTorch's names and promotion rules.
 *
 * <pre>
 * Tensor a = Kindling.tensor(new long[] {1, 2});          // INT64
 * Tensor b = a.add(Kindling.tensor(new float[] {0.5f}));  // FLOAT32: int with float gives float
 * </pre>
 */
public enum DType {
    /** Boolean, one byte per element ({@code torch.bool}). */
    BOOL("bool", 1, false, false),
    /** 32-bit signed integer ({@code torch.int32}). */
    INT32("int32", 4, false, true),
    /** 64-bit signed integer ({@code torch.int64}), the default for integer data. */
    INT64("int64", 8, false, true),
    /** 32-bit float ({@code torch.float32}), the default for floating data. */
    FLOAT32("float32", 4, true, false),
    /** 64-bit float ({@code torch.float64}). */
    FLOAT64("float64", 8, true, false);

    private final String pytorchName;
    private final int byteSize;
    private final boolean floatingPoint;
    private final boolean integral;

    DType(String pytorchName, int byteSize, boolean floatingPoint, boolean integral) {
        this.pytorchName = pytorchName;
        this.byteSize = byteSize;
        this.floatingPoint = floatingPoint;
        this.integral = integral;
    }

    /** The name PyTorch prints, e.g. {@code "float32"}. */
    public String pytorchName() {
        return pytorchName;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** True for FLOAT32 and FLOAT64. */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** True for INT32 and INT64 (not BOOL). */
    public boolean isIntegral() {
        return integral;
    }

    /**
     * The dtype of a result computed from operands of types {@code a} and {@code b}, as
     * {@code torch.promote_types}: bool &lt; int32 &lt; int64 &lt; float32 &lt; float64.
     */
    public static DType promote(DType a, DType b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    /** The dtype {@code torch.tensor} infers from a Java scalar of this class. */
    public static DType of(Class<?> javaType) {
        if (javaType == float.class || javaType == Float.class) return FLOAT32;
        if (javaType == double.class || javaType == Double.class) return FLOAT64;
        if (javaType == long.class || javaType == Long.class) return INT64;
        if (javaType == int.class || javaType == Integer.class) return INT32;
        if (javaType == boolean.class || javaType == Boolean.class) return BOOL;
        throw new IllegalArgumentException("no dtype for Java type " + javaType.getName()
                + ": expected float, double, long, int or boolean");
    }

    @Override
    public String toString() {
        return "kindling." + pytorchName;
    }
}
