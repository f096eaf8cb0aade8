package org.kindling.bench.training;

import java.util.ArrayList;
import java.util.List;
import org.kindling.Kindling;
import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.nn.Parameter;
import org.kindling.nn.Sequential;
import org.kindling.nn.activation.ReLU;
import org.kindling.nn.conv.Conv2d;
import org.kindling.nn.flatten.Flatten;
import org.kindling.nn.linear.Linear;
import org.kindling.nn.pooling.MaxPool2d;
import org.kindling.nn.rnn.LSTM;
import org.kindling.nn.sparse.Embedding;
import org.kindling.optim.SGD;
import org.kindling.tensor.Tensor;

/** Kindling's side, written as a user writes a PyTorch training loop. */
final class KindlingTraining {
    private KindlingTraining() {}

    /** Embedding, LSTM (batch_first), the last time step's output, linear 128-2. */
    static final class LstmClassifier extends Module {
        final Embedding embedding = register("embedding", new Embedding(Workload.VOCAB, Workload.EMBED));
        final LSTM lstm = register("lstm",
                new LSTM(Workload.EMBED, Workload.HIDDEN, 1, true, true, 0.0, false));
        final Linear fc = register("fc", new Linear(Workload.HIDDEN, 2));

        @Override
        public Tensor forward(Tensor tokens) {
            Tensor e = embedding.forward(tokens);                 // [B, T, 64]
            Tensor out = lstm.forward(e, null, null).output();    // [B, T, 128]
            Tensor last = out.select(1, out.size(1) - 1);    // [B, 128]
            return fc.forward(last);                              // [B, 2]
        }
    }

    static Module model(Workload w) {
        return switch (w) {
            case MLP -> new Sequential(
                    new Linear(784, 512), new ReLU(),
                    new Linear(512, 256), new ReLU(),
                    new Linear(256, 10));
            case CNN -> new Sequential(
                    new Conv2d(1, 32, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                    new Conv2d(32, 64, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                    new Flatten(),
                    new Linear(64 * 7 * 7, 128), new ReLU(),
                    new Linear(128, 10));
            case LSTM -> new LstmClassifier();
        };
    }

    /** Kindling's step, also split in two halves for the heap measurement. */
    static final class Step implements TrainStep {
        private final Module model;
        private final SGD opt;
        private final Tensor x;
        private final Tensor y;

        Step(Module model, SGD opt, Tensor x, Tensor y) {
            this.model = model;
            this.opt = opt;
            this.x = x;
            this.y = y;
        }

        /** zero_grad, forward, loss: what a step holds just before backward. */
        Tensor forwardLoss() {
            opt.zeroGrad();
            Tensor logits = model.forward(x);
            return F.crossEntropy(logits, y);
        }

        void backward(Tensor loss) {
            loss.backward();
        }

        void update() {
            opt.step();
        }

        void backwardUpdate(Tensor loss) {
            loss.backward();
            opt.step();
        }

        @Override
        public void step() {
            backwardUpdate(forwardLoss());
        }

        @Override
        public double stepAndLoss() {
            Tensor loss = forwardLoss();
            backwardUpdate(loss);
            return loss.item();
        }
    }

    static Step create(Workload w, Workload.Data d) {
        Kindling.manualSeed(1234);
        Module model = model(w);
        model.train();
        List<Parameter> params = new ArrayList<>(model.parameters());
        SGD opt = new SGD(params, Workload.LR);
        Tensor x = d.tokens() != null ? Kindling.fromArray(d.tokens(), d.shape()) : Kindling.fromArray(d.x(), d.shape());
        Tensor y = Kindling.fromArray(d.labels(), d.labels().length);
        return new Step(model, opt, x, y);
    }
}
