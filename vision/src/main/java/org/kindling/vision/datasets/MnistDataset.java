package org.kindling.vision.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.kindling.Kindling;
import org.kindling.data.Dataset;
import org.kindling.data.Datasets;
import org.kindling.data.Example;
import org.kindling.tensor.Tensor;
import org.kindling.vision.transforms.ToTensor;
import org.kindling.vision.transforms.Transform;

/**
 * MNIST-format image classification data: 28x28 grey images with one label each, read from the four IDX files
 * ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 * {@code t10k-labels-idx1-ubyte}, each plain or gzipped). {@link #fashion} reads Fashion-MNIST (Zalando's clothing
 * images), {@link #digits} the MNIST digits. {@link #get} returns {@code Example(x, y)} with x the transformed
 * image (by default {@link ToTensor}: [1, 28, 28] in [0, 1]) and y the label as an int64 scalar.
 *
 * <pre>
 * MnistDataset train = MnistDataset.fashion(Split.TRAIN);
 * train.size();                 // 60000
 * train.classes().get(9);       // "Ankle boot"
 * Tensor all = train.images();  // [60000, 1, 28, 28] in [0, 1], for fast untransformed training
 * </pre>
 */
public final class MnistDataset implements Dataset<Example> {

    /** Fashion-MNIST's class names, in label order. */
    public static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** MNIST's class names, in label order. */
    public static final List<String> DIGIT_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private final String name;
    private final byte[] pixels;
    private final byte[] labels;
    private final int count;
    private final int rows;
    private final int cols;
    private final List<String> classes;
    private final Transform transform;

    private MnistDataset(String name, byte[] pixels, byte[] labels, int count, int rows, int cols,
            List<String> classes, Transform transform) {
        this.name = name;
        this.pixels = pixels;
        this.labels = labels;
        this.count = count;
        this.rows = rows;
        this.cols = cols;
        this.classes = classes;
        this.transform = transform;
    }

    /**
     * Fashion-MNIST from the first folder of {@link DataLocations#candidates} that holds it.
     *
     * @param split train (60,000 images) or test (10,000)
     * @return the data set
     * @throws DatasetNotFoundException naming the folders searched and {@code kindling data fetch fashion-mnist}
     * @throws IOException naming the file when a file is corrupt
     */
    public static MnistDataset fashion(Split split) throws IOException {
        return fashion(null, split);
    }

    /**
     * @param dir a folder holding the IDX files (or a {@code fashion-mnist} subfolder), searched before the
     *        default locations; null for the defaults only
     * @param split train or test
     * @return the data set
     * @throws IOException when it is missing or corrupt
     */
    public static MnistDataset fashion(Path dir, Split split) throws IOException {
        return load("fashion-mnist", dir, split, FASHION_CLASSES);
    }

    /**
     * @param dir a folder holding the IDX files (or an {@code mnist} subfolder), or null for the defaults only
     * @param split train or test
     * @return the MNIST digits
     * @throws IOException when it is missing or corrupt
     */
    public static MnistDataset digits(Path dir, Split split) throws IOException {
        return load("mnist", dir, split, DIGIT_CLASSES);
    }

    private static MnistDataset load(String name, Path dir, Split split, List<String> classes) throws IOException {
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        String imagesName = prefix + "-images-idx3-ubyte";
        String labelsName = prefix + "-labels-idx1-ubyte";
        Path folder = DataLocations.find(name, dir, imagesName, labelsName);
        return read(name, DataLocations.resolve(folder, imagesName), DataLocations.resolve(folder, labelsName),
                classes);
    }

    /**
     * Reads a pair of IDX files.
     *
     * @param name a name for messages
     * @param imagesFile IDX file of rank 3 [N, rows, cols]
     * @param labelsFile IDX file of rank 1 [N]
     * @param classes class names; every label must index one
     * @return the data set, with {@link ToTensor} as its transform
     * @throws IOException naming the file when either is corrupt, the counts disagree, or a label is out of range
     */
    public static MnistDataset read(String name, Path imagesFile, Path labelsFile, List<String> classes)
            throws IOException {
        IdxFile images = IdxFile.read(imagesFile, 3);
        IdxFile labels = IdxFile.read(labelsFile, 1);
        if (images.dims()[0] != labels.dims()[0]) {
            throw new IOException(imagesFile + " holds " + images.dims()[0] + " images but " + labelsFile + " holds "
                    + labels.dims()[0] + " labels; the counts must agree");
        }
        byte[] y = labels.data();
        for (int i = 0; i < y.length; i++) {
            if ((y[i] & 0xff) >= classes.size()) {
                throw new IOException(labelsFile + ": label " + i + " is " + (y[i] & 0xff) + ", expected 0.."
                        + (classes.size() - 1));
            }
        }
        return new MnistDataset(name, images.data(), y, images.dims()[0], images.dims()[1], images.dims()[2],
                List.copyOf(classes), new ToTensor());
    }

    /**
     * @param transform applied to each raw image [1, rows, cols] with values 0..255
     * @return a view of the same data with this transform
     */
    public MnistDataset withTransform(Transform transform) {
        return new MnistDataset(name, pixels, labels, count, rows, cols, classes, transform);
    }

    /**
     * @param n how many examples to keep
     * @return a view of the first {@code min(n, size())} examples
     */
    public MnistDataset head(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("head: n must be >= 0, got " + n);
        }
        int keep = Math.min(n, count);
        return new MnistDataset(name, Arrays.copyOf(pixels, keep * rows * cols), Arrays.copyOf(labels, keep), keep,
                rows, cols, classes, transform);
    }

    @Override
    public Example get(int index) {
        return new Example(transform.apply(rawImage(index)), Kindling.scalar((long) label(index)));
    }

    @Override
    public int size() {
        return count;
    }

    /** @return the data set's name, such as "fashion-mnist" */
    public String name() {
        return name;
    }

    /** @return the class names, index = label */
    public List<String> classes() {
        return classes;
    }

    /** @return image height */
    public int rows() {
        return rows;
    }

    /** @return image width */
    public int cols() {
        return cols;
    }

    /** @param index an example @return its label */
    public int label(int index) {
        Datasets.checkIndex(index, count);
        return labels[index] & 0xff;
    }

    /** @param index an example @return its image [1, rows, cols], raw values 0..255, untransformed */
    public Tensor rawImage(int index) {
        Datasets.checkIndex(index, count);
        int n = rows * cols;
        float[] px = new float[n];
        for (int i = 0; i < n; i++) {
            px[i] = pixels[index * n + i] & 0xff;
        }
        return Kindling.fromArray(px, 1, rows, cols);
    }

    /** @return every image as one tensor [N, 1, rows, cols] scaled to [0, 1], without the transform */
    public Tensor images() {
        float[] px = new float[pixels.length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (pixels[i] & 0xff) / 255f;
        }
        return Kindling.fromArray(px, count, 1, rows, cols);
    }

    /** @return every label as an int64 tensor [N] */
    public Tensor labels() {
        long[] y = new long[count];
        for (int i = 0; i < count; i++) {
            y[i] = labels[i] & 0xff;
        }
        return Kindling.fromArray(y, count);
    }

    @Override
    public String toString() {
        return "MnistDataset(" + name + ", " + count + " images " + rows + "x" + cols + ", transform=" + transform + ")";
    }
}
