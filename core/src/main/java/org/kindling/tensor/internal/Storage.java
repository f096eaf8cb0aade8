package org.kindling.tensor.internal;

import org.kindling.tensor.DType;

/**
 * The flat, typed memory behind one or more tensors. Exactly one of the arrays is non-null,
 * chosen by {@link #dtype}. Kernels read the typed array directly; generic code goes through
 * the double/long accessors.
 */
public final class Storage {
    public final DType dtype;
    public final int size;
    public final float[] f32;
    public final double[] f64;
    public final long[] i64;
    public final int[] i32;
    public final byte[] bool;
    /** Bumped by every in-place write through a Tensor; views share it (autograd's version counter). */
    public int version;

    private Storage(DType dtype, int size, float[] f32, double[] f64, long[] i64, int[] i32, byte[] bool) {
        this.dtype = dtype;
        this.size = size;
        this.f32 = f32;
        this.f64 = f64;
        this.i64 = i64;
        this.i32 = i32;
        this.bool = bool;
    }

    /** Zero-filled storage of {@code size} elements. */
    public static Storage allocate(DType dtype, int size) {
        return switch (dtype) {
            case FLOAT32 -> new Storage(dtype, size, new float[size], null, null, null, null);
            case FLOAT64 -> new Storage(dtype, size, null, new double[size], null, null, null);
            case INT64 -> new Storage(dtype, size, null, null, new long[size], null, null);
            case INT32 -> new Storage(dtype, size, null, null, null, new int[size], null);
            case BOOL -> new Storage(dtype, size, null, null, null, null, new byte[size]);
        };
    }

    public static Storage wrap(float[] a) {
        return new Storage(DType.FLOAT32, a.length, a, null, null, null, null);
    }

    public static Storage wrap(double[] a) {
        return new Storage(DType.FLOAT64, a.length, null, a, null, null, null);
    }

    public static Storage wrap(long[] a) {
        return new Storage(DType.INT64, a.length, null, null, a, null, null);
    }

    public static Storage wrap(int[] a) {
        return new Storage(DType.INT32, a.length, null, null, null, a, null);
    }

    public static Storage wrapBool(byte[] a) {
        return new Storage(DType.BOOL, a.length, null, null, null, null, a);
    }

    public double getDouble(int i) {
        return switch (dtype) {
            case FLOAT32 -> f32[i];
            case FLOAT64 -> f64[i];
            case INT64 -> i64[i];
            case INT32 -> i32[i];
            case BOOL -> bool[i];
        };
    }

    public long getLong(int i) {
        return switch (dtype) {
            case FLOAT32 -> (long) f32[i];
            case FLOAT64 -> (long) f64[i];
            case INT64 -> i64[i];
            case INT32 -> i32[i];
            case BOOL -> bool[i];
        };
    }

    /** Stores {@code v} converted to this dtype (C-style truncation for integers, != 0 for bool). */
    public void setDouble(int i, double v) {
        switch (dtype) {
            case FLOAT32 -> f32[i] = (float) v;
            case FLOAT64 -> f64[i] = v;
            case INT64 -> i64[i] = (long) v;
            case INT32 -> i32[i] = (int) (long) v;
            case BOOL -> bool[i] = (byte) (v != 0 ? 1 : 0);
        }
    }

    public void setLong(int i, long v) {
        switch (dtype) {
            case FLOAT32 -> f32[i] = v;
            case FLOAT64 -> f64[i] = v;
            case INT64 -> i64[i] = v;
            case INT32 -> i32[i] = (int) v;
            case BOOL -> bool[i] = (byte) (v != 0 ? 1 : 0);
        }
    }

    /** Copies element {@code si} of {@code src} into element {@code di} of this storage, converting. */
    public void setFrom(int di, Storage src, int si) {
        if (dtype.isFloatingPoint() || src.dtype.isFloatingPoint()) {
            setDouble(di, src.getDouble(si));
        } else {
            setLong(di, src.getLong(si));
        }
    }
}
