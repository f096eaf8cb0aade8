package org.kindling.plugin.hub.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.kindling.plugin.HubException;
import org.kindling.plugin.ModelFormat;
import org.kindling.plugin.ModelInfo;
import org.kindling.plugin.ModelStore;
import org.kindling.plugin.NewModel;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The model store: {@code <models>/<name>/<version>/} holds the model file and {@code model.json}. A version is
 * assembled in a hidden temporary folder and renamed into place in one step, so a version folder is either
 * complete or absent; two writers racing for a version number both succeed, one with the next number.
 */
@Component(service = ModelStore.class)
public class ModelStoreImpl implements ModelStore {

    static final String METADATA = "model.json";

    /** Format name to the services offering it (several plugins may write one format for different models). */
    private final Map<String, List<ModelFormat>> formats = new ConcurrentHashMap<>();
    private Path root;

    /** Used by Declarative Services. */
    public ModelStoreImpl() {
    }

    /** For tests outside a framework. */
    ModelStoreImpl(Path root) {
        this.root = root;
    }

    @Activate
    void activate(BundleContext context) throws IOException {
        String dir = context.getProperty("kindling.models.dir");
        if (dir == null) {
            String home = context.getProperty("kindling.home");
            dir = Path.of(home == null ? "kindling-home" : home, "models").toString();
        }
        root = Path.of(dir).toAbsolutePath();
        Files.createDirectories(root);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addFormat(ModelFormat format, Map<String, Object> properties) {
        formats.computeIfAbsent(formatName(format, properties), n -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(format);
    }

    void removeFormat(ModelFormat format, Map<String, Object> properties) {
        formats.computeIfPresent(formatName(format, properties), (n, list) -> {
            list.remove(format);
            return list.isEmpty() ? null : list;
        });
    }

    private static String formatName(ModelFormat format, Map<String, Object> properties) {
        Object name = properties.get(ModelFormat.NAME);
        return name == null ? format.name() : name.toString();
    }

    @Override
    public List<ModelInfo> list() {
        List<ModelInfo> all = new ArrayList<>();
        for (Path nameDir : children(root)) {
            for (Path versionDir : children(nameDir)) {
                read(versionDir).ifPresent(all::add);
            }
        }
        all.sort(Comparator.comparing(ModelInfo::name).thenComparingInt(ModelInfo::version));
        return all;
    }

    @Override
    public Optional<ModelInfo> get(String name) {
        int colon = name.lastIndexOf(':');
        if (colon > 0) {
            return get(name.substring(0, colon), parseVersion(name, name.substring(colon + 1)));
        }
        ModelInfo.checkName(name);
        return children(root.resolve(name)).stream().map(this::read).flatMap(Optional::stream)
                .max(Comparator.comparingInt(ModelInfo::version));
    }

    @Override
    public Optional<ModelInfo> get(String name, int version) {
        ModelInfo.checkName(name);
        return read(root.resolve(name).resolve(Integer.toString(version)));
    }

    @Override
    public Path file(ModelInfo model) {
        return root.resolve(model.name()).resolve(Integer.toString(model.version())).resolve(model.fileName());
    }

    @Override
    public ModelInfo put(NewModel model) {
        Path nameDir = root.resolve(model.name());
        Path incoming = nameDir.resolve(".incoming-" + UUID.randomUUID());
        try {
            Files.createDirectories(incoming);
            String extension = extensionOf(model.file().getFileName().toString(), model.format());
            String fileName = "model" + extension;
            Path file = incoming.resolve(fileName);
            Files.copy(model.file(), file);
            Files2.force(file);
            String sha = Files2.sha256(file);
            long size = Files.size(file);
            Instant created = Instant.now();
            for (int attempt = 0; attempt < 100; attempt++) {
                int version = nextVersion(nameDir);
                ModelInfo info = new ModelInfo(model.name(), version, model.format(), fileName, model.workload(),
                        model.metrics(), model.properties(), sha, size, created);
                Files2.writeAtomically(incoming.resolve(METADATA), Json.write(toJson(info)));
                Path versionDir = nameDir.resolve(Integer.toString(version));
                try {
                    Files.move(incoming, versionDir, StandardCopyOption.ATOMIC_MOVE);
                    return info;
                } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                    // another writer took this version number; take the next one
                } catch (java.nio.file.FileSystemException e) {
                    if (!Files.isDirectory(versionDir)) {
                        throw e;
                    }
                    // as above: Linux reports ENOTEMPTY from rename as a plain FileSystemException
                }
            }
            throw new HubException(HubException.Kind.FAILED, "could not store model '" + model.name()
                    + "': 100 writers raced for a version number");
        } catch (NoSuchFileException e) {
            throw new HubException(HubException.Kind.BAD_REQUEST, "model file not found: " + model.file());
        } catch (IOException e) {
            throw new HubException(HubException.Kind.FAILED, "could not store model '" + model.name() + "' from "
                    + model.file() + " in " + root + ": " + e, e);
        } finally {
            try {
                Files2.deleteTree(incoming);
            } catch (IOException ignored) {
                // a leftover hidden folder is skipped by list() and by nextVersion()
            }
        }
    }

    @Override
    public ModelInfo importFile(Path file, String name, String formatName) {
        ModelFormat format = formatName != null ? format(formatName).get(0) : formatForFile(file);
        Map<String, String> description;
        try {
            description = format.inspect(file);
        } catch (NoSuchFileException e) {
            throw new HubException(HubException.Kind.BAD_REQUEST, "model file not found: " + file);
        } catch (IOException | RuntimeException e) {
            throw new HubException(HubException.Kind.BAD_REQUEST, "not a valid " + format.name() + " file: " + file
                    + ": " + e.getMessage(), e);
        }
        Map<String, String> properties = new LinkedHashMap<>(description);
        properties.put("imported.from", file.getFileName().toString());
        return put(new NewModel(name, format.name(), file, "", Map.of(), properties));
    }

    @Override
    public Path export(String name, String formatName, Path targetDir) {
        ModelInfo model = get(name).orElseThrow(() -> notFound(name));
        ModelFormat format = format(formatName).stream().filter(f -> f.canWrite(model)).findFirst().orElse(null);
        if (format == null) {
            throw new HubException(HubException.Kind.BAD_REQUEST, "format '" + formatName + "' cannot write model "
                    + model.reference() + " (format " + model.format()
                    + (model.workload().isEmpty() ? "" : ", from workload " + model.workload()) + ")");
        }
        Path dir = targetDir.toAbsolutePath().normalize();
        Path target = dir.resolve(model.name() + "-v" + model.version() + format.fileExtension());
        Path tmp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(dir);
            format.write(model, file(model), tmp);
            Files2.force(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new HubException(HubException.Kind.FAILED, "exporting " + model.reference() + " as " + formatName
                    + " to " + target + " failed: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort: a hidden temporary file
            }
        }
    }

    @Override
    public boolean delete(String name) {
        List<Path> doomed = new ArrayList<>();
        int colon = name.lastIndexOf(':');
        if (colon > 0) {
            String base = ModelInfo.checkName(name.substring(0, colon));
            Path versionDir = root.resolve(base).resolve(Integer.toString(parseVersion(name, name.substring(colon + 1))));
            if (Files.isDirectory(versionDir)) {
                doomed.add(versionDir);
            }
        } else {
            doomed.addAll(children(root.resolve(ModelInfo.checkName(name))));
        }
        try {
            for (Path dir : doomed) {
                Path trash = dir.resolveSibling(".deleted-" + UUID.randomUUID());
                Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
                Files2.deleteTree(trash);
            }
            Path nameDir = root.resolve(colon > 0 ? name.substring(0, colon) : name);
            if (Files.isDirectory(nameDir) && children(nameDir).isEmpty()) {
                Files2.deleteTree(nameDir);
            }
        } catch (IOException e) {
            throw new HubException(HubException.Kind.FAILED, "deleting model '" + name + "' failed: " + e, e);
        }
        return !doomed.isEmpty();
    }

    @Override
    public List<String> formats() {
        return formats.keySet().stream().sorted().collect(Collectors.toList());
    }

    /** @return the store's folder */
    Path root() {
        return root;
    }

    List<ModelFormat> format(String name) {
        List<ModelFormat> f = formats.get(name);
        if (f == null) {
            throw new HubException(HubException.Kind.NOT_FOUND, "unknown model format '" + name + "'; installed: "
                    + (formats.isEmpty() ? "(none)" : String.join(", ", formats())));
        }
        return f;
    }

    private ModelFormat formatForFile(Path file) {
        String fileName = file.getFileName().toString();
        return formats.values().stream().flatMap(List::stream).filter(f -> fileName.endsWith(f.fileExtension())).findFirst()
                .orElseThrow(() -> new HubException(HubException.Kind.BAD_REQUEST, "cannot tell the format of '"
                        + fileName + "' from its extension; give one of: " + String.join(", ", formats())));
    }

    private String extensionOf(String fileName, String formatName) {
        List<ModelFormat> f = formats.get(formatName);
        if (f != null && !f.isEmpty()) {
            return f.get(0).fileExtension();
        }
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot).replaceAll("[^A-Za-z0-9.]", "");
    }

