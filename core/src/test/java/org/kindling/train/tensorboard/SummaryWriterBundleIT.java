package org.kindling.train.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.train.tensorboard.internal.TfRecords;
import org.kindling.train.tensorboard.internal.proto.Event;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

/**
 * The packaged core bundle writes event files inside Felix: protobuf is embedded privately (no protobuf bundle
 * installed, no com.google.protobuf import), and the file it writes parses with this test's own copy of the
 * generated classes.
 */
class SummaryWriterBundleIT {

    @TempDir
    Path storage;

    @TempDir
    Path logs;

    @Test
    void coreBundleWritesEventFilesWithItsPrivateProtobuf() throws Exception {
        String path = System.getProperty("kindling.core.bundle");
        assertNotNull(path, "system property kindling.core.bundle (set by failsafe) names the packaged bundle");
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "jdk.incubator.vector");
        Framework framework = new FrameworkFactory().newFramework(config);
        framework.start();
        try {
            Bundle core = framework.getBundleContext().installBundle(new File(path).toURI().toString());
            core.start();
            assertEquals(Bundle.ACTIVE, core.getState());
            String imports = core.getHeaders().get(Constants.IMPORT_PACKAGE);
            assertFalse(imports.contains("com.google.protobuf"), "protobuf must be embedded, not imported: " + imports);
            String exports = core.getHeaders().get(Constants.EXPORT_PACKAGE);
            assertTrue(exports.contains("org.kindling.train.tensorboard;version=\"0.1.0\""), exports);

            Class<?> writerClass = core.loadClass("org.kindling.train.tensorboard.SummaryWriter");
            assertFalse(writerClass.getClassLoader() == getClass().getClassLoader());
            Object writer = writerClass.getConstructor(Path.class).newInstance(logs);
            writerClass.getMethod("addScalar", String.class, double.class, long.class).invoke(writer, "loss", 0.25, 3L);
            writerClass.getMethod("addText", String.class, String.class, long.class).invoke(writer, "t", "hi", 4L);
            Path file = (Path) writerClass.getMethod("file").invoke(writer);
            writerClass.getMethod("close").invoke(writer);

            List<byte[]> records = TfRecords.readAll(Files.newInputStream(file), file.toString());
            assertEquals(3, records.size());
            Event scalar = Event.parseFrom(records.get(1));
            assertEquals(3, scalar.getStep());
            assertEquals(0.25f, scalar.getSummary().getValue(0).getSimpleValue());
            assertEquals("hi", Event.parseFrom(records.get(2)).getSummary().getValue(0).getTensor().getStringVal(0)
                    .toStringUtf8());
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }
}
