package org.kindling.nn.flatten;

import org.kindling.nn.Module;
import org.kindling.tensor.Tensor;

/**
 * Flattens dims {@code startDim..endDim} into one ({@code nn.Flatten}).
 *
 * <p>Args: {@code startDim} (default 1), {@code endDim} (default -1).
 * Shape: {@code (N, C, H, W)} to {@code (N, C*H*W)} with the defaults.
 *
 * <pre>
 * Tensor y = new Flatten().forward(Kindling.randn(32, 1, 5, 5));   // [32, 25]
 * </pre>
 */
public class Flatten extends Module {
    public final int startDim;
    public final int endDim;

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    public Flatten() {
        this(1, -1);
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.flatten(startDim, endDim);
    }

    @Override
    public String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
