package org.kindling.tensor.internal;

import org.kindling.tensor.Tensor;

/**
 * The bridge between the public {@link Tensor} and the internal {@link Buffer} it wraps, for
 * Kindling's own packages (the {@code Kindling} facade, nn, autograd, onnx) without widening
 * Tensor's public API. Tensor installs the accessor in its static initialiser.
 */
public final class TensorAccess {
    /** Converts between Tensor and Buffer. */
    public interface Accessor {
        Tensor wrap(Buffer b);

        Buffer unwrap(Tensor t);

        /** Gradients of outputs with respect to inputs (see {@code org.kindling.autograd.Autograd.grad}). */
        Tensor[] grad(Tensor[] outputs, Tensor[] gradOutputs, Tensor[] inputs, boolean retainGraph,
                      boolean createGraph, boolean allowUnused);
    }

    private static volatile Accessor accessor;

    private TensorAccess() {}

    /** Called once by Tensor. */
    public static synchronized void install(Accessor a) {
        if (accessor != null) throw new IllegalStateException("TensorAccess is already installed");
        accessor = a;
    }

    private static Accessor accessor() {
        Accessor a = accessor;
        if (a == null) {
            try {
                Class.forName(Tensor.class.getName(), true, Tensor.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = accessor;
        }
        return a;
    }

    public static Tensor wrap(Buffer b) {
        return accessor().wrap(b);
    }

    public static Buffer unwrap(Tensor t) {
        if (t == null) throw new NullPointerException("tensor is null");
        return accessor().unwrap(t);
    }

    public static Tensor[] grad(Tensor[] outputs, Tensor[] gradOutputs, Tensor[] inputs, boolean retainGraph,
                                boolean createGraph, boolean allowUnused) {
        return accessor().grad(outputs, gradOutputs, inputs, retainGraph, createGraph, allowUnused);
    }

    public static Buffer[] unwrap(Tensor... ts) {
        Buffer[] out = new Buffer[ts.length];
        for (int i = 0; i < ts.length; i++) {
            if (ts[i] == null) throw new NullPointerException("tensor argument " + i + " is null");
            out[i] = accessor().unwrap(ts[i]);
        }
        return out;
    }

    public static Tensor[] wrap(Buffer[] bs) {
        Tensor[] out = new Tensor[bs.length];
        for (int i = 0; i < bs.length; i++) out[i] = accessor().wrap(bs[i]);
        return out;
    }
}
