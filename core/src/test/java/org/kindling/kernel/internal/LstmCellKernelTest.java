package org.kindling.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The LSTM cell kernels: the scalar reference against the formulas in double, and the vector
 * kernels against the reference, at widths with and without a vector tail.
 */
class LstmCellKernelTest {

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @ParameterizedTest(name = "h={0}")
    @ValueSource(ints = {1, 7, 16, 37, 130})
    void forwardMatchesFormulaAndVectorMatchesScalar(int h) {
        Random r = new Random(h);
        int go = 2, cpo = 1, co = 3, to = 4, ho = 5;
        float[] gates = new float[go + 4 * h];
        for (int i = go; i < gates.length; i++) gates[i] = (float) (r.nextGaussian() * 3);
        float[] cPrev = new float[cpo + h];
        for (int i = cpo; i < cPrev.length; i++) cPrev[i] = (float) r.nextGaussian();

        float[] g1 = gates.clone(), c1 = new float[co + h], t1 = new float[to + h], h1 = new float[ho + h];
        new ScalarKernels().lstmCell(h, g1, go, cPrev, cpo, c1, co, t1, to, h1, ho);
        float[] g2 = gates.clone(), c2 = new float[co + h], t2 = new float[to + h], h2 = new float[ho + h];
        new SimdKernels().lstmCell(h, g2, go, cPrev, cpo, c2, co, t2, to, h2, ho);

        for (int j = 0; j < h; j++) {
            double i = sigmoid(gates[go + j]), f = sigmoid(gates[go + h + j]);
            double g = Math.tanh(gates[go + 2 * h + j]), o = sigmoid(gates[go + 3 * h + j]);
            double c = f * cPrev[cpo + j] + i * g;
            assertEquals(i, g1[go + j], 1e-6);
            assertEquals(g, g1[go + 2 * h + j], 1e-6);
            assertEquals(c, c1[co + j], 1e-5);
            assertEquals(Math.tanh(c), t1[to + j], 1e-5);
            assertEquals(o * Math.tanh(c), h1[ho + j], 1e-5);
        }
        for (int q = 0; q < gates.length; q++) assertEquals(g1[q], g2[q], 4e-7f, "gate " + q);
        for (int j = 0; j < h; j++) {
            assertEquals(c1[co + j], c2[co + j], 1e-6f);
            assertEquals(t1[to + j], t2[to + j], 1e-6f);
            assertEquals(h1[ho + j], h2[ho + j], 1e-6f);
        }
        assertEquals(0f, h2[ho - 1], "wrote before hOut");
    }

    @ParameterizedTest(name = "h={0}")
    @ValueSource(ints = {1, 9, 32, 37})
    void backwardMatchesFormulaAndVectorMatchesScalar(int h) {
        Random r = new Random(100 + h);
        float[] gates = new float[4 * h], cPrev = new float[h], tanhC = new float[h], dh = new float[h], dc = new float[h];
        for (int j = 0; j < 4 * h; j++) gates[j] = r.nextFloat();
        for (int j = 0; j < h; j++) {
            cPrev[j] = (float) r.nextGaussian();
            tanhC[j] = (float) Math.tanh(r.nextGaussian());
            dh[j] = (float) r.nextGaussian();
            dc[j] = (float) r.nextGaussian();
        }
        float[] dc1 = dc.clone(), dg1 = new float[4 * h + 1];
        new ScalarKernels().lstmCellBackward(h, gates, 0, cPrev, 0, tanhC, 0, dh, 0, dc1, 0, dg1, 1);
        float[] dc2 = dc.clone(), dg2 = new float[4 * h + 1];
        new SimdKernels().lstmCellBackward(h, gates, 0, cPrev, 0, tanhC, 0, dh, 0, dc2, 0, dg2, 1);
        for (int j = 0; j < h; j++) {
            double i = gates[j], f = gates[h + j], g = gates[2 * h + j], o = gates[3 * h + j], tc = tanhC[j];
            double dcv = dc[j] + dh[j] * o * (1 - tc * tc);
            assertEquals(dcv * g * i * (1 - i), dg1[1 + j], 1e-5);
            assertEquals(dcv * cPrev[j] * f * (1 - f), dg1[1 + h + j], 1e-5);
            assertEquals(dcv * i * (1 - g * g), dg1[1 + 2 * h + j], 1e-5);
            assertEquals(dh[j] * tc * o * (1 - o), dg1[1 + 3 * h + j], 1e-5);
            assertEquals(dcv * f, dc1[j], 1e-5);
            assertEquals(dc1[j], dc2[j], 1e-6f);
        }
        for (int q = 0; q < dg1.length; q++) assertEquals(dg1[q], dg2[q], 1e-6f, "dGates " + q);
    }
}
