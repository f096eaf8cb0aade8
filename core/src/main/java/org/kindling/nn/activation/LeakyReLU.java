package org.kindling.nn.activation;

import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.nn.internal.PyRepr;
import org.kindling.tensor.Tensor;

/**
 * {@code x if x >= 0 else negativeSlope * x} ({@code nn.LeakyReLU}).
 *
 * <p>Args: {@code negativeSlope} (default 0.01). Shape: {@code (*)} to the same shape.
 *
 * <pre>
 * Tensor y = new LeakyReLU(0.2).forward(x);
 * </pre>
 */
public class LeakyReLU extends Module {
    public final double negativeSlope;

    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    public LeakyReLU() {
        this(0.01);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.leakyRelu(input, negativeSlope);
    }

    @Override
    public String extraRepr() {
        return "negative_slope=" + PyRepr.f(negativeSlope);
    }
}
