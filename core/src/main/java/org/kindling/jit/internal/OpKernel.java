package org.kindling.jit.internal;

import org.kindling.tensor.Tensor;

/** One operator implementation: reads inputs and attributes from the context, returns the outputs in order. */
@FunctionalInterface
public interface OpKernel {
    Tensor[] run(OpContext ctx);
}
