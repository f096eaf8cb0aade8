package org.kindling.vision.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.kindling.Kindling;
import org.kindling.data.Dataset;
import org.kindling.data.Datasets;
import org.kindling.data.Example;
import org.kindling.vision.Images;
import org.kindling.vision.transforms.Transform;

/**
 * Images stored one folder per class ({@code torchvision.datasets.ImageFolder}): {@code root/<class>/<image>}.
 * Classes are the subfolder names in sorted order (label = position); images are the {@code .png}, {@code .jpg}
 * and {@code .jpeg} files of each, sorted by name. Images are decoded on {@link #get} and converted to
 * {@code channels} (1 grey, 3 RGB) raw values 0..255 before the transform; give a {@code Resize} in the
 * transform when the images differ in size.
 *
 * <pre>
 * ImageFolder shoes = new ImageFolder(Path.of("photos"), 1,
 *         Compose.of(new Resize(28, 28), new ToTensor(), new Normalize(0.2860, 0.3530)));
 * shoes.classes();   // [boot, sandal, sneaker]
 * </pre>
 */
public final class ImageFolder implements Dataset<Example> {

    private final Path root;
    private final List<String> classes;
    private final List<Path> files;
    private final int[] labels;
    private final int channels;
    private final Transform transform;

    /**
     * Scans {@code root}.
     *
     * @param root the folder of class folders
     * @param channels 1 (grey) or 3 (RGB)
     * @param transform applied to each raw image [channels, H, W]
     * @throws IOException naming the folder when it is missing, has no class folders, or a class has no images
     */
    public ImageFolder(Path root, int channels, Transform transform) throws IOException {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("ImageFolder: channels must be 1 or 3, got " + channels);
        }
        if (!Files.isDirectory(root)) {
            throw new IOException("ImageFolder: " + root + " is not a folder");
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory).sorted().collect(Collectors.toList());
        }
        if (classDirs.isEmpty()) {
            throw new IOException("ImageFolder: " + root + " has no class folders; expected root/<class>/<image>.png");
        }
        List<String> names = new ArrayList<>();
        List<Path> images = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        for (int c = 0; c < classDirs.size(); c++) {
            Path dir = classDirs.get(c);
            names.add(dir.getFileName().toString());
            List<Path> found;
            try (Stream<Path> s = Files.list(dir)) {
                found = s.filter(ImageFolder::isImage).sorted().collect(Collectors.toList());
            }
            if (found.isEmpty()) {
                throw new IOException("ImageFolder: class folder " + dir + " has no .png, .jpg or .jpeg files");
            }
            for (Path f : found) {
                images.add(f);
                ys.add(c);
            }
        }
        this.root = root;
        this.classes = List.copyOf(names);
        this.files = List.copyOf(images);
        this.labels = ys.stream().mapToInt(Integer::intValue).toArray();
        this.channels = channels;
        this.transform = transform;
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
    }

    /**
     * @throws UncheckedIOException naming the file when it cannot be decoded
     */
    @Override
    public Example get(int index) {
        Datasets.checkIndex(index, files.size());
        try {
            return new Example(transform.apply(Images.toTensor(Images.read(files.get(index)), channels)),
                    Kindling.scalar((long) labels[index]));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    @Override
    public int size() {
        return files.size();
    }

    /** @return the root folder */
    public Path root() {
        return root;
    }

    /** @return class names (sorted folder names), index = label */
    public List<String> classes() {
        return classes;
    }

    /** @param index an example @return its image file */
    public Path file(int index) {
        return files.get(Datasets.checkIndex(index, files.size()));
    }

    /** @param index an example @return its label */
    public int label(int index) {
        return labels[Datasets.checkIndex(index, files.size())];
    }
}
