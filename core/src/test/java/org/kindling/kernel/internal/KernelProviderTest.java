package org.kindling.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KernelProviderTest {

    @Test
    void simdIsSelectedInThisJvm() {
        // Surefire runs the tests with --add-modules jdk.incubator.vector.
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "the test JVM should have the Vector API module");
        assertNotNull(KernelProvider.simdOrNull());
        assertInstanceOf(SimdKernels.class, KernelProvider.simdOrNull());
        if (System.getProperty("kindling.kernels") == null) {
            assertEquals("simd", KernelProvider.get().name());
        }
        assertEquals("simd", KernelProvider.choose(null).name());
        assertEquals("simd", KernelProvider.choose("").name());
        assertEquals("simd", KernelProvider.choose("simd").name());
        assertEquals("scalar", KernelProvider.scalar().name());
    }

    @Test
    void scalarCanBeForced() {
        assertInstanceOf(ScalarKernels.class, KernelProvider.choose("scalar"));
        assertEquals("scalar", KernelProvider.choose("scalar").name());
        assertEquals("scalar", KernelProvider.choose(" Scalar ").name());
        // Forcing scalar never even asks for the SIMD kernels.
        assertEquals("scalar", KernelProvider.choose("scalar", () -> {
            throw new AssertionError("SIMD kernels should not be created when scalar is forced");
        }).name());
    }

    @Test
    void fallsBackToScalarWithoutTheVectorApi() {
        assertEquals("scalar", KernelProvider.choose(null, () -> null).name());
        assertEquals("scalar", KernelProvider.choose("", () -> null).name());
        // An unrecognised value is ignored (with a warning), not an error.
        assertEquals("scalar", KernelProvider.choose("fast", () -> null).name());
        assertEquals("simd", KernelProvider.choose("fast", SimdKernels::new).name());
    }

    @Test
    void forcingSimdWithoutTheVectorApiFails() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KernelProvider.choose("simd", () -> null));
        assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());
    }
}
