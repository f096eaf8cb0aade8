package org.kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.nn.activation.Softmax;
import org.kindling.nn.batchnorm.BatchNorm1d;
import org.kindling.nn.batchnorm.BatchNorm2d;
import org.kindling.nn.dropout.Dropout;
import org.kindling.nn.flatten.Flatten;
import org.kindling.nn.flatten.Unflatten;
import org.kindling.nn.linear.Bilinear;
import org.kindling.nn.linear.Linear;
import org.kindling.nn.loss.CrossEntropyLoss;
import org.kindling.nn.loss.Loss;
import org.kindling.nn.normalization.GroupNorm;
import org.kindling.nn.normalization.LayerNorm;
import org.kindling.nn.sparse.Embedding;
import org.kindling.tensor.Tensor;

/** The {@code <pre>} examples of the nn javadoc, run as written (shapes as the comments say). */
class NnExamplesTest {

    private static void shape(Tensor t, int... expected) {
        assertArrayEquals(expected, t.shape().toArray());
    }

    @Test
    void layerExamples() {
        shape(new Linear(20, 30).forward(Kindling.randn(128, 20)), 128, 30);
        shape(new Bilinear(20, 30, 40).forward(Kindling.randn(128, 20), Kindling.randn(128, 30)), 128, 40);
        shape(new Flatten().forward(Kindling.randn(32, 1, 5, 5)), 32, 25);
        shape(new Unflatten(1, 2, 5, 5).forward(Kindling.randn(2, 50)), 2, 2, 5, 5);
        Embedding emb = new Embedding(10, 3, 0);
        shape(emb.forward(Kindling.tensor(new long[][] {{1, 2, 0}, {4, 3, 9}})), 2, 3, 3);
        shape(new LayerNorm(new int[] {10}, 1e-5, true).forward(Kindling.randn(20, 5, 10)), 20, 5, 10);
        shape(new GroupNorm(3, 6).forward(Kindling.randn(20, 6, 10, 10)), 20, 6, 10, 10);
        shape(new BatchNorm1d(100).forward(Kindling.randn(20, 100)), 20, 100);
        shape(new Softmax(1).forward(Kindling.randn(2, 3)), 2, 3);
    }

    @Test
    void batchNormExample() {
        BatchNorm2d bn = new BatchNorm2d(16);
        bn.forward(Kindling.randn(8, 16, 5, 5));
        bn.eval();
        shape(bn.forward(Kindling.randn(1, 16, 5, 5)), 1, 16, 5, 5);
    }

    @Test
    void dropoutExample() {
        Tensor x = Kindling.randn(4, 5);
        Dropout d = new Dropout(0.2);
        shape(d.forward(x), 4, 5);
        d.eval();
        assertSame(x, d.forward(x));
    }

    @Test
    void functionalAndLossExamples() {
        Tensor x = Kindling.randn(8, 6);
        Tensor w1 = Kindling.randn(5, 6).requiresGrad_();
        Tensor b1 = Kindling.zeros(5).requiresGrad_();
        Tensor w2 = Kindling.randn(3, 5).requiresGrad_();
        Tensor b2 = Kindling.zeros(3).requiresGrad_();
        Tensor labels = Kindling.tensor(new long[] {0, 1, 2, 0, 1, 2, 0, 1});
        Tensor h = F.relu(F.linear(x, w1, b1));
        Tensor loss = F.crossEntropy(F.linear(h, w2, b2), labels);
        loss.backward();
        assertTrue(w1.grad() != null && w2.grad() != null);

        Loss criterion = new CrossEntropyLoss();
        Tensor l2 = criterion.forward(Kindling.randn(8, 3), labels);
        shape(l2);

        Tensor w = Kindling.empty(256, 784);
        Init.kaimingUniform_(w, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu");
        assertTrue(w.abs().max().item() <= 1 / Math.sqrt(784) + 1e-7);
    }
}
