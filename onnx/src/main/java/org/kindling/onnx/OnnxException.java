package org.kindling.onnx;

/**
 * A model file that cannot be read, is malformed, exceeds the configured {@link OnnxLimits}, or uses an
 * operator, opset or element type Kindling does not support. The message names the node, op and opset
 * where one is concerned; {@link #isUnsupported()} tells "valid but not supported" from "invalid".
 */
public class OnnxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean unsupported;

    public OnnxException(String message) {
        this(message, false, null);
    }

    public OnnxException(String message, Throwable cause) {
        this(message, false, cause);
    }

    public OnnxException(String message, boolean unsupported, Throwable cause) {
        super(message, cause);
        this.unsupported = unsupported;
    }

    /** True when the file is well formed but uses something Kindling does not implement. */
    public boolean isUnsupported() {
        return unsupported;
    }
}
