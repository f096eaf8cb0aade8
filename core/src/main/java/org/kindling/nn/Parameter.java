package org.kindling.nn;

import org.kindling.tensor.Tensor;

/**
 * A tensor that is a module's learnable weight ({@code nn.Parameter}): a leaf that requires
 * grad by default and shares its data with the tensor it was made from.
 *
 * <pre>
 * Parameter w = new Parameter(Kindling.randn(10, 5));
 * w.requiresGrad();   // true
 * </pre>
 */
public class Parameter extends Tensor {

    /** A parameter over {@code data} (shared, detached), requiring grad. */
    public Parameter(Tensor data) {
        this(data, true);
    }

    public Parameter(Tensor data, boolean requiresGrad) {
        super(data);
        if (requiresGrad) requiresGrad_(true);
    }

    @Override
    public String toString() {
        return "Parameter containing:\n" + super.toString();
    }
}
