package org.kindling.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Starts a real Apache Felix framework, installs the packaged core bundle and computes through
 * its exported API, with the Vector API available to the bundle.
 */
class CoreBundleIT {
    @TempDir
    Path storage;

    private Framework framework;

    @BeforeEach
    void startFelix() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "jdk.incubator.vector");
        framework = new FrameworkFactory().newFramework(config);
        framework.start();
    }

    @AfterEach
    void stopFelix() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }

    private static File coreBundle() {
        String path = System.getProperty("kindling.core.bundle");
        assertNotNull(path, "system property kindling.core.bundle (set by failsafe) names the packaged bundle");
        File f = new File(path);
        assertTrue(f.isFile(), "packaged core bundle missing: " + f);
        return f;
    }

    @Test
    void coreBundleResolvesAndComputesThroughItsExportedApi() throws Exception {
        Bundle core = framework.getBundleContext().installBundle(coreBundle().toURI().toString());
        core.start();
        assertEquals(Bundle.ACTIVE, core.getState(), "core bundle state");
        assertEquals("org.kindling.core", core.getSymbolicName());

        Class<?> kindling = core.loadClass("org.kindling.Kindling");
        ClassLoader bundleLoader = core.adapt(BundleWiring.class).getClassLoader();
        assertEquals(bundleLoader, kindling.getClassLoader(), "Kindling must come from the bundle");
        assertNotSame(getClass().getClassLoader(), kindling.getClassLoader());

        Class<?> tensorClass = core.loadClass("org.kindling.tensor.Tensor");
        Object x = kindling.getMethod("tensor", Object.class).invoke(null, (Object) new float[][] {{1, 2}, {3, 4}});
        Object xt = tensorClass.getMethod("t").invoke(x);
        Object product = tensorClass.getMethod("matmul", tensorClass).invoke(xt, x);
        // [[1,3],[2,4]] @ [[1,2],[3,4]] = [[10,14],[14,20]]
        float[] values = (float[]) tensorClass.getMethod("toFloatArray").invoke(product);
        assertEquals(10f, values[0]);
        assertEquals(14f, values[1]);
        assertEquals(14f, values[2]);
        assertEquals(20f, values[3]);
        Object shifted = tensorClass.getMethod("add", double.class).invoke(product, 0.5);
        Object total = tensorClass.getMethod("sum").invoke(shifted);
        assertEquals(60.0, (double) tensorClass.getMethod("item").invoke(total), 1e-6);
        assertEquals("tensor([[10.5000, 14.5000],\n        [14.5000, 20.5000]])", shifted.toString());

        assertEquals("simd", kindling.getMethod("kernels").invoke(null),
                "the bundle imports jdk.incubator.vector from the system bundle and must use the SIMD kernels");
    }

    @Test
    void manifestExportsOnlyTheApiPackages() throws Exception {
        Bundle core = framework.getBundleContext().installBundle(coreBundle().toURI().toString());
        String exports = core.getHeaders().get(Constants.EXPORT_PACKAGE);
        assertNotNull(exports, "Export-Package header");
        assertTrue(exports.contains("org.kindling.tensor;version=\"0.1.0\""), exports);
        assertTrue(exports.contains("org.kindling;version=\"0.1.0\""), exports);
        for (String api : new String[] {"org.kindling.autograd", "org.kindling.nn", "org.kindling.nn.linear",
                "org.kindling.optim", "org.kindling.optim.lr", "org.kindling.data", "org.kindling.io",
                "org.kindling.train"}) {
            assertTrue(exports.contains(api + ";version=\"0.1.0\""), api + " must be exported: " + exports);
        }
        assertFalse(exports.contains("internal"), "internal packages must stay private: " + exports);
        String imports = core.getHeaders().get(Constants.IMPORT_PACKAGE);
        assertTrue(imports.contains("jdk.incubator.vector;resolution:=optional"), imports);
        assertTrue(Files.size(coreBundle().toPath()) > 10_000);
    }
}
