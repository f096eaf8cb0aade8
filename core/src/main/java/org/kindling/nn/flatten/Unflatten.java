package org.kindling.nn.flatten;

import org.kindling.nn.Module;
import org.kindling.nn.internal.PyRepr;
import org.kindling.tensor.Tensor;

/**
 * Splits dim {@code dim} into {@code unflattenedSize} ({@code nn.Unflatten}); one size may be -1.
 *
 * <p>Shape: {@code (*, S, *)} to {@code (*, s1, s2, ..., *)} with {@code prod(si) = S}.
 *
 * <pre>
 * Tensor y = new Unflatten(1, 2, 5, 5).forward(Kindling.randn(2, 50));   // [2, 2, 5, 5]
 * </pre>
 */
public class Unflatten extends Module {
    public final int dim;
    private final int[] unflattenedSize;

    public Unflatten(int dim, int... unflattenedSize) {
        if (unflattenedSize.length == 0) throw new IllegalArgumentException("Unflatten: unflattened_size must be non-empty");
        this.dim = dim;
        this.unflattenedSize = unflattenedSize.clone();
    }

    public int[] unflattenedSize() {
        return unflattenedSize.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.unflatten(dim, unflattenedSize);
    }

    @Override
    public String extraRepr() {
        return "dim=" + dim + ", unflattened_size=" + PyRepr.tuple(unflattenedSize);
    }
}
