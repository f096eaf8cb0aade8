package org.kindling.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.Kindling;
import org.kindling.data.Batch;
import org.kindling.data.DataLoader;
import org.kindling.data.Example;
import org.kindling.data.TensorDataset;
import org.kindling.io.Checkpoints;
import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.nn.Sequential;
import org.kindling.nn.activation.ReLU;
import org.kindling.nn.linear.Linear;
import org.kindling.optim.Adam;
import org.kindling.optim.Optimizer;
import org.kindling.optim.OptimizerStateDict;
import org.kindling.tensor.Generator;
import org.kindling.tensor.Tensor;

/** Real training on real data: the PyTorch loop, the Trainer, and exact resumption from checkpoints. */
class TrainingTest {

    private static DataLoader<Example, Batch> loader(Tensor x, Tensor y, int batch, boolean shuffle, long seed) {
        return DataLoader.builder(new TensorDataset(x, y)).batchSize(batch).shuffle(shuffle)
                .generator(new Generator(seed)).build();
    }

    @Test
    void mlpLearnsFashionMnistSubset() throws Exception {
        Tensor xTrain = FashionMnistSubset.images("train-images-idx3-ubyte.gz");
        Tensor yTrain = FashionMnistSubset.labels("train-labels-idx1-ubyte.gz");
        Tensor xTest = FashionMnistSubset.images("t10k-images-idx3-ubyte.gz");
        Tensor yTest = FashionMnistSubset.labels("t10k-labels-idx1-ubyte.gz");
        assertArrayEquals(new int[] {4000, 784}, xTrain.shape().toArray());
        assertArrayEquals(new int[] {1000}, yTest.shape().toArray());

        Kindling.manualSeed(0);
        var model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
        var opt = new Adam(model.parameters(), 1e-3);
        var out = new ByteArrayOutputStream();
        Trainer trainer = Trainer.builder(model, opt, F::crossEntropy).epochs(4)
                .progress(new PrintStream(out, true, StandardCharsets.UTF_8)).build();
        List<Trainer.EpochResult> history = trainer.fit(loader(xTrain, yTrain, 64, true, 1), loader(xTest, yTest, 500, false, 0));
        assertEquals(4, history.size());
        Trainer.EpochResult last = history.get(3);
        assertTrue(last.valAccuracy() >= 0.80, "held-out accuracy " + last.valAccuracy() + " should be >= 80%\n" + out);
        assertTrue(last.trainLoss() < history.get(0).trainLoss(), "loss must fall: " + history);
        String log = out.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("epoch 4/4") && log.contains("samples/s"), log);
    }

    /** Trains n steps of the raw loop; returns the model. */
    private static Module trainSteps(Module model, Optimizer opt, List<Batch> batches) {
        for (Batch b : batches) {
            Tensor loss = F.crossEntropy(model.forward(b.x()), b.y());
            opt.zeroGrad();
            loss.backward();
            opt.step();
        }
        return model;
    }

    @Test
    void resumingFromACheckpointIsBitIdentical(@TempDir Path dir) throws Exception {
        Kindling.manualSeed(5);
        Tensor x = Kindling.randn(96, 20);
        Tensor y = Kindling.randint(0, 3, 96);
        List<Batch> batches = new java.util.ArrayList<>();
        for (Batch b : loader(x, y, 16, true, 9)) batches.add(b);
        List<Batch> first = batches.subList(0, 3);
        List<Batch> second = batches.subList(3, 6);

        Kindling.manualSeed(11);
        Module straight = new Sequential(new Linear(20, 32), new ReLU(), new Linear(32, 3));
        Kindling.manualSeed(11);
        Module resumed = new Sequential(new Linear(20, 32), new ReLU(), new Linear(32, 3));

        Optimizer o1 = new Adam(straight.parameters(), 1e-2);
        trainSteps(straight, o1, batches);

        Optimizer o2 = new Adam(resumed.parameters(), 1e-2);
        trainSteps(resumed, o2, first);
        Checkpoints.save(resumed.stateDict(), dir.resolve("model.safetensors"));
        Checkpoints.save(o2.stateDict().toTensors(), dir.resolve("opt.safetensors"));
        assertTrue(Files.size(dir.resolve("model.safetensors")) > 20 * 32 * 4);

        Kindling.manualSeed(999);
        Module fresh = new Sequential(new Linear(20, 32), new ReLU(), new Linear(32, 3));
        fresh.loadStateDict(Checkpoints.load(dir.resolve("model.safetensors")));
        Optimizer o3 = new Adam(fresh.parameters(), 1e-2);
        o3.loadStateDict(OptimizerStateDict.fromTensors(Checkpoints.load(dir.resolve("opt.safetensors"))));
        trainSteps(fresh, o3, second);

        Map<String, Tensor> a = straight.stateDict();
        Map<String, Tensor> b = fresh.stateDict();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), 0f, k + " differs after resuming");
        }
    }
}
