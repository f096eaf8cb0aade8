package org.kindling.tensor.internal.trace;

/**
 * A built-in {@link org.kindling.tensor.Function} that can describe itself as ONNX operators, so
 * that a traced forward pass becomes a graph. The description is written at the emitter's opset
 * ({@link TraceEmitter#opset()}) and must compute exactly what {@code forward} computes.
 */
public interface Traceable {

    /** Emits the nodes that compute this function's output and returns the value of that output. */
    <V> V trace(TraceEmitter<V> e);
}
