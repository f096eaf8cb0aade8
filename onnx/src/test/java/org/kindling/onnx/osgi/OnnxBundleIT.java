package org.kindling.onnx.osgi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.onnx.OnnxApiTest;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

/**
 * Starts Apache Felix with the packaged core and onnx bundles: the onnx bundle resolves with protobuf kept
 * private inside it (no protobuf bundle installed, ONNX Runtime absent), exports only its API package, and
 * loads and runs a model through that API.
 */
class OnnxBundleIT {
    @TempDir
    Path tmp;

    private Framework framework;

    @BeforeEach
    void startFelix() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, tmp.resolve("felix").toString());
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

    private static File bundle(String property) {
        String path = System.getProperty(property);
        assertNotNull(path, "system property " + property + " (set by failsafe) names the packaged bundle");
        File f = new File(path);
        assertTrue(f.isFile(), "packaged bundle missing: " + f);
        return f;
    }

    @Test
    void onnxBundleResolvesAndRunsAModelThroughItsApi() throws Exception {
        Bundle core = framework.getBundleContext().installBundle(bundle("kindling.core.bundle").toURI().toString());
        Bundle onnx = framework.getBundleContext().installBundle(bundle("kindling.onnx.bundle").toURI().toString());
        core.start();
        onnx.start();
        assertEquals(Bundle.ACTIVE, onnx.getState(), "onnx bundle state");
        assertEquals("org.kindling.onnx", onnx.getSymbolicName());
        String exports = onnx.getHeaders().get(Constants.EXPORT_PACKAGE);
        assertTrue(exports.startsWith("org.kindling.onnx;version=\"0.1.0\""), exports);
        assertFalse(exports.contains("internal") || exports.contains("com.google.protobuf"), "private packages leaked: " + exports);

        Path model = tmp.resolve("relu_plus_w.onnx");
        Files.write(model, OnnxApiTest.reluPlusBiasModel());
        Class<?> onnxApi = onnx.loadClass("org.kindling.onnx.Onnx");
        assertEquals(onnx, org.osgi.framework.FrameworkUtil.getBundle(onnxApi), "Onnx must come from the onnx bundle");
        Object loaded = onnxApi.getMethod("load", Path.class).invoke(null, model);
        Class<?> tensorClass = core.loadClass("org.kindling.tensor.Tensor");
        Object x = core.loadClass("org.kindling.Kindling").getMethod("tensor", Object.class)
                .invoke(null, (Object) new float[][] {{-1, 2, -3}});
        Object inputs = Array.newInstance(tensorClass, 1);
        Array.set(inputs, 0, x);
        List<?> out = (List<?>) loaded.getClass().getMethod("forward", inputs.getClass()).invoke(loaded, inputs);
        float[] y = (float[]) tensorClass.getMethod("toFloatArray").invoke(out.get(0));
        assertArrayEquals(new float[] {0.5f, 4f, 3.5f}, y);
    }
}
