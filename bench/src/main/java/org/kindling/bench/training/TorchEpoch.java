package org.kindling.bench.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.kindling.bench.training.EpochSetup.DataPath;
import org.kindling.bench.training.EpochSetup.EpochResult;
import org.kindling.bench.training.EpochSetup.PhaseClock;
import org.kindling.data.BatchSampler;
import org.kindling.tensor.Tensor;
import org.kindling.vision.datasets.DataLocations;
import org.kindling.vision.datasets.IdxFile;
import org.kindling.vision.datasets.MnistDataset;

/**
 * libtorch's Fashion-MNIST epoch through DJL's training API: the layers of vision's {@code cnn}
 * (conv 1-32 3x3 p1, BatchNorm, ReLU, max pool 2; conv 32-64 3x3 p1, BatchNorm, ReLU, max pool 2;
 * flatten, dropout 0.25, linear 3136-128, ReLU, dropout 0.5, linear 128-10) as a
 * {@link SequentialBlock}, started from Kindling's initial weights (copied in, so both engines train
 * the same model from the same point), a {@link Trainer} with {@code Loss.softmaxCrossEntropyLoss()}
 * and {@code Optimizer.adam()} at a fixed lr 1e-3 (betas 0.9, 0.999, eps 1e-8), and per batch a
 * {@link GradientCollector} around forward + loss + backward, {@code trainer.step()}, then the loss and
 * the number of right answers read back. Batches come in the order Kindling's loader draws (same
 * sampler, same seed). Each step's arrays live in a sub-manager closed at the end of the step, as
 * PyTorch's reference counting frees them.
 */
final class TorchEpoch implements EpochRun {
    /** Kindling's state-dict prefix of each DJL block with parameters, in order. */
    private static final List<String> KINDLING_LAYERS = List.of("features.0", "features.1", "features.4",
            "features.5", "classifier.2", "classifier.5");

    private final DataPath path;
    private final Model model;
    private final Trainer trainer;
    private final NDManager data;
    private final BatchSampler order;
    private final NDArray allImages;
    private final NDArray allLabels;
    private final byte[] pixels;
    private final byte[] labels;
    private final int imageBytes;

