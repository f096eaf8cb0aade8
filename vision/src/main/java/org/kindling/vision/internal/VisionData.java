package org.kindling.vision.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kindling.data.Dataset;
import org.kindling.data.Example;
import org.kindling.data.Subset;
import org.kindling.vision.datasets.FakeData;
import org.kindling.vision.datasets.ImageFolder;
import org.kindling.vision.datasets.MnistDataset;
import org.kindling.vision.datasets.Split;
import org.kindling.vision.transforms.Compose;
import org.kindling.vision.transforms.Normalize;
import org.kindling.vision.transforms.RandomCrop;
import org.kindling.vision.transforms.RandomHorizontalFlip;
import org.kindling.vision.transforms.Resize;
import org.kindling.vision.transforms.ToTensor;
import org.kindling.vision.transforms.Transform;

/**
 * A data set chosen by the workloads' options, with its geometry and normalisation: {@code fashion-mnist},
 * {@code mnist}, {@code fake} (generated) or {@code folder} (an ImageFolder root with {@code train/} and
 * {@code test/} subfolders).
 */
record VisionData(String name, Dataset<Example> train, Dataset<Example> test, List<String> classes, int channels,
                  int height, int width, double mean, double std) {

    static final List<String> NAMES = List.of("fashion-mnist", "mnist", "fake", "folder");

    /** What to load: the options shared by vision.train and vision.evaluate. */
    record Spec(String dataset, Path dir, int trainLimit, int testLimit, boolean augment, int channels, int size,
                long seed) {
    }

    static VisionData load(Spec spec) throws IOException {
        return load(spec, Double.NaN, Double.NaN);
    }

    /**
     * Loads the data normalised as a stored model expects, {@code (pixel/255 - mean) / std}, instead of with the
     * data set's own statistics; NaN keeps the data set's.
     */
    static VisionData load(Spec spec, double meanOverride, double stdOverride) throws IOException {
        switch (spec.dataset()) {
            case "fashion-mnist":
            case "mnist": {
                boolean fashion = spec.dataset().equals("fashion-mnist");
                double mean = or(meanOverride, fashion ? 0.2860 : 0.1307);
                double std = or(stdOverride, fashion ? 0.3530 : 0.3081);
                MnistDataset train = fashion ? MnistDataset.fashion(spec.dir(), Split.TRAIN)
                        : MnistDataset.digits(spec.dir(), Split.TRAIN);
                MnistDataset test = fashion ? MnistDataset.fashion(spec.dir(), Split.TEST)
                        : MnistDataset.digits(spec.dir(), Split.TEST);
                Transform eval = Compose.of(new ToTensor(), new Normalize(mean, std));
                Transform fit = spec.augment() ? augmented(train.rows(), eval, spec.seed(), fashion) : eval;
                train = limit(train, spec.trainLimit()).withTransform(fit);
                test = limit(test, spec.testLimit()).withTransform(eval);
                return new VisionData(spec.dataset(), train, test, train.classes(), 1, train.rows(), train.cols(), mean,
                        std);
            }
            case "fake": {
                int[] shape = {spec.channels(), spec.size(), spec.size()};
                double mean = or(meanOverride, 0.5);
                double std = or(stdOverride, 0.25);
                Transform eval = Compose.of(new ToTensor(), new Normalize(mean, std));
                int trainSize = spec.trainLimit() > 0 ? spec.trainLimit() : 1000;
                int testSize = spec.testLimit() > 0 ? spec.testLimit() : 200;
                FakeData train = new FakeData(trainSize, shape, 10, spec.seed(), eval);
                FakeData test = new FakeData(testSize, shape, 10, spec.seed() + 1, eval);
                return new VisionData("fake", train, test, train.classes(), spec.channels(), spec.size(), spec.size(),
                        mean, std);
            }
            case "folder": {
                if (spec.dir() == null || spec.dir().toString().isEmpty()) {
                    throw new IllegalArgumentException("dataset 'folder' needs the option data=<root> with train/ and "
                            + "test/ subfolders of class folders");
                }
                Path trainDir = spec.dir().resolve("train");
                Path testDir = spec.dir().resolve("test");
                if (!Files.isDirectory(trainDir) || !Files.isDirectory(testDir)) {
                    throw new IOException("dataset 'folder': expected " + trainDir + " and " + testDir
                            + " (one subfolder of images per class in each)");
                }
                double mean = or(meanOverride, 0.5);
                double std = or(stdOverride, 0.25);
                Transform eval = Compose.of(new Resize(spec.size(), spec.size()), new ToTensor(),
                        new Normalize(mean, std));
                Transform fit = spec.augment() ? augmented(spec.size(), eval, spec.seed(), true) : eval;
                ImageFolder train = new ImageFolder(trainDir, spec.channels(), fit);
                ImageFolder test = new ImageFolder(testDir, spec.channels(), eval);
                if (!train.classes().equals(test.classes())) {
                    throw new IOException("dataset 'folder': train classes " + train.classes()
                            + " differ from test classes " + test.classes());
                }
                return new VisionData("folder", limit(train, spec.trainLimit()), limit(test, spec.testLimit()),
                        train.classes(), spec.channels(), spec.size(), spec.size(), mean, std);
            }
            default:
                throw new IllegalArgumentException("unknown dataset '" + spec.dataset() + "'; known: "
                        + String.join(", ", NAMES));
        }
    }

    private static double or(double override, double standard) {
        return Double.isNaN(override) ? standard : override;
    }

    /** Random shifts of up to 2 pixels (and mirror images, for data where that keeps the class), then {@code rest}. */
    private static Transform augmented(int size, Transform rest, long seed, boolean flip) {
        List<Transform> steps = new ArrayList<>();
        steps.add(new RandomCrop(size, 2, seed));
        if (flip) {
            steps.add(new RandomHorizontalFlip(0.5, seed + 1));
        }
        steps.add(rest);
        return Compose.of(steps);
    }

    private static MnistDataset limit(MnistDataset d, int n) {
        return n > 0 ? d.head(n) : d;
    }

    private static Dataset<Example> limit(Dataset<Example> d, int n) {
        if (n <= 0 || n >= d.size()) {
            return d;
        }
        int[] first = new int[n];
        for (int i = 0; i < n; i++) {
            first[i] = i;
        }
        return new Subset<>(d, first);
    }
}
