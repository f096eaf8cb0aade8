package org.kindling.vision.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kindling.plugin.ModelInfo;
import org.kindling.plugin.ModelStore;
import org.kindling.plugin.NewModel;
import org.kindling.plugin.Workload;
import org.kindling.plugin.WorkloadContext;
import org.kindling.plugin.WorkloadDescriptor;

/**
 * What the hub gives a workload, for tests outside a framework: options resolved against the options the workload
 * declares in its Declarative Services descriptor (the OSGI-INF XML bnd generated), and a folder model store.
 */
final class TestHub {

    private TestHub() {
    }

    /** Reads the component XML bnd wrote for {@code type} and returns its declared workload descriptor. */
    static WorkloadDescriptor descriptor(Class<? extends Workload> type) throws Exception {
        String xml;
        try (java.io.InputStream in = type.getClassLoader().getResourceAsStream("OSGI-INF/" + type.getName() + ".xml")) {
            if (in == null) {
                throw new IllegalStateException("no OSGI-INF/" + type.getName() + ".xml beside the class: build with "
                        + "bnd-maven-plugin first");
            }
            xml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Map<String, Object> props = new HashMap<>();
        Matcher single = Pattern.compile("<property name=\"([^\"]+)\" type=\"String\" value=\"([^\"]*)\"/>").matcher(xml);
        while (single.find()) {
            props.put(single.group(1), unescape(single.group(2)));
        }
        Matcher multi = Pattern.compile("<property name=\"([^\"]+)\" type=\"String\">([^<]*)</property>").matcher(xml);
        while (multi.find()) {
            props.put(multi.group(1), unescape(multi.group(2)).split("\n"));
        }
        return WorkloadDescriptor.fromProperties(props, "org.kindling.vision", "test");
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    }

    static final class Context implements WorkloadContext {
        final Map<String, Object> options;
        final Path outputDir;
        final ModelStore store;
        final List<String> log = new ArrayList<>();
        final List<String> progress = new ArrayList<>();
        final Map<String, Double> metrics = new LinkedHashMap<>();
        final String workloadId;
        boolean echo;

        Context(Class<? extends Workload> type, Map<String, String> given, Path outputDir, ModelStore store)
                throws Exception {
            WorkloadDescriptor d = descriptor(type);
            this.workloadId = d.id();
            this.options = d.resolveOptions(given);
            this.outputDir = outputDir;
            this.store = store;
        }

        @Override public String runId() { return "test-run"; }
        @Override public String workloadId() { return workloadId; }
        @Override public Map<String, Object> options() { return options; }
        @Override public int intOption(String name) { return (Integer) options.get(name); }
        @Override public long longOption(String name) { return ((Number) options.get(name)).longValue(); }
        @Override public double doubleOption(String name) { return ((Number) options.get(name)).doubleValue(); }
        @Override public boolean booleanOption(String name) { return (Boolean) options.get(name); }
        @Override public String stringOption(String name) { return String.valueOf(options.get(name)); }
        @Override public Path pathOption(String name) { return Path.of(stringOption(name)); }
        @Override public long seed() { return 1234L; }
        @Override public Path outputDir() { return outputDir; }
        @Override public void progress(double fraction, String message) {
            progress.add(message);
            if (echo) {
                System.out.println("[progress] " + message);
            }
        }
        @Override public void metric(String name, double value) { metrics.put(name, value); }
        @Override public void log(String line) {
            log.add(line);
            if (echo) {
                System.out.println(line);
            }
        }
        @Override public boolean isCancelled() { return false; }
        @Override public ModelStore models() { return store; }
    }

    /** A model store in a folder: one copied file per version, metadata kept in memory. */
    static final class FolderStore implements ModelStore {
        private final Path dir;
        private final List<ModelInfo> models = new ArrayList<>();

        FolderStore(Path dir) {
            this.dir = dir;
        }

        @Override
        public synchronized List<ModelInfo> list() {
            return List.copyOf(models);
        }

        @Override
        public synchronized Optional<ModelInfo> get(String name) {
            return models.stream().filter(m -> m.name().equals(name)).reduce((a, b) -> b);
        }

        @Override
        public synchronized Optional<ModelInfo> get(String name, int version) {
            return models.stream().filter(m -> m.name().equals(name) && m.version() == version).findFirst();
        }

        @Override
        public Path file(ModelInfo model) {
            return dir.resolve(model.fileName());
        }

        @Override
        public synchronized ModelInfo put(NewModel model) {
            int version = (int) models.stream().filter(m -> m.name().equals(model.name())).count() + 1;
            String fileName = model.name() + "-" + version + "." + model.format();
            try {
                Files.createDirectories(dir);
                Files.copy(model.file(), dir.resolve(fileName), StandardCopyOption.REPLACE_EXISTING);
                byte[] bytes = Files.readAllBytes(dir.resolve(fileName));
                String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
                ModelInfo info = new ModelInfo(model.name(), version, model.format(), fileName, model.workload(),
                        model.metrics(), model.properties(), sha, bytes.length, Instant.now());
                models.add(info);
                return info;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public ModelInfo importFile(Path file, String name, String format) {
            throw new UnsupportedOperationException("not needed by the vision workloads");
        }

        @Override
        public Path export(String name, String format, Path targetDir) {
            throw new UnsupportedOperationException("not needed by the vision workloads");
        }

        @Override
        public boolean delete(String name) {
            throw new UnsupportedOperationException("not needed by the vision workloads");
        }

        @Override
        public List<String> formats() {
            return List.of("safetensors");
        }
    }
}