    TorchEpoch(DataPath path, long seed, int limit) throws IOException {
        this.path = path;
        MnistDataset dataset = EpochSetup.trainingSet(limit);
        order = EpochSetup.order(dataset, seed);
        model = Model.newInstance("fashion-mnist-cnn", Device.cpu(), "PyTorch");
        SequentialBlock net = network();
        model.setBlock(net);
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) EpochSetup.LR))
                        .optBeta1(0.9f).optBeta2(0.999f).optEpsilon(1e-8f).build());
        trainer = model.newTrainer(config);
        trainer.initialize(new Shape(EpochSetup.BATCH, 1, EpochSetup.SIDE, EpochSetup.SIDE));
        copyWeights(net, KindlingEpoch.initialModel(seed).stateDict());
        data = trainer.getManager().newSubManager();
        imageBytes = dataset.rows() * dataset.cols();
        if (path == DataPath.TENSOR) {
            allImages = data.create(EpochSetup.normalisedPixels(dataset),
                    new Shape(dataset.size(), 1, dataset.rows(), dataset.cols()));
            allLabels = data.create(EpochSetup.toLongs(labelList(dataset)));
            pixels = null;
            labels = null;
        } else {
            allImages = null;
            allLabels = null;
            // the decoded IDX bytes (vision's reader), as Kindling's MnistDataset holds them
            Path dir = DataLocations.find("fashion-mnist", null, "train-images-idx3-ubyte", "train-labels-idx1-ubyte");
            byte[] px = IdxFile.read(DataLocations.resolve(dir, "train-images-idx3-ubyte"), 3).data();
            byte[] lb = IdxFile.read(DataLocations.resolve(dir, "train-labels-idx1-ubyte"), 1).data();
            pixels = Arrays.copyOf(px, dataset.size() * imageBytes);
            labels = Arrays.copyOf(lb, dataset.size());
        }
    }

    static SequentialBlock network() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(32).build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(64).build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Dropout.builder().optRate(0.25f).build())
                .add(Linear.builder().setUnits(128).build())
                .add(Activation.reluBlock())
                .add(Dropout.builder().optRate(0.5f).build())
                .add(Linear.builder().setUnits(EpochSetup.CLASSES).build());
    }

    /**
     * Overwrites every DJL parameter (and BatchNorm's running statistics) with Kindling's initial
     * value, checking that the shapes agree: DJL's {@code weight}/{@code bias}, BatchNorm's
     * {@code gamma}/{@code beta}/{@code runningMean}/{@code runningVar} take Kindling's
     * {@code weight}/{@code bias}/{@code running_mean}/{@code running_var} of the same layer.
     */
    static void copyWeights(SequentialBlock net, Map<String, Tensor> kindling) {
        int layer = 0;
        int copied = 0;
        for (Pair<String, Block> child : net.getChildren()) {
            if (child.getValue().getParameters().isEmpty()) continue;
            if (layer >= KINDLING_LAYERS.size()) {
                throw new IllegalStateException("DJL's network has more layers with parameters than Kindling's cnn ("
                        + KINDLING_LAYERS + ")");
            }
            String prefix = KINDLING_LAYERS.get(layer++);
            for (Pair<String, Parameter> p : child.getValue().getParameters()) {
                String name = switch (p.getValue().getName()) {
                    case "weight", "gamma" -> "weight";
                    case "bias", "beta" -> "bias";
                    case "runningMean" -> "running_mean";
                    case "runningVar" -> "running_var";
                    default -> throw new IllegalStateException("unexpected DJL parameter " + p.getKey());
                };
                Tensor t = kindling.get(prefix + "." + name);
                if (t == null) {
                    throw new IllegalStateException("Kindling's cnn has no " + prefix + "." + name + " for DJL's "
                            + p.getKey() + "; its keys: " + kindling.keySet());
                }
                NDArray a = p.getValue().getArray();
                long[] shape = a.getShape().getShape();
                long[] expected = Arrays.stream(t.shape().toArray()).asLongStream().toArray();
                if (!Arrays.equals(shape, expected)) {
                    throw new IllegalStateException("DJL's " + p.getKey() + " has shape " + Arrays.toString(shape)
                            + " but Kindling's " + prefix + "." + name + " has " + Arrays.toString(expected));
                }
                a.set(t.toFloatArray());
                copied++;
            }
        }
        if (layer != KINDLING_LAYERS.size() || copied != 16) {
            throw new IllegalStateException("copied " + copied + " arrays of " + layer + " layers; expected 16 of "
                    + KINDLING_LAYERS.size());
        }
    }

    private static List<Integer> labelList(MnistDataset d) {
        List<Integer> out = new ArrayList<>(d.size());
        for (int i = 0; i < d.size(); i++) out.add(d.label(i));
        return out;
    }

    @Override
    public String describe() {
        return TorchTraining.describe() + ", data path " + path.id;
    }

    @Override
    public EpochResult runEpoch(int epoch) {
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        int steps = 0;
        float mean = (float) EpochSetup.MEAN;
        float inv = (float) (1.0 / EpochSetup.STD);
        OtherLoad load = OtherLoad.start();
        long start = System.nanoTime();
        PhaseClock clock = new PhaseClock();
        Iterator<List<Integer>> batches = order.iterator();
        while (batches.hasNext()) {
            List<Integer> indices = batches.next();
            int n = indices.size();
            try (NDManager step = data.newSubManager()) {
                NDArray x;
                NDArray y;
                if (path == DataPath.TENSOR) {
                    allImages.tempAttach(step);
                    allLabels.tempAttach(step);
                    NDArray index = step.create(EpochSetup.toLongs(indices));
                    x = allImages.get(index);
                    y = allLabels.get(index);
                } else {
                    byte[] px = new byte[n * imageBytes];
                    long[] lb = new long[n];
                    for (int i = 0; i < n; i++) {
                        int k = indices.get(i);
                        System.arraycopy(pixels, k * imageBytes, px, i * imageBytes, imageBytes);
                        lb[i] = labels[k] & 0xff;
                    }
                    x = step.create(ByteBuffer.wrap(px), new Shape(n, 1, EpochSetup.SIDE, EpochSetup.SIDE), DataType.UINT8)
                            .toType(DataType.FLOAT32, false).div(255f).sub(mean).mul(inv);
                    y = step.create(lb);
                }
                clock.mark(0);
                NDList pred;
                NDArray loss;
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    pred = trainer.forward(new NDList(x));
                    loss = trainer.getLoss().evaluate(new NDList(y), pred);
                    clock.mark(1);
                    gc.backward(loss);
                }
                clock.mark(2);
                trainer.step();
                clock.mark(3);
                lossSum += loss.getFloat() * n;
                correct += pred.head().argMax(1).eq(y).toType(DataType.INT64, false).sum().getLong();
                seen += n;
                steps++;
            }
            clock.mark(4);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new EpochResult(epoch, seconds, lossSum / seen, (double) correct / seen, steps, seen, load.cores(),
                clock.seconds);
    }

    @Override
    public void close() {
        data.close();
        trainer.close();
        model.close();
    }
}
