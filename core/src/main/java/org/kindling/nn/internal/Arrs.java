package org.kindling.nn.internal;

import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.Buffer;
import org.kindling.tensor.internal.Storage;
import org.kindling.tensor.internal.TensorAccess;

/** Dense array access for the fused nn Functions: contiguous buffers in, fresh tensors out. */
public final class Arrs {
    private Arrs() {}

    /** The contiguous buffer of {@code t} (a copy only if {@code t} is not contiguous). */
    public static Buffer dense(Tensor t) {
        return TensorAccess.unwrap(t.isContiguous() ? t : t.contiguous());
    }

    public static Tensor wrap(float[] data, int... shape) {
        return TensorAccess.wrap(Buffer.of(Storage.wrap(data), shape));
    }

    public static Tensor wrap(double[] data, int... shape) {
        return TensorAccess.wrap(Buffer.of(Storage.wrap(data), shape));
    }

    /** Checks that a tensor is float32 or float64 and of the same dtype as {@code like}. */
    public static void checkFloat(String op, String what, Tensor t, DType like) {
        if (t.dtype() != DType.FLOAT32 && t.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException(op + ": " + what + " must be float32 or float64, got " + t.dtype());
        }
        if (like != null && t.dtype() != like) {
            throw new IllegalArgumentException(op + ": " + what + " has dtype " + t.dtype() + " but the input has "
                    + like);
        }
    }
}
