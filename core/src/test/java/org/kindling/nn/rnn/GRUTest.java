package org.kindling.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.autograd.GradCheck;
import org.kindling.nn.NnReference;
import org.kindling.nn.Parameter;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

class GRUTest {
    @Test
    void matchesPyTorch() {
        GRU m = new GRU(5, 4, 2, true, false, 0.0, false);
        NnReference.check("nn2_rnn.txt", "gru", m, x -> {
            RNNOutput r = m.forward(x[0], x[1]);
            return new Tensor[] {r.output(), r.hN()};
        }, 1e-4, 1e-5);
        GRUCell cell = new GRUCell(5, 4);
        NnReference.check("nn2_rnn.txt", "gru_cell", cell, x -> new Tensor[] {cell.forward(x[0], x[1])}, 1e-4, 1e-5);
    }

    @Test
    void gradcheckTiny() {
        Kindling.manualSeed(2);
        GRU m = new GRU(3, 2, 1, true, true, 0.0, true);
        m.to(DType.FLOAT64);
        List<Parameter> ps = m.parameters();
        Tensor[] inputs = new Tensor[2 + ps.size()];
        inputs[0] = Kindling.randn(2, 3, 3).to(DType.FLOAT64).requiresGrad_();
        inputs[1] = Kindling.randn(2, 2, 2).to(DType.FLOAT64).requiresGrad_();
        for (int i = 0; i < ps.size(); i++) inputs[2 + i] = ps.get(i);
        GradCheck.gradcheck(in -> {
            RNNOutput r = m.forward(in[0], in[1]);
            return Kindling.cat(List.of(r.output().reshape(-1), r.hN().reshape(-1)), 0);
        }, inputs);
    }

    @Test
    void shapes() {
        RNNOutput r = new GRU(10, 20, 2, true, false, 0.0, true).forward(Kindling.randn(5, 3, 10), null);
        assertArrayEquals(new int[] {5, 3, 40}, r.output().shape().toArray());
        assertArrayEquals(new int[] {4, 3, 20}, r.hN().shape().toArray());
    }
}
