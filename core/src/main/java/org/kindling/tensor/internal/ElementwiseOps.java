package org.kindling.tensor.internal;

import org.kindling.kernel.internal.BinaryOp;
import org.kindling.kernel.internal.UnaryOp;
import org.kindling.tensor.DType;

/**
 * Elementwise ops on Buffers with NumPy/PyTorch broadcasting and type promotion. Float32 work
 * goes through {@link org.kindling.kernel.internal.KernelProvider#get()} row by row (see
 * {@link StridedLoop}); other dtypes through generic double/long loops. Every method names the
 * op in its errors (the {@code op} argument is the public name, e.g. "add").
 */
public final class ElementwiseOps {
    private ElementwiseOps() {}

    /**
     * PyTorch's result type for two operands: categories bool &lt; integer &lt; float; a 0-dim operand
     * only raises the result's category, never its width within a category (so float32[3] + float64
     * 0-dim is float32, int32[3] + float64 0-dim is float64).
     */
    public static DType resultType(Buffer a, Buffer b) {
        throw new UnsupportedOperationException("ElementwiseOps.resultType");
    }

    /** New buffer {@code op(a, b)} broadcast; DIV always yields floating point (int/int -> float32). */
    public static Buffer binary(BinaryOp op, Buffer a, Buffer b, String name) {
        throw new UnsupportedOperationException(name);
    }

    /**
     * In place: {@code self = op(self, other)}; other must broadcast to self's shape; the result type
     * must be castable to self's dtype (float into int is an error naming both dtypes, like PyTorch).
     */
    public static void binaryInPlace(BinaryOp op, Buffer self, Buffer other, String name) {
        throw new UnsupportedOperationException(name);
    }

    /**
     * New buffer {@code op(a)}. Integer/bool inputs of float functions (exp, log, sqrt, sigmoid, ...) give
     * float32; NEG, ABS, SIGN, SQUARE, RELU, FLOOR, CEIL, ROUND keep integer dtypes.
     */
    public static Buffer unary(UnaryOp op, Buffer a, String name) {
        throw new UnsupportedOperationException(name);
    }

    public static void unaryInPlace(UnaryOp op, Buffer self, String name) {
        throw new UnsupportedOperationException(name);
    }

    /** BOOL buffer of {@code a op b} broadcast, compared in the promoted type. */
    public static Buffer compare(CompareOp op, Buffer a, Buffer b, String name) {
        throw new UnsupportedOperationException(name);
    }

    public static Buffer logical(LogicalOp op, Buffer a, Buffer b, String name) {
        throw new UnsupportedOperationException(name);
    }

    public static Buffer logicalNot(Buffer a) {
        throw new UnsupportedOperationException("logicalNot");
    }

    public static Buffer isnan(Buffer a) {
        throw new UnsupportedOperationException("isnan");
    }

    public static Buffer isinf(Buffer a) {
        throw new UnsupportedOperationException("isinf");
    }

    /** Clamp to [min, max]; either bound may be null (but not both). Keeps a's dtype. */
    public static Buffer clamp(Buffer a, Double min, Double max) {
        throw new UnsupportedOperationException("clamp");
    }

    /** {@code cond ? a : b} broadcast over all three; cond is BOOL; result dtype promote(a, b). */
    public static Buffer where(Buffer cond, Buffer a, Buffer b) {
        throw new UnsupportedOperationException("where");
    }

    /** Fills every element of self (a possibly strided view) with v converted to its dtype. */
    public static void fill(Buffer self, double v) {
        throw new UnsupportedOperationException("fill_");
    }
}
