package org.kindling.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.Kindling;
import org.kindling.autograd.GradCheck;
import org.kindling.data.DataLoader;
import org.kindling.data.TensorDataset;
import org.kindling.io.Checkpoints;
import org.kindling.nn.F;
import org.kindling.nn.Sequential;
import org.kindling.nn.activation.ReLU;
import org.kindling.nn.linear.Linear;
import org.kindling.optim.Adam;
import org.kindling.tensor.DType;
import org.kindling.tensor.Function;
import org.kindling.tensor.FunctionCtx;
import org.kindling.tensor.Tensor;

/** The README's training loop and custom Function, as written there. */
class ReadmeTrainingExampleTest {

    @Test
    void trainingLoopFromTheReadme(@TempDir Path dir) throws Exception {
        Kindling.manualSeed(0);
        // Learnable data: the label is the index of the largest of the first ten features.
        Tensor images = Kindling.randn(512, 784);
        Tensor labels = images.narrow(1, 0, 10).argmax(1);

        var model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
        var opt = new Adam(model.parameters(), 1e-3);
        var loader = DataLoader.builder(new TensorDataset(images, labels))
                .batchSize(64).shuffle(true).build();
        double first = Double.NaN;
        double last = Double.NaN;
        for (int epoch = 0; epoch < 3; epoch++) {
            for (var batch : loader) {
                Tensor loss = F.crossEntropy(model.forward(batch.x()), batch.y());
                opt.zeroGrad();
                loss.backward();
                opt.step();
                if (Double.isNaN(first)) first = loss.item();
                last = loss.item();
            }
        }
        Path file = dir.resolve("mlp.safetensors");
        Checkpoints.save(model.stateDict(), file);
        assertTrue(last < first * 0.7, "loss should fall: first " + first + ", last " + last);
        assertTrue(Files.size(file) > 784 * 256 * 4);
        var again = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
        again.loadStateDict(Checkpoints.load(file));
        assertArrayEquals(model.forward(images).toFloatArray(), again.forward(images).toFloatArray(), 0f);
    }

    static class Cube extends Function {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].mul(in[0]).mul(in[0]);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor grad) {
            Tensor x = ctx.savedTensors()[0];
            return new Tensor[] {grad.mul(x.mul(x).mul(3.0))};
        }
    }

    @Test
    void customFunctionFromTheReadme() {
        Tensor x = Kindling.randn(4).to(DType.FLOAT64).requiresGrad_();
        new Cube().apply(x).sum().backward();
        assertTrue(x.grad().allclose(x.detach().square().mul(3.0)), "x.grad() == 3x^2");
        assertTrue(GradCheck.gradcheck(in -> new Cube().apply(in[0]), x));
    }
}
