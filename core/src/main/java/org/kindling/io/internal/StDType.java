package org.kindling.io.internal;

import org.kindling.tensor.DType;

/**
 * The safetensors dtypes Kindling reads, with their size in the file and the Kindling dtype they
 * become. F16 and BF16 are widened to float32 (exactly: every half value is a float).
 */
public enum StDType {
    F64(8, DType.FLOAT64),
    F32(4, DType.FLOAT32),
    F16(2, DType.FLOAT32),
    BF16(2, DType.FLOAT32),
    I64(8, DType.INT64),
    I32(4, DType.INT32),
    BOOL(1, DType.BOOL);

    /** Bytes per element in the file. */
    public final int fileSize;
    /** The dtype of the loaded tensor. */
    public final DType kindling;

    StDType(int fileSize, DType kindling) {
        this.fileSize = fileSize;
        this.kindling = kindling;
    }

    /** The dtype called {@code name} in a header, or null if Kindling cannot read it. */
    public static StDType parse(String name) {
        for (StDType t : values()) {
            if (t.name().equals(name)) return t;
        }
        return null;
    }

    /** The safetensors dtype Kindling writes for {@code dtype}. */
    public static StDType of(DType dtype) {
        return switch (dtype) {
            case FLOAT64 -> F64;
            case FLOAT32 -> F32;
            case INT64 -> I64;
            case INT32 -> I32;
            case BOOL -> BOOL;
        };
    }

    /** "F64, F32, F16, BF16, I64, I32 and BOOL". */
    public static String supportedList() {
        StringBuilder sb = new StringBuilder();
        StDType[] all = values();
        for (int i = 0; i < all.length; i++) {
            if (i > 0) sb.append(i == all.length - 1 ? " and " : ", ");
            sb.append(all[i].name());
        }
        return sb.toString();
    }

    /** IEEE 754 binary16 bits to float (exact). */
    public static float halfToFloat(int h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0) {
            float f = mant * 0x1p-24f; // zero or subnormal: mant * 2^-24, exact in float
            return sign != 0 ? -f : f;
        }
        if (exp == 31) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13)); // inf or nan (payload kept)
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** bfloat16 bits to float (exact: bfloat16 is the top half of a float). */
    public static float bfloat16ToFloat(int b) {
        return Float.intBitsToFloat((b & 0xffff) << 16);
    }
}
