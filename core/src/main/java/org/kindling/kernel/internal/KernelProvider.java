package org.kindling.kernel.internal;

/**
 * Chooses the kernels once per JVM: the Vector API ones when {@code jdk.incubator.vector} is
 * present, else the scalar reference. {@code -Dkindling.kernels=scalar|simd} forces a choice.
 * One log line says which is in use and, on fallback, how to get SIMD.
 */
public final class KernelProvider {
    private static final System.Logger LOG = System.getLogger("org.kindling.kernel");
    private static final Kernels KERNELS = choose();

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

    private static Kernels choose() {
        String forced = System.getProperty("kindling.kernels", "").trim().toLowerCase(java.util.Locale.ROOT);
        if (forced.equals("scalar")) {
            LOG.log(System.Logger.Level.INFO, "Kindling kernels: scalar (forced by -Dkindling.kernels=scalar)");
            return new ScalarKernels();
        }
        Kernels simd = simdOrNull();
        if (simd != null) {
            LOG.log(System.Logger.Level.INFO, "Kindling kernels: simd (jdk.incubator.vector)");
            return simd;
        }
        String why = "Kindling kernels: scalar (the Vector API is unavailable; run the JVM with "
                + "--add-modules jdk.incubator.vector for SIMD kernels)";
        if (forced.equals("simd")) {
            throw new IllegalStateException(why.replace("Kindling kernels: scalar", "-Dkindling.kernels=simd failed"));
        }
        LOG.log(System.Logger.Level.WARNING, why);
        return new ScalarKernels();
    }
}
