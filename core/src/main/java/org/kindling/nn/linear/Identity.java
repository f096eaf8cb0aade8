package org.kindling.nn.linear;

import org.kindling.nn.Module;
import org.kindling.tensor.Tensor;

/**
 * A placeholder that returns its input ({@code nn.Identity}).
 *
 * <pre>
 * Tensor y = new Identity().forward(x);   // y == x
 * </pre>
 */
public class Identity extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input;
    }
}
