package org.kindling.jit.internal;

import java.util.function.DoubleUnaryOperator;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/** Small helpers shared by the operator families. */
final class Ops {

    private Ops() {}

    /**
     * Largest tensor (in elements) an operator may create from values in the graph (shapes, repeats, sizes);
     * guards against a hostile or corrupt model asking for terabytes. {@code -Dkindling.jit.maxElements}.
     */
    static final long MAX_ELEMENTS = Long.getLong("kindling.jit.maxElements", 1L << 28);

    /** Checks that a tensor of {@code shape} may be created, with overflow-safe arithmetic. */
    static int[] checkShape(int[] shape, String what) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException(what + ": negative dimension " + d + " in " + java.util.Arrays.toString(shape));
            n *= d;
            if (n > MAX_ELEMENTS) {
                throw new IllegalArgumentException(what + ": shape " + java.util.Arrays.toString(shape) + " has more than "
                        + MAX_ELEMENTS + " elements (-Dkindling.jit.maxElements)");
            }
        }
        return shape;
    }

    static int[] toInts(long[] v, String what) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] > Integer.MAX_VALUE || v[i] < Integer.MIN_VALUE) {
                throw new IllegalArgumentException(what + ": value " + v[i] + " does not fit in 32 bits");
            }
            out[i] = (int) v[i];
        }
        return out;
    }

    /** The integer contents of a 0-d or 1-d tensor. */
    static long[] longs(Tensor t) {
        return t.dtype() == DType.INT64 ? t.toLongArray() : t.to(DType.INT64).toLongArray();
    }

    static int[] ints(Tensor t, String what) {
        return toInts(longs(t), what);
    }

    /** Clamps a long index into int range (ONNX Slice uses huge sentinels for "to the end"). */
    static int clampToInt(long v) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    /** Applies {@code fn} element by element in double precision; same dtype and shape (no autograd). */
    static Tensor map(Tensor t, DoubleUnaryOperator fn) {
        double[] d = t.to(DType.FLOAT64).contiguous().toDoubleArray();
        for (int i = 0; i < d.length; i++) d[i] = fn.applyAsDouble(d[i]);
        return Kindling.fromArray(d, t.shape().toArray()).to(t.dtype());
    }

    /** A 0-d tensor of {@code value} with {@code like}'s dtype. */
    static Tensor scalarLike(double value, Tensor like) {
        return Kindling.full(new int[0], value, like.dtype());
    }

    static Tensor[] one(Tensor t) {
        return new Tensor[] {t};
    }

    /** ONNX TensorProto.DataType code to a Kindling dtype; others are an error naming the ONNX type. */
    static DType dtype(long onnxCode) {
        return switch ((int) onnxCode) {
            case 1 -> DType.FLOAT32;
            case 6 -> DType.INT32;
            case 7 -> DType.INT64;
            case 9 -> DType.BOOL;
            case 11 -> DType.FLOAT64;
            default -> throw new UnsupportedOperationException("ONNX element type " + onnxTypeName(onnxCode)
                    + " is not supported; Kindling has bool, int32, int64, float32 and float64");
        };
    }

    static String onnxTypeName(long code) {
        String[] names = {"UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL",
            "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16", "FLOAT8E4M3FN",
            "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4", "INT4", "FLOAT4E2M1", "FLOAT8E8M0", "UINT2", "INT2"};
        return code >= 0 && code < names.length ? names[(int) code] : "type code " + code;
    }

    static int[] shape(Tensor t) {
        return t.shape().toArray();
    }
}
