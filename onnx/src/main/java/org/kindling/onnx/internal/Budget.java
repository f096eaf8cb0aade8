package org.kindling.onnx.internal;

import org.kindling.onnx.OnnxException;
import org.kindling.onnx.OnnxLimits;

/** Counts the bytes materialised from one model against {@link OnnxLimits#maxTensorBytes()}. */
public final class Budget {

    private final OnnxLimits limits;
    private long used;

    public Budget(OnnxLimits limits) {
        this.limits = limits;
    }

    public OnnxLimits limits() {
        return limits;
    }

    /** Reserves {@code bytes} for {@code what}, or fails before anything is allocated. */
    public void charge(long bytes, String what) {
        if (bytes < 0) throw new OnnxException(what + ": negative size " + bytes);
        long total = used + bytes;
        if (total < used || total > limits.maxTensorBytes()) {
            throw new OnnxException(what + " needs " + bytes + " bytes, which would bring the model's tensors to "
                    + (total < used ? "more than 2^63" : Long.toString(total)) + " bytes, over the limit of "
                    + limits.maxTensorBytes() + " bytes (OnnxLimits.maxTensorBytes)");
        }
        used = total;
    }

    public long used() {
        return used;
    }
}
