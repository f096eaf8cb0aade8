package org.kindling.jit;

/**
 * A forward pass could not be recorded as a graph: an op without an ONNX description, a value
 * computed outside the recorded ops, or a shape that cannot follow a dynamic axis. The message
 * names the op and what to change.
 */
public class TraceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TraceException(String message) {
        super(message);
    }

    public TraceException(String message, Throwable cause) {
        super(message, cause);
    }
}
