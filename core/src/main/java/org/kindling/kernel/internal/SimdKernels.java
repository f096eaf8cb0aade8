package org.kindling.kernel.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Vector API twin of {@link ScalarKernels} for the hot paths. (Placeholder: filled in by the kernels work.) */
public final class SimdKernels extends ScalarKernels {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    @Override
    public String name() {
        return "simd";
    }
}
