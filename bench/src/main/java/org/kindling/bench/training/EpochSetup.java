package org.kindling.bench.training;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import org.kindling.data.BatchSampler;
import org.kindling.data.RandomSampler;
import org.kindling.tensor.Generator;
import org.kindling.vision.datasets.MnistDataset;
import org.kindling.vision.datasets.Split;
import org.kindling.vision.transforms.Compose;
import org.kindling.vision.transforms.Normalize;
import org.kindling.vision.transforms.ToTensor;
import org.kindling.vision.transforms.Transform;

/**
 * What both engines share in the Fashion-MNIST epoch benchmark: the training set, its normalisation,
 * the hyper-parameters and the shuffled batch order.
 *
 * <p>The values are those of {@code vision.train}'s defaults (its {@code VisionData} and
 * {@code TrainWorkload}): mean 0.2860 and deviation 0.3530, batch 64, Adam lr 1e-3, the last short
 * batch kept; the learning rate is held constant here (no cosine schedule), so that both engines
 * run the same update without a scheduler.
 */
final class EpochSetup {
    /** Fashion-MNIST's training-set mean and deviation, as {@code vision.train} normalises it. */
    static final double MEAN = 0.2860;
    static final double STD = 0.3530;
    static final int BATCH = 64;
    static final double LR = 1e-3;
    static final int CLASSES = 10;
    static final int SIDE = 28;

    private EpochSetup() {}

    /** How a batch reaches the model; see {@code bench/EPOCH.md}. */
    enum DataPath {
        /**
         * Kindling: vision's {@code MnistDataset} with {@code ToTensor} + {@code Normalize} and core's
         * {@code DataLoader} (per image: bytes to floats, /255, normalise; then the batch is stacked),
         * exactly as {@code vision.train} runs it. libtorch: the batch's 64 images gathered from the
         * decoded IDX bytes, then converted and normalised by libtorch ops on the whole batch.
         */
        LOADER("loader"),
        /**
         * Both: the normalised training set as one float tensor [60000, 1, 28, 28] (and an int64 label
         * tensor), made before the timed region; per batch an index gather of the shuffled indices.
         */
        TENSOR("tensor");

        final String id;

        DataPath(String id) {
            this.id = id;
        }

        static DataPath byId(String id) {
            for (DataPath p : values()) if (p.id.equals(id)) return p;
            throw new IllegalArgumentException("unknown data path '" + id + "' (loader, tensor)");
        }
    }

    /**
     * The Fashion-MNIST training split, as vision reads it.
     *
     * @throws org.kindling.vision.datasets.DatasetNotFoundException naming the folders searched and
     *         {@code kindling data fetch fashion-mnist}
     */
    static MnistDataset trainingSet(int limit) throws IOException {
        MnistDataset all = MnistDataset.fashion(null, Split.TRAIN);
        return limit > 0 ? all.head(limit) : all;
    }

    /** {@code vision.train}'s training transform without augmentation. */
    static Transform transform() {
        return Compose.of(new ToTensor(), new Normalize(MEAN, STD));
    }

    /**
     * The batches of successive epochs, each a list of example indices: core's {@code RandomSampler}
     * over a {@code Generator(seed)} grouped by a {@code BatchSampler} (last batch kept), which is what
     * {@code DataLoader.builder(d).batchSize(64).shuffle(true).generator(new Generator(seed))} draws.
     * Each {@code iterator()} is a new epoch's permutation.
     */
    static BatchSampler order(MnistDataset data, long seed) {
        return new BatchSampler(new RandomSampler(data, new Generator(seed)), BATCH, false);
    }

    static long[] toLongs(List<Integer> indices) {
        long[] out = new long[indices.size()];
        Iterator<Integer> it = indices.iterator();
        for (int i = 0; i < out.length; i++) out[i] = it.next();
        return out;
    }

    /** Every image normalised: ((pixel / 255) - mean) / std, as float32, [N * 28 * 28]. */
    static float[] normalisedPixels(MnistDataset data) {
        float[] px = data.images().toFloatArray();       // pixel / 255
        float mean = (float) MEAN;
        float inv = (float) (1.0 / STD);
        for (int i = 0; i < px.length; i++) px[i] = (px[i] - mean) * inv;
        return px;
    }

    /** The parts of a step, in order, timed separately (seconds summed over the epoch). */
    static final List<String> PHASES = List.of("data", "forward+loss", "backward", "optimizer", "metrics");

    /**
     * One epoch's figures for one engine: wall time of the whole epoch, the mean training loss and
     * accuracy over its batches (as {@code vision.train} reports them), and the seconds spent in each
     * of {@link #PHASES}.
     */
    record EpochResult(int epoch, double seconds, double meanLoss, double accuracy, int steps, long images,
                       double otherCores, double[] phaseSeconds) {}

    /** Adds the time since the last mark to one phase. */
    static final class PhaseClock {
        final double[] seconds = new double[PHASES.size()];
        private long last = System.nanoTime();

        void mark(int phase) {
            long now = System.nanoTime();
            seconds[phase] += (now - last) / 1e9;
            last = now;
        }
    }
}
