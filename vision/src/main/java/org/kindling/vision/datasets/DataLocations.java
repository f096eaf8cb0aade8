package org.kindling.vision.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where data sets are looked for, in order: an explicit folder, {@code $KINDLING_DATA/<name>},
 * {@code ~/.kindling/data/<name>}, then the system location ({@code /usr/share/datasets/<name>}, where Debian's
 * {@code dataset-fashion-mnist} package installs Fashion-MNIST). The first folder that holds every required file
 * (plain or {@code .gz}) wins.
 *
 * <pre>
 * Path dir = DataLocations.find("fashion-mnist", null, "train-images-idx3-ubyte", "train-labels-idx1-ubyte");
 * </pre>
 */
public final class DataLocations {

    /** Environment variable naming a folder that holds one subfolder per data set. */
    public static final String ENV = "KINDLING_DATA";

    /** Folder Debian's dataset packages install into. */
    public static final Path SYSTEM = Path.of("/usr/share/datasets");

    private DataLocations() {
    }

    /**
     * @param name the data set's folder name, such as "fashion-mnist"
     * @param explicit a folder given by the user, searched first, or null
     * @return the folders searched, in order
     */
    public static List<Path> candidates(String name, Path explicit) {
        return candidates(name, explicit, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    static List<Path> candidates(String name, Path explicit, Map<String, String> env, Path home) {
        List<Path> dirs = new ArrayList<>();
        if (explicit != null && !explicit.toString().isEmpty()) {
            dirs.add(explicit);
            dirs.add(explicit.resolve(name));
        }
        String data = env.get(ENV);
        if (data != null && !data.isBlank()) {
            dirs.add(Path.of(data).resolve(name));
        }
        dirs.add(home.resolve(".kindling").resolve("data").resolve(name));
        dirs.add(SYSTEM.resolve(name));
        return dirs;
    }

    /**
     * Finds the folder of a data set.
     *
     * @param name the data set's folder name
     * @param explicit a folder given by the user, or null
     * @param files files the folder must hold (each may also be present with a {@code .gz} suffix)
     * @return the first folder that has them all
     * @throws DatasetNotFoundException listing the folders searched and the command that installs the data set
     */
    public static Path find(String name, Path explicit, String... files) throws DatasetNotFoundException {
        List<Path> searched = candidates(name, explicit);
        for (Path dir : searched) {
            boolean all = true;
            for (String f : files) {
                all &= resolve(dir, f) != null;
            }
            if (all) {
                return dir;
            }
        }
        StringBuilder msg = new StringBuilder("data set '" + name + "' not found: looked for " + String.join(", ", files)
                + " (plain or .gz) in");
        for (Path dir : searched) {
            msg.append(System.lineSeparator()).append("  ").append(dir);
        }
        msg.append(System.lineSeparator()).append("Install it with: kindling data fetch ").append(name)
                .append(" (or set $").append(ENV).append(" to a folder holding ").append(name).append("/)");
        throw new DatasetNotFoundException(name, msg.toString());
    }

    /**
     * @param dir a folder
     * @param file a file name without {@code .gz}
     * @return the file, plain or gzipped, or null when neither exists
     */
    public static Path resolve(Path dir, String file) {
        Path plain = dir.resolve(file);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(file + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }
}
