package org.kindling.nn.dropout;

import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.nn.internal.PyRepr;
import org.kindling.tensor.Tensor;

/**
 * During training zeroes each element with probability {@code p} and scales the others by
 * {@code 1/(1-p)}; the identity in eval mode ({@code nn.Dropout}).
 *
 * <p>Args: {@code p} (default 0.5). Shape: {@code (*)} to the same shape.
 *
 * <pre>
 * Dropout d = new Dropout(0.2);
 * Tensor y = d.forward(x);          // training: about 20% zeros, the rest x / 0.8
 * d.eval();
 * Tensor same = d.forward(x);       // x
 * </pre>
 */
public class Dropout extends Module {
    public final double p;

    public Dropout(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        this.p = p;
    }

    public Dropout() {
        this(0.5);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.dropout(input, p, isTraining());
    }

    @Override
    public String extraRepr() {
        return "p=" + PyRepr.f(p) + ", inplace=False";
    }
}
