package org.kindling.tensor.internal.trace;

import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/**
 * What a {@link Traceable} function sees while it describes itself: its inputs as graph values
 * (of type {@code V}), the concrete tensors of this call, constants, and a node builder. Op names
 * and attributes are ONNX's at {@link #opset()}.
 */
public interface TraceEmitter<V> {

    /** The default-domain opset the graph is written at. */
    int opset();

    /** Number of inputs passed to the function. */
    int inputCount();

    /** The graph value of the i-th input, or {@link #absent()} when that input is null. */
    V input(int i);

    /** The tensor passed as the i-th input in this call (null when omitted). */
    Tensor inputTensor(int i);

    /** The tensor the function returned in this call. */
    Tensor output();

    /** The graph value of any tensor: a traced value, a parameter or buffer, or a new anonymous constant. */
    V value(Tensor t);

    /**
     * The inputs of the top-level call that produced {@code t} when that call was a {@code type}
     * function, else null: lets a description fuse with the op before it (the nodes of that op are
     * dropped when nothing else reads them).
     */
    Tensor[] producedBy(Tensor t, Class<? extends org.kindling.tensor.Function> type);

    /** True when {@code t} is a constant (not computed from the trace inputs) whose elements are all zero. */
    boolean isZeroConstant(Tensor t);

    /** A 1-D int64 constant. */
    V ints(long... values);

    /** A 0-d constant of {@code dtype}. */
    V scalar(double value, DType dtype);

    /** A constant tensor with a name derived from {@code hint} (weights rearranged for export, for instance). */
    V constant(String hint, Tensor t);

    /**
     * The target shape of a Reshape of {@code source}; sizes that vary with dynamic axes are written
     * with ONNX's 0 (copy) or -1 (infer) so that the graph runs at any batch size.
     */
    V reshapeShape(Tensor source, int[] shape);

    /** The target shape of an Expand of {@code source}; sizes that vary with dynamic axes become 1 (keep). */
    V expandShape(Tensor source, int[] shape);

    /** The omitted-optional-input marker. */
    V absent();

    /** Starts a node of ONNX type {@code opType}. */
    NodeSpec<V> op(String opType);

    /** Fails the trace with a message naming the function and the reason. */
    RuntimeException unsupported(String reason);

    /** A node under construction. */
    interface NodeSpec<V> {
        NodeSpec<V> in(V value);

        NodeSpec<V> attr(String name, long value);

        NodeSpec<V> attr(String name, double value);

        NodeSpec<V> attr(String name, long[] values);

        NodeSpec<V> attr(String name, float[] values);

        NodeSpec<V> attr(String name, String value);

        NodeSpec<V> attr(String name, String[] values);

        NodeSpec<V> attr(String name, Tensor value);

        /** Adds the node with one output and returns it. */
        V out();

        /** Adds the node with {@code n} outputs. */
        java.util.List<V> outs(int n);
    }
}
