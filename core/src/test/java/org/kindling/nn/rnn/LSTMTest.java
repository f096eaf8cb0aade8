package org.kindling.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.autograd.GradCheck;
import org.kindling.nn.NnReference;
import org.kindling.nn.Parameter;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

class LSTMTest {
    @Test
    void matchesPyTorchTwoLayerBidirectionalBatchFirst() {
        LSTM m = new LSTM(5, 4, 2, true, true, 0.0, true);
        NnReference.check("nn2_rnn.txt", "lstm", m, x -> {
            LSTMOutput r = m.forward(x[0], x[1], x[2]);
            return new Tensor[] {r.output(), r.hN(), r.cN()};
        }, 1e-4, 1e-5);
    }

    @Test
    void cellMatchesPyTorch() {
        LSTMCell m = new LSTMCell(5, 4);
        NnReference.check("nn2_rnn.txt", "lstm_cell", m, x -> {
            LSTMState s = m.forward(x[0], x[1], x[2]);
            return new Tensor[] {s.h(), s.c()};
        }, 1e-4, 1e-5);
    }

    @Test
    void gradcheckTiny() {
        Kindling.manualSeed(1);
        LSTM m = new LSTM(3, 2, 2, true, false, 0.0, true);
        m.to(DType.FLOAT64);
        List<Parameter> ps = m.parameters();
        Tensor x = Kindling.randn(3, 2, 3).to(DType.FLOAT64).requiresGrad_();
        Tensor h0 = Kindling.randn(4, 2, 2).to(DType.FLOAT64).requiresGrad_();
        Tensor c0 = Kindling.randn(4, 2, 2).to(DType.FLOAT64).requiresGrad_();
        Tensor[] inputs = new Tensor[3 + ps.size()];
        inputs[0] = x;
        inputs[1] = h0;
        inputs[2] = c0;
        for (int i = 0; i < ps.size(); i++) inputs[3 + i] = ps.get(i);
        GradCheck.gradcheck(in -> {
            LSTMOutput r = m.forward(in[0], in[1], in[2]);
            return r.output().sum().add(r.hN().mul(r.hN()).sum()).add(r.cN().sum().mul(3.0)).reshape(1)
                    .add(r.output().reshape(-1));
        }, inputs);
    }

    /**
     * The float32 path (float gates, packed W_hh, vector cell kernels) against the float64 path on
     * the same weights, with a hidden size that leaves a vector tail and both directions: outputs,
     * final states and every gradient.
     */
    @Test
    void float32PathAgreesWithFloat64Path() {
        Kindling.manualSeed(7);
        LSTM m32 = new LSTM(6, 37, 2, true, true, 0.0, true);
        Kindling.manualSeed(7);
        LSTM m64 = new LSTM(6, 37, 2, true, true, 0.0, true);
        m64.to(DType.FLOAT64);
        Tensor x = Kindling.randn(3, 9, 6);
        Tensor h0 = Kindling.randn(4, 3, 37);
        Tensor c0 = Kindling.randn(4, 3, 37);
        Tensor w = Kindling.randn(3, 9, 74);
        Tensor[] in32 = {x.clone().requiresGrad_(), h0.clone().requiresGrad_(), c0.clone().requiresGrad_()};
        Tensor[] in64 = {x.to(DType.FLOAT64).requiresGrad_(), h0.to(DType.FLOAT64).requiresGrad_(),
                c0.to(DType.FLOAT64).requiresGrad_()};
        LSTMOutput r32 = m32.forward(in32[0], in32[1], in32[2]);
        LSTMOutput r64 = m64.forward(in64[0], in64[1], in64[2]);
        assertEquals(DType.FLOAT32, r32.output().dtype());
        assertClose(r64.output(), r32.output(), "output");
        assertClose(r64.hN(), r32.hN(), "h_n");
        assertClose(r64.cN(), r32.cN(), "c_n");
        r32.output().mul(w).sum().add(r32.cN().sum()).backward();
        r64.output().mul(w.to(DType.FLOAT64)).sum().add(r64.cN().sum()).backward();
        String[] names = {"x", "h0", "c0"};
        for (int i = 0; i < 3; i++) assertClose(in64[i].grad(), in32[i].grad(), "grad " + names[i]);
        List<Parameter> p32 = m32.parameters(), p64 = m64.parameters();
        for (int i = 0; i < p32.size(); i++) assertClose(p64.get(i).grad(), p32.get(i).grad(), "grad param " + i);
    }

    private static void assertClose(Tensor want, Tensor got, String what) {
        assertArrayEquals(want.shape().toArray(), got.shape().toArray(), what);
        double[] a = want.toDoubleArray();
        double[] b = got.toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 2e-5 + 1e-4 * Math.abs(a[i]), what + " at " + i);
        }
    }

    @Test
    void shapesNamesAndErrors() {
        LSTM m = new LSTM(10, 20, 2, true, true, 0.0, false);
        LSTMOutput r = m.forward(Kindling.randn(3, 5, 10), null, null);
        assertArrayEquals(new int[] {3, 5, 20}, r.output().shape().toArray());
        assertArrayEquals(new int[] {2, 3, 20}, r.hN().shape().toArray());
        assertArrayEquals(new int[] {2, 3, 20}, r.cN().shape().toArray());
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l1",
                "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"), List.copyOf(m.namedParameters().keySet()));
        assertArrayEquals(new int[] {80, 10}, m.getParameter("weight_ih_l0").shape().toArray());
        assertTrue(m.getParameter("weight_hh_l1").abs().max().item() <= 1 / Math.sqrt(20));
        LSTM bi = new LSTM(4, 3, 1, false, false, 0.0, true);
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse"),
                List.copyOf(bi.namedParameters().keySet()));
        assertArrayEquals(new int[] {7, 6}, bi.forward(Kindling.randn(7, 4)).shape().toArray());
        var e = assertThrows(IllegalArgumentException.class, () -> m.forward(Kindling.randn(3, 5, 9)));
        assertEquals("LSTM: expected input with 3 dims [B, T, 10] (or 2 unbatched [T, 10]), got [3, 5, 9]",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.forward(Kindling.randn(3, 5, 10), Kindling.zeros(2, 5, 20),
                null));
        assertEquals("LSTM(10, 20, num_layers=2, batch_first=True)", m.toString());
    }

    @Test
    void dropoutOnlyInTraining() {
        LSTM m = new LSTM(3, 4, 2, true, false, 0.5, false);
        Tensor x = Kindling.randn(5, 2, 3);
        m.eval();
        assertTrue(m.forward(x).allclose(m.forward(x)));
    }
}
