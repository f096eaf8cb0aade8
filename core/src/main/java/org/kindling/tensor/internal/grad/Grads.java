package org.kindling.tensor.internal.grad;

import org.kindling.tensor.Tensor;

/** Helpers shared by backward formulas. */
public final class Grads {
    private Grads() {}

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

    /** Restores reduced dims (as size 1) so that a reduction's gradient broadcasts back over its input. */
    public static Tensor unsqueezeReduced(Tensor grad, int[] inputShape, int[] dims, boolean keepdim) {
        if (keepdim || dims == null && grad.dim() == inputShape.length) return grad;
        int rank = inputShape.length;
        boolean[] reduced = new boolean[rank];
        if (dims == null) {
            java.util.Arrays.fill(reduced, true);
        } else {
            for (int d : dims) reduced[d < 0 ? d + rank : d] = true;
        }
        Tensor g = grad;
        for (int d = 0; d < rank; d++) if (reduced[d]) g = g.unsqueeze(d);
        return g;
    }
}
