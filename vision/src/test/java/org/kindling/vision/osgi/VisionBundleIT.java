package org.kindling.vision.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/**
 * The packaged vision bundle in a real Felix with Declarative Services: it resolves against the core and plugin-API
 * bundles alone (onnx and XChart's vector encoders are optional; XChart itself is embedded), SCR registers its three
 * workloads and its predictor, and an update of the bundle registers them again.
 */
class VisionBundleIT {

    @TempDir
    Path storage;

    private static String bundle(String property) {
        String path = System.getProperty(property);
        assertNotNull(path, "system property " + property + " (set by failsafe)");
        assertTrue(new File(path).isFile(), "missing bundle " + path);
        return new File(path).toURI().toString();
    }

    private static String onClassPath(String artifact) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (new File(entry).getName().startsWith(artifact + "-")) {
                return new File(entry).toURI().toString();
            }
        }
        throw new AssertionError(artifact + " is not on the test class path");
    }

    /** All references, whatever class space: this test's own copy of org.kindling.plugin is not the bundle's. */
    private static TreeSet<String> workloadIds(BundleContext ctx) throws Exception {
        TreeSet<String> ids = new TreeSet<>();
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            ids.clear();
            ServiceReference<?>[] refs = ctx.getAllServiceReferences("org.kindling.plugin.Workload", null);
            for (ServiceReference<?> r : refs == null ? new ServiceReference<?>[0] : refs) {
                ids.add(String.valueOf(r.getProperty("workload.id")));
            }
            if (ids.size() == 3) {
                break;
            }
            Thread.sleep(50);
        }
        return ids;
    }

    @Test
    void theBundleResolvesAndRegistersItsWorkloadsAndPredictor() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "jdk.incubator.vector");
        Framework framework = new FrameworkFactory().newFramework(config);
        framework.start();
        try {
            BundleContext ctx = framework.getBundleContext();
            List<Bundle> bundles = new ArrayList<>();
            for (String location : List.of(onClassPath("org.osgi.util.function"), onClassPath("org.osgi.util.promise"),
                    onClassPath("org.osgi.service.component"), onClassPath("org.apache.felix.scr"), bundle("kindling.core.bundle"), bundle("kindling.api.bundle"))) {
                bundles.add(ctx.installBundle(location));
            }
            Bundle vision = ctx.installBundle(bundle("kindling.vision.bundle"));
            bundles.add(vision);
            for (Bundle b : bundles) {
                b.start();
            }
            assertEquals(Bundle.ACTIVE, vision.getState(), "vision bundle state");
            assertEquals("org.kindling.vision", vision.getSymbolicName());
            assertEquals(new TreeSet<>(List.of("vision.evaluate", "vision.import", "vision.train")), workloadIds(ctx));
            ServiceReference<?>[] predictors = ctx.getAllServiceReferences("org.kindling.plugin.Predictor",
                    "(predictor.workloads=vision.train)");
            assertNotNull(predictors, "the image predictor is registered");
            assertEquals(1, predictors.length);
            assertNotNull(ctx.getService(predictors[0]), "SCR activates the predictor (its imports resolve)");
            ServiceReference<?> train = ctx.getAllServiceReferences("org.kindling.plugin.Workload",
                    "(workload.id=vision.train)")[0];
            Object workload = ctx.getService(train);
            assertEquals("org.kindling.vision.internal.TrainWorkload", workload.getClass().getName());
            assertEquals(vision, train.getBundle());
            // XChart is inside the bundle, not imported.
            assertTrue(vision.getHeaders().get(Constants.IMPORT_PACKAGE).indexOf("org.knowm") < 0);
            vision.loadClass("org.knowm.xchart.XYChart");

            vision.update();
            assertEquals(Bundle.ACTIVE, vision.getState());
            assertEquals(new TreeSet<>(List.of("vision.evaluate", "vision.import", "vision.train")), workloadIds(ctx),
                    "the workloads come back after a hot update");
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }
}
