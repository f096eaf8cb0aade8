package org.kindling.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.nn.dropout.Dropout;
import org.kindling.nn.sparse.Embedding;
import org.kindling.tensor.Tensor;

/** Dropout statistics, embedding padding, argument checks and the javadoc examples of F. */
class FunctionalTest {

    @Test
    void dropoutKeepsAboutOneMinusPAndScales() {
        Kindling.manualSeed(1);
        Dropout d = new Dropout(0.3);
        Tensor x = Kindling.ones(200, 100);
        Tensor y = d.forward(x);
        double[] v = y.toDoubleArray();
        int zeros = 0;
        for (double e : v) {
            if (e == 0) zeros++;
            else assertEquals(1 / 0.7, e, 1e-6);
        }
        double frac = zeros / (double) v.length;
        // 20000 Bernoulli(0.3) draws: standard deviation of the fraction is 0.0032.
        assertTrue(Math.abs(frac - 0.3) < 0.015, "zero fraction " + frac);
        assertEquals(1.0, y.mean().item(), 0.03);
        d.eval();
        assertSame(x, d.forward(x));
    }

    @Test
    void dropoutIsSeededByTheGlobalGenerator() {
        Kindling.manualSeed(5);
        Tensor a = F.dropout(Kindling.ones(50), 0.5, true);
        Kindling.manualSeed(5);
        Tensor b = F.dropout(Kindling.ones(50), 0.5, true);
        assertTrue(a.equal(b));
        assertEquals(0.0, F.dropout(Kindling.ones(5), 1.0, true).sum().item());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
    }

    @Test
    void dropoutGradientIsTheMask() {
        Kindling.manualSeed(2);
        Tensor x = Kindling.ones(100).requiresGrad_();
        Tensor y = F.dropout(x, 0.5, true);
        y.sum().backward();
        assertTrue(x.grad().equal(y.detach()));
    }

    @Test
    void embeddingPaddingRowIsZeroAndGetsNoGradient() {
        Embedding emb = new Embedding(6, 3, -1); // -1 means row 5
        assertEquals(5, emb.paddingIdx);
        assertEquals(0.0, emb.weight.get(5).abs().sum().item());
        Tensor idx = Kindling.tensor(new long[][] {{5, 1, 5}, {2, 1, 0}});
        Tensor out = emb.forward(idx);
        assertEquals(java.util.List.of(2, 3, 3), java.util.Arrays.stream(out.shape().toArray()).boxed().toList());
        out.mul(out).sum().backward();
        assertEquals(0.0, emb.weight.grad().get(5).abs().sum().item());
        assertEquals(0.0, emb.weight.grad().get(3).abs().sum().item());
        // Row 1 is used twice: gradient 2 * 2 * w[1].
        assertTrue(emb.weight.grad().get(1).allclose(emb.weight.get(1).detach().mul(4.0)));
        assertThrows(IndexOutOfBoundsException.class, () -> emb.forward(Kindling.tensor(new long[] {6})));
        assertThrows(IllegalArgumentException.class, () -> new Embedding(3, 2, 3));
    }

    @Test
    void argumentErrorsNameTheProblem() {
        Tensor x = Kindling.randn(2, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> F.linear(x, Kindling.randn(4, 5), null));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> F.crossEntropy(x, Kindling.tensor(new long[] {0, 3})));
        assertThrows(IllegalArgumentException.class,
                () -> F.crossEntropy(x, Kindling.tensor(new long[] {0, 1}), null, -100, Reduction.MEAN, 1.5));
        assertThrows(IllegalArgumentException.class, () -> F.groupNorm(Kindling.randn(2, 3, 4), 2, null, null, 1e-5));
        assertThrows(IllegalArgumentException.class, () -> F.layerNorm(x, new int[] {4}, null, null, 1e-5));
        assertThrows(IllegalArgumentException.class,
                () -> F.batchNorm(Kindling.randn(1, 3), null, null, null, null, true, 0.1, 1e-5));
        assertThrows(IllegalArgumentException.class, () -> F.mseLoss(x, x, Reduction.BATCHMEAN));
        assertEquals(Reduction.SUM, Reduction.of("sum"));
        assertThrows(IllegalArgumentException.class, () -> Reduction.of("avg"));
    }

    @Test
    void crossEntropyOfUniformLogitsIsLogC() {
        Tensor logits = Kindling.zeros(4, 10);
        Tensor labels = Kindling.tensor(new long[] {0, 3, 9, 2});
        assertEquals(Math.log(10), F.crossEntropy(logits, labels).item(), 1e-6);
    }

    @Test
    void linearMatchesMatmulAndBackpropagatesThroughLeadingDims() {
        Tensor x = Kindling.randn(2, 3, 4).requiresGrad_();
        Tensor w = Kindling.randn(5, 4).requiresGrad_();
        Tensor b = Kindling.randn(5).requiresGrad_();
        Tensor y = F.linear(x, w, b);
        assertTrue(y.allclose(x.detach().matmul(w.detach().t()).add(b.detach()), 1e-5, 1e-5));
        y.sum().backward();
        assertTrue(b.grad().allclose(Kindling.full(new int[] {5}, 6.0)));
        assertTrue(x.grad().allclose(w.detach().sum(0).expand(2, 3, 4), 1e-5, 1e-5));
    }
}
