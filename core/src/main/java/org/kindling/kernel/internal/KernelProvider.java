package org.kindling.kernel.internal;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * Chooses the kernels once per JVM: the Vector API ones when {@code jdk.incubator.vector} is
 * present, else the scalar reference. {@code -Dkindling.kernels=scalar|simd} forces a choice.
 * One log line says which is in use and, on fallback, how to get SIMD.
 */
public final class KernelProvider {
    private static final System.Logger LOG = System.getLogger("org.kindling.kernel");
    private static final Kernels KERNELS = choose(System.getProperty("kindling.kernels"));

    private KernelProvider() {}

    /** The kernels in use. */
    public static Kernels get() {
        return KERNELS;
    }

    /** The scalar reference, for tests that compare against it. */
    public static Kernels scalar() {
        return new ScalarKernels();
    }

    /** The SIMD kernels, or null when the Vector API is not available in this JVM. */
    public static Kernels simdOrNull() {
        try {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return null;
            Class<?> c = Class.forName("org.kindling.kernel.internal.SimdKernels", true,
                    KernelProvider.class.getClassLoader());
            return (Kernels) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    /** What {@code -Dkindling.kernels=forced} would select in this JVM. */
    static Kernels choose(String forced) {
        return choose(forced, KernelProvider::simdOrNull);
    }

    /**
     * The selection logic, separated from the system property and from this JVM's modules so
     * that tests can drive it: {@code forced} is the value of {@code -Dkindling.kernels} (null or
     * blank: automatic), {@code simd} yields the SIMD kernels or null when they are unavailable.
     *
     * @throws IllegalStateException when SIMD is forced but unavailable
     */
    static Kernels choose(String forced, Supplier<Kernels> simd) {
        String f = forced == null ? "" : forced.trim().toLowerCase(Locale.ROOT);
        if (f.equals("scalar")) {
            LOG.log(System.Logger.Level.INFO, "Kindling kernels: scalar (forced by -Dkindling.kernels=scalar)");
            return new ScalarKernels();
        }
        if (!f.isEmpty() && !f.equals("simd")) {
            LOG.log(System.Logger.Level.WARNING, "ignoring -Dkindling.kernels=" + forced + ": expected scalar or simd");
        }
        Kernels k = simd.get();
        if (k != null) {
            LOG.log(System.Logger.Level.INFO, "Kindling kernels: simd (jdk.incubator.vector)");
            return k;
        }
        String how = "the Vector API is unavailable; run the JVM with "
                + "--add-modules jdk.incubator.vector for SIMD kernels";
        if (f.equals("simd")) {
            throw new IllegalStateException("-Dkindling.kernels=simd failed (" + how + ")");
        }
        LOG.log(System.Logger.Level.WARNING, "Kindling kernels: scalar (" + how + ")");
        return new ScalarKernels();
    }
}
