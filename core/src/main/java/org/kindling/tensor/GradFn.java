package org.kindling.tensor;

import java.util.List;

/** The recorded op that produced a tensor ({@code tensor.grad_fn}), for inspecting the graph. */
public interface GradFn {
    /** The op's name, e.g. "MulBackward". */
    String name();

    /** The functions that produced the op's inputs (null entries for inputs without gradient). */
    List<GradFn> nextFunctions();
}
