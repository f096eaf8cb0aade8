package org.kindling.bench.training;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import org.kindling.Kindling;
import org.kindling.bench.training.EpochSetup.DataPath;
import org.kindling.bench.training.EpochSetup.EpochResult;
import org.kindling.bench.training.EpochSetup.PhaseClock;
import org.kindling.data.Batch;
import org.kindling.data.BatchSampler;
import org.kindling.data.DataLoader;
import org.kindling.data.Example;
import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.optim.Adam;
import org.kindling.optim.Optimizer;
import org.kindling.tensor.Generator;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;
import org.kindling.vision.datasets.MnistDataset;
import org.kindling.vision.models.VisionModels;

/**
 * Kindling's Fashion-MNIST epoch, the loop of {@code vision.train} without its TensorBoard logging,
 * progress lines and learning-rate schedule: vision's {@code cnn} model
 * ({@code VisionModels.create("cnn", 1, 28, 28, 10)}, seeded with {@code Kindling.manualSeed}),
 * {@code Adam} at lr 1e-3, and per batch {@code zeroGrad}, forward, {@code F.crossEntropy},
 * {@code backward}, {@code step}, then the loss ({@code item()}) and the number of right answers
 * ({@code argmax(1).eq(y).sum()} under {@code noGrad}).
 */
final class KindlingEpoch implements EpochRun {
    private final Module model;
    private final Optimizer optimizer;
    private final DataPath path;
    private final DataLoader<Example, Batch> loader;
    private final BatchSampler order;
    private final Tensor allImages;
    private final Tensor allLabels;

    KindlingEpoch(DataPath path, long seed, int limit) throws IOException {
        this.path = path;
        MnistDataset data = EpochSetup.trainingSet(limit);
        Kindling.manualSeed(seed);
        model = VisionModels.create("cnn", 1, EpochSetup.SIDE, EpochSetup.SIDE, EpochSetup.CLASSES);
        optimizer = Adam.builder(model.parameters()).lr(EpochSetup.LR).build();
        if (path == DataPath.LOADER) {
            loader = DataLoader.builder(data.withTransform(EpochSetup.transform())).batchSize(EpochSetup.BATCH)
                    .shuffle(true).generator(new Generator(seed)).build();
            order = null;
            allImages = null;
            allLabels = null;
        } else {
            loader = null;
            order = EpochSetup.order(data, seed);
            allImages = Kindling.fromArray(EpochSetup.normalisedPixels(data), data.size(), 1, data.rows(), data.cols());
            allLabels = data.labels();
        }
    }

    /** Kindling's model, for the libtorch side to start from the same weights. */
    static Module initialModel(long seed) {
        Kindling.manualSeed(seed);
        return VisionModels.create("cnn", 1, EpochSetup.SIDE, EpochSetup.SIDE, EpochSetup.CLASSES);
    }

    @Override
    public String describe() {
        return "Kindling " + Kindling.kernels() + " kernels, " + Kindling.getNumThreads() + " threads, "
                + model.numParameters() + " parameters, data path " + path.id;
    }

    @Override
    public EpochResult runEpoch(int epoch) {
        model.train();
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        int steps = 0;
        OtherLoad load = OtherLoad.start();
        long start = System.nanoTime();
        PhaseClock clock = new PhaseClock();
        if (path == DataPath.LOADER) {
            try (DataLoader.BatchIterator<Batch> it = loader.iterator()) {
                while (it.hasNext()) {
                    Batch batch = it.next();
                    clock.mark(0);
                    double[] lossRight = step(batch.x(), batch.y(), clock);
                    int n = batch.batchSize();
                    lossSum += lossRight[0] * n;
                    correct += (long) lossRight[1];
                    seen += n;
                    steps++;
                }
            }
        } else {
            Iterator<List<Integer>> batches = order.iterator();
            while (batches.hasNext()) {
                long[] indices = EpochSetup.toLongs(batches.next());
                Tensor index = Kindling.fromArray(indices, indices.length);
                Tensor x = allImages.indexSelect(0, index);
                Tensor y = allLabels.indexSelect(0, index);
                clock.mark(0);
                double[] lossRight = step(x, y, clock);
                lossSum += lossRight[0] * indices.length;
                correct += (long) lossRight[1];
                seen += indices.length;
                steps++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new EpochResult(epoch, seconds, lossSum / seen, (double) correct / seen, steps, seen, load.cores(),
                clock.seconds);
    }

    /** One optimizer step; returns the batch's mean loss and its number of right answers. */
    private double[] step(Tensor x, Tensor y, PhaseClock clock) {
        optimizer.zeroGrad();
        Tensor logits = model.forward(x);
        Tensor loss = F.crossEntropy(logits, y);
        clock.mark(1);
        loss.backward();
        clock.mark(2);
        optimizer.step();
        clock.mark(3);
        double l = loss.item();
        double right;
        try (var g = GradMode.noGrad()) {
            right = logits.argmax(1).eq(y).sum().item();
        }
        clock.mark(4);
        return new double[] {l, right};
    }

    @Override
    public void close() {
        if (loader != null) loader.close();
    }
}