    private static int parseVersion(String reference, String text) {
        try {
            int v = Integer.parseInt(text);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new HubException(HubException.Kind.BAD_REQUEST, "model reference must be name or name:version with "
                + "version >= 1, got '" + reference + "'");
    }

    private static HubException notFound(String name) {
        return new HubException(HubException.Kind.NOT_FOUND, "no model named '" + name + "'");
    }

    private static int nextVersion(Path nameDir) {
        return children(nameDir).stream().map(p -> p.getFileName().toString()).filter(n -> n.matches("[1-9][0-9]{0,8}"))
                .mapToInt(Integer::parseInt).max().orElse(0) + 1;
    }

    /** Version folders (or model-name folders): names that do not start with a dot. */
    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".") && Files.isDirectory(p))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            return List.of();
        }
    }

    private Optional<ModelInfo> read(Path versionDir) {
        Path meta = versionDir.resolve(METADATA);
        if (!versionDir.getFileName().toString().matches("[1-9][0-9]{0,8}") || !Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) Json.parse(Files.readString(meta, StandardCharsets.UTF_8));
            return Optional.of(fromJson(m));
        } catch (IOException | RuntimeException e) {
            System.err.println("kindling: skipping model metadata " + meta + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    static Map<String, Object> toJson(ModelInfo m) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("name", m.name());
        j.put("version", m.version());
        j.put("format", m.format());
        j.put("file", m.fileName());
        j.put("workload", m.workload());
        j.put("metrics", m.metrics());
        j.put("properties", m.properties());
        j.put("sha256", m.sha256());
        j.put("sizeBytes", m.sizeBytes());
        j.put("created", m.created().toString());
        return j;
    }

    @SuppressWarnings("unchecked")
    static ModelInfo fromJson(Map<String, Object> j) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        ((Map<String, Object>) j.getOrDefault("metrics", Map.of()))
                .forEach((k, v) -> metrics.put(k, v == null ? Double.NaN : ((Number) v).doubleValue()));
        Map<String, String> properties = new LinkedHashMap<>();
        ((Map<String, Object>) j.getOrDefault("properties", Map.of())).forEach((k, v) -> properties.put(k, String.valueOf(v)));
        String file = (String) j.get("file");
        if (file == null || file.contains("/") || file.contains("\\") || file.startsWith(".")) {
            throw new IllegalArgumentException("'file' must be a plain file name, got " + file);
        }
        return new ModelInfo((String) j.get("name"), ((Number) j.get("version")).intValue(), (String) j.get("format"),
                file, (String) j.get("workload"), metrics, properties, (String) j.get("sha256"),
                ((Number) j.get("sizeBytes")).longValue(), Instant.parse((String) j.get("created")));
    }
}
