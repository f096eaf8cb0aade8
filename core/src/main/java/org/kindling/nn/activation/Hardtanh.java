package org.kindling.nn.activation;

import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.nn.internal.PyRepr;
import org.kindling.tensor.Tensor;

/**
 * {@code clamp(x, minVal, maxVal)} ({@code nn.Hardtanh}).
 *
 * <p>Args: {@code minVal} (default -1), {@code maxVal} (default 1). Shape: {@code (*)} to the same shape.
 *
 * <pre>
 * Tensor y = new Hardtanh(-2, 2).forward(x);
 * </pre>
 */
public class Hardtanh extends Module {
    public final double minVal;
    public final double maxVal;

    public Hardtanh(double minVal, double maxVal) {
        if (maxVal <= minVal) throw new IllegalArgumentException("Hardtanh: max_val must be > min_val, got "
                + minVal + ", " + maxVal);
        this.minVal = minVal;
        this.maxVal = maxVal;
    }

    public Hardtanh() {
        this(-1, 1);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.hardtanh(input, minVal, maxVal);
    }

    @Override
    public String extraRepr() {
        return "min_val=" + PyRepr.f(minVal) + ", max_val=" + PyRepr.f(maxVal);
    }
}
