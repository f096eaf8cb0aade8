package org.kindling.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.nn.linear.Linear;
import org.kindling.nn.rnn.LSTM;
import org.kindling.nn.sparse.Embedding;
import org.kindling.optim.Adam;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Generator;
import org.kindling.tensor.Tensor;

/** A small LSTM learns to recall the first token of a sequence, which needs memory across all steps. */
class SequenceTrainingTest {

    static final class Recall extends Module {
        final Embedding embed = register("embed", new Embedding(4, 8));
        final LSTM lstm = register("lstm", new LSTM(8, 24, 1, true, true, 0.0, false));
        final Linear head = register("head", new Linear(24, 4));

        @Override
        public Tensor forward(Tensor tokens) {
            Tensor out = lstm.forward(embed.forward(tokens));          // [N, T, H]
            return head.forward(out.select(1, out.size(1) - 1));       // last time step
        }
    }

    @Test
    void lstmLearnsToRecallTheFirstToken() {
        Kindling.manualSeed(3);
        Generator g = new Generator(7);
        var model = new Recall();
        var opt = new Adam(model.parameters(), 1e-2);
        int steps = 300;
        for (int step = 0; step < steps; step++) {
            Tensor x = Kindling.randint(0, 4, new int[] {32, 6}, g);
            Tensor y = x.select(1, 0);
            Tensor loss = F.crossEntropy(model.forward(x), y);
            opt.zeroGrad();
            loss.backward();
            opt.step();
        }
        Tensor x = Kindling.randint(0, 4, new int[] {256, 6}, g);
        double acc;
        try (var ng = GradMode.noGrad()) {
            acc = Trainer.accuracy(model.eval().forward(x), x.select(1, 0));
        }
        assertTrue(acc >= 0.9, "recall accuracy " + acc + " should be >= 90% (chance is 25%)");
    }
}
