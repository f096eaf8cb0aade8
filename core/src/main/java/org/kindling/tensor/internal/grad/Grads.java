package org.kindling.tensor.internal.grad;

import java.util.Arrays;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Function;
import org.kindling.tensor.FunctionCtx;
import org.kindling.tensor.Tensor;

/** Helpers shared by backward formulas. */
public final class Grads {
    private Grads() {}

    static int[] shape(Tensor t) {
        return t.shape().toArray();
    }

    /**
     * Sums a broadcast gradient back to {@code shape}: leading dims added by broadcasting are
     * summed away, and dims of size 1 that were expanded are summed with keepdim.
     */
    public static Tensor sumToShape(Tensor grad, int[] shape) {
        int[] gs = grad.shape().toArray();
        if (java.util.Arrays.equals(gs, shape)) return grad;
        int lead = gs.length - shape.length;
        Tensor g = grad;
        if (lead > 0) {
            int[] dims = new int[lead];
            for (int i = 0; i < lead; i++) dims[i] = i;
            g = g.sum(dims, false);
        }
        int count = 0;
        for (int i = 0; i < shape.length; i++) if (shape[i] == 1 && g.size(i) != 1) count++;
        if (count > 0) {
            int[] dims = new int[count];
            for (int i = 0, j = 0; i < shape.length; i++) if (shape[i] == 1 && g.size(i) != 1) dims[j++] = i;
            g = g.sum(dims, true);
        }
        return g;
    }

    /**
     * {@link #sumToShape} followed by a cast to the input's dtype, for inputs whose dtype was
     * promoted by the op (float32 + float64 0-dim and the like).
     */
    public static Tensor sumTo(Tensor grad, int[] shape, DType dtype) {
        Tensor g = sumToShape(grad, shape);
        return dtype != null && g.dtype() != dtype && dtype.isFloatingPoint() ? g.to(dtype) : g;
    }

    /** Restores reduced dims (as size 1) so that a reduction's gradient broadcasts back over its input. */
    public static Tensor unsqueezeReduced(Tensor grad, int[] inputShape, int[] dims, boolean keepdim) {
        if (keepdim) return grad;
        int[] ks = keepShape(inputShape, dims);
        return Arrays.equals(shape(grad), ks) ? grad : grad.reshape(ks);
    }

    /** The input shape with the reduced dims (null or empty: all) set to 1. */
    public static int[] keepShape(int[] inputShape, int[] dims) {
        int rank = inputShape.length;
        int[] ks = inputShape.clone();
        if (dims == null || dims.length == 0) {
            Arrays.fill(ks, 1);
        } else {
            for (int d : dims) {
                if (rank > 0) ks[d < 0 ? d + rank : d] = 1;
            }
        }
        return ks;
    }

    /** Number of elements folded into each output element of a reduction over dims (null or empty: all). */
    static long reducedCount(int[] inputShape, int[] dims) {
        long total = 1;
        for (int s : inputShape) total *= s;
        long kept = 1;
        for (int s : keepShape(inputShape, dims)) kept *= s;
        return kept == 0 ? 0 : total / kept;
    }

    /** Sum over dims (null: all) keeping every dim. */
    static Tensor sumKeep(Tensor t, int[] dims) {
        if (t.dim() == 0) return t;
        if (dims == null || dims.length == 0) {
            int[] all = new int[t.dim()];
            for (int i = 0; i < all.length; i++) all[i] = i;
            return t.sum(all, true);
        }
        return t.sum(dims, true);
    }

    /** A zero-filled tensor (never requires grad). */
    static Tensor zeros(int[] shape, DType dtype) {
        return Kindling.zeros(shape, dtype);
    }

    /** A 0-dim zero of the given dtype. */
    static Tensor zeroScalar(DType dtype) {
        return Kindling.zeros(new int[0], dtype);
    }

    /** Zero-pads {@code t} at the end of each dim up to {@code shape} (each dim of t is at most shape's). */
    static Tensor padTo(Tensor t, int[] shape) {
        int[] ts = shape(t);
        if (Arrays.equals(ts, shape)) return t;
        int r = shape.length;
        int[] pad = new int[2 * r];
        for (int i = 0; i < r; i++) {
            int d = r - 1 - i;
            pad[2 * i + 1] = shape[d] - ts[d];
        }
        return t.pad(pad, "constant", 0);
    }

    /** Moves a gradient laid out over a view back into a zero tensor of the base's shape. */
    @FunctionalInterface
    public interface ViewFn {
        Tensor apply(Tensor t);
    }

    /**
     * The backward of a non-overlapping view (narrow, select, slice): a zero tensor of the input's
     * shape with the gradient written into the same view of it. Its own backward applies the view
     * again, so higher-order gradients work.
     */
    public static final class IntoView extends Function {
        private final int[] shape;
        private final ViewFn view;

        public IntoView(int[] shape, ViewFn view) {
            this.shape = shape;
            this.view = view;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor z = zeros(shape, in[0].dtype());
            view.apply(z).copy_(in[0]);
            return z;
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {view.apply(g)};
        }
    }
}
