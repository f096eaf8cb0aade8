package org.kindling.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.nn.linear.Linear;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/** Bounds and moments of the initialisers, seeding, and the default initialisation of Linear. */
class InitTest {

    private static double[] moments(Tensor t) {
        double[] v = t.toDoubleArray();
        double mean = 0;
        for (double e : v) mean += e;
        mean /= v.length;
        double var = 0;
        for (double e : v) var += (e - mean) * (e - mean);
        return new double[] {mean, Math.sqrt(var / v.length), t.abs().max().item()};
    }

    @Test
    void uniformAndNormalMoments() {
        Kindling.manualSeed(0);
        double[] u = moments(Init.uniform_(Kindling.empty(100, 100), -2, 4));
        assertEquals(1.0, u[0], 0.05);
        assertEquals(6 / Math.sqrt(12), u[1], 0.03);
        assertTrue(u[2] <= 4);
        double[] n = moments(Init.normal_(Kindling.empty(100, 100), 3, 0.5));
        assertEquals(3.0, n[0], 0.02);
        assertEquals(0.5, n[1], 0.02);
        assertEquals(7.0, Init.constant_(Kindling.empty(3), 7).sum().item() / 3);
        assertEquals(0.0, Init.zeros_(Kindling.ones(3)).sum().item());
        assertEquals(3.0, Init.ones_(Kindling.zeros(3)).sum().item());
    }

    @Test
    void xavierAndKaiming() {
        Kindling.manualSeed(1);
        // fan_in = 50 * 3 * 3 = 450, fan_out = 80 * 9 = 720
        Tensor w = Kindling.empty(80, 50, 3, 3);
        assertEquals(450, Init.calculateFanInAndFanOut(w)[0]);
        assertEquals(720, Init.calculateFanInAndFanOut(w)[1]);
        double a = Math.sqrt(6.0 / (450 + 720));
        double[] xu = moments(Init.xavierUniform_(w));
        assertTrue(xu[2] <= a + 1e-6, "max " + xu[2] + " > " + a);
        assertEquals(a / Math.sqrt(3), xu[1], 0.01 * a);
        assertEquals(Math.sqrt(2.0 / 1170) * 2, moments(Init.xavierNormal_(w, 2))[1], 0.02 * Math.sqrt(2.0 / 1170) * 2);
        double heStd = Math.sqrt(2.0) / Math.sqrt(450);
        assertEquals(heStd, moments(Init.kaimingNormal_(w, 0, Init.FanMode.FAN_IN, "relu"))[1], 0.02 * heStd);
        double heOut = Math.sqrt(2.0) / Math.sqrt(720);
        double[] ku = moments(Init.kaimingUniform_(w, 0, Init.FanMode.FAN_OUT, "relu"));
        assertTrue(ku[2] <= Math.sqrt(3) * heOut + 1e-6);
        assertEquals(heOut, ku[1], 0.02 * heOut);
        assertThrows(IllegalArgumentException.class, () -> Init.xavierUniform_(Kindling.empty(5)));
    }

    @Test
    void gains() {
        assertEquals(1.0, Init.calculateGain("linear"));
        assertEquals(1.0, Init.calculateGain("sigmoid"));
        assertEquals(5.0 / 3, Init.calculateGain("tanh"));
        assertEquals(Math.sqrt(2), Init.calculateGain("relu"));
        assertEquals(Math.sqrt(2 / (1 + 0.01 * 0.01)), Init.calculateGain("leaky_relu"));
        assertEquals(Math.sqrt(1.0 / 3), Init.calculateGain("leaky_relu", Math.sqrt(5)), 1e-12);
        assertEquals(0.75, Init.calculateGain("selu"));
        assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("swish"));
    }

    @Test
    void orthogonalRowsOrColumnsAreOrthonormal() {
        Kindling.manualSeed(2);
        for (int[] shape : new int[][] {{4, 6}, {6, 4}, {5, 5}, {3, 2, 2}}) {
            Tensor w = Init.orthogonal_(Kindling.empty(shape).to(DType.FLOAT64), 2.0).reshape(shape[0], -1);
            Tensor gram = w.size(0) <= w.size(1) ? w.matmul(w.t()) : w.t().matmul(w);
            Tensor expected = Kindling.eye(gram.size(0)).to(DType.FLOAT64).mul(4.0);
            assertTrue(gram.allclose(expected, 1e-9, 1e-9), java.util.Arrays.toString(shape) + ": " + gram);
        }
    }

    @Test
    void seededAndWithoutGraph() {
        Linear a = withSeed(9);
        Linear b = withSeed(9);
        assertTrue(a.weight.equal(b.weight));
        assertTrue(a.bias.equal(b.bias));
        assertNull(a.weight.gradFn());
        assertTrue(a.weight.requiresGrad());
    }

    private static Linear withSeed(long seed) {
        Kindling.manualSeed(seed);
        return new Linear(30, 20);
    }

    @Test
    void linearDefaultBoundIsOneOverSqrtFanIn() {
        Kindling.manualSeed(4);
        Linear m = new Linear(400, 300);
        double bound = 1 / Math.sqrt(400);
        double[] w = moments(m.weight);
        assertTrue(w[2] <= bound + 1e-7 && w[2] > 0.99 * bound, "max |w| " + w[2]);
        assertEquals(bound / Math.sqrt(3), w[1], 0.01 * bound);
        assertTrue(moments(m.bias)[2] <= bound + 1e-7);
    }
}
