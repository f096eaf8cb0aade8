package org.kindling.bench.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * libtorch's side, through DJL's training API: a {@link SequentialBlock} model, a {@link Trainer}
 * with {@code Loss.softmaxCrossEntropyLoss()} and {@code Optimizer.sgd()} (fixed lr 0.01), and per
 * step a {@link GradientCollector} around forward + loss + backward, then {@code trainer.step()}.
 * Every op runs in libtorch (aten): {@code linear}, {@code conv2d}, {@code max_pool2d},
 * {@code embedding}, {@code lstm}, {@code log_softmax}, and autograd's backward; the update is DJL's
 * native {@code sgdUpdate} (per parameter: clone the gradient, {@code w -= lr * g}, zero the
 * gradient).
 *
 * <p>The fixed batch is attached to a sub-manager for the duration of each step, so every
 * intermediate array (all attached to the input's manager) is freed when the step ends, as
 * PyTorch's reference counting would.
 */
final class TorchTraining {
    private TorchTraining() {}

    /** "PyTorch 2.7.1, intra-op threads N, inter-op threads M". */
    static String describe() {
        Engine e = Engine.getEngine("PyTorch");
        return e.getEngineName() + " " + e.getVersion() + ", intra-op threads " + JniUtils.getNumThreads()
                + ", inter-op threads " + JniUtils.getNumInteropThreads();
    }

    /**
     * {@code torch.nn.Embedding} on int64 token ids: DJL's {@code nn.core.Embedding} is keyed by
     * items, so this block holds the [vocab, dim] weight and calls DJL's
     * {@link Embedding#embedding(NDArray, NDArray, SparseFormat)} (libtorch's {@code at::embedding}).
     */
    static final class TokenEmbedding extends AbstractBlock {
        private final int dim;
        private final Parameter weight;

        TokenEmbedding(int vocab, int dim) {
            this.dim = dim;
            this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(vocab, dim)).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                         PairList<String, Object> params) {
            NDArray ids = inputs.head();
            NDArray w = ps.getValue(weight, ids.getDevice(), training);
            return Embedding.embedding(ids, w, SparseFormat.DENSE);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0].addAll(new Shape(dim))};
        }
    }

    static Block model(Workload w) {
        return switch (w) {
            case MLP -> new SequentialBlock()
                    .add(Linear.builder().setUnits(512).build()).add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(256).build()).add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(10).build());
            case CNN -> new SequentialBlock()
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(32).build())
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(64).build())
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(128).build()).add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(10).build());
            case LSTM -> new SequentialBlock()
                    .add(new TokenEmbedding(Workload.VOCAB, Workload.EMBED))
                    .add(LSTM.builder().setStateSize(Workload.HIDDEN).setNumLayers(1).optBatchFirst(true)
                            .optReturnState(false).build())
                    // last time step: output[:, -1, :]
                    .add(new LambdaBlock(l -> new NDList(l.head().get(":, -1, :")), "last-step"))
                    .add(Linear.builder().setUnits(2).build());
        };
    }

    static TrainStep create(Workload w, Workload.Data d) {
        Model model = Model.newInstance("train-" + w.id, Device.cpu(), "PyTorch");
        model.setBlock(model(w));
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed((float) Workload.LR)).build());
        Trainer trainer = model.newTrainer(config);
        long[] shape = Arrays.stream(d.shape()).asLongStream().toArray();
        trainer.initialize(new Shape(shape));
        NDManager data = trainer.getManager().newSubManager();
        NDArray x = d.tokens() != null
                ? data.create(d.tokens(), new Shape(shape))
                : data.create(d.x(), new Shape(shape));
        NDArray y = data.create(d.labels(), new Shape(d.labels().length));
        if (x.getDataType() != (d.tokens() != null ? DataType.INT64 : DataType.FLOAT32)) {
            throw new IllegalStateException("unexpected input dtype " + x.getDataType());
        }
        return new TrainStep() {
            private float run(boolean readLoss) {
                float value = Float.NaN;
                try (NDManager step = data.newSubManager()) {
                    x.tempAttach(step);
                    y.tempAttach(step);
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDList pred = trainer.forward(new NDList(x));
                        NDArray loss = trainer.getLoss().evaluate(new NDList(y), pred);
                        gc.backward(loss);
                        if (readLoss) value = loss.getFloat();
                    }
                    trainer.step();
                }
                return value;
            }

            @Override
            public void step() {
                run(false);
            }

            @Override
            public double stepAndLoss() {
                return run(true);
            }

            @Override
            public void close() {
                data.close();
                trainer.close();
                model.close();
            }
        };
    }
}
