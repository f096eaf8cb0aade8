package org.kindling.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.autograd.GradCheck;
import org.kindling.nn.NnReference;
import org.kindling.nn.Parameter;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

class RNNTest {
    @Test
    void matchesPyTorch() {
        RNN relu = new RNN(5, 4, 1, "relu", true, true, 0.0, true);
        NnReference.check("nn2_rnn.txt", "rnn_relu", relu, x -> {
            RNNOutput r = relu.forward(x[0], null);
            return new Tensor[] {r.output(), r.hN()};
        }, 1e-4, 1e-5);
        RNN tanh = new RNN(3, 4, 2, "tanh", false, false, 0.0, false);
        NnReference.check("nn2_rnn.txt", "rnn_tanh", tanh, x -> {
            RNNOutput r = tanh.forward(x[0], x[1]);
            return new Tensor[] {r.output(), r.hN()};
        }, 1e-4, 1e-5);
        RNNCell cell = new RNNCell(5, 4);
        NnReference.check("nn2_rnn.txt", "rnn_cell", cell, x -> new Tensor[] {cell.forward(x[0], x[1])}, 1e-4, 1e-5);
    }

    @Test
    void gradcheckTinyAndCells() {
        Kindling.manualSeed(4);
        RNN m = new RNN(3, 2, 2, "tanh", true, false, 0.0, true);
        m.to(DType.FLOAT64);
        List<Tensor> in = new ArrayList<>(List.of(Kindling.randn(3, 2, 3).to(DType.FLOAT64).requiresGrad_()));
        in.addAll(m.parameters());
        GradCheck.gradcheck(t -> m.forward(t[0]), in.toArray(new Tensor[0]));
        LSTMCell cell = new LSTMCell(3, 2);
        cell.to(DType.FLOAT64);
        List<Tensor> cin = new ArrayList<>(List.of(Kindling.randn(2, 3).to(DType.FLOAT64).requiresGrad_(),
                Kindling.randn(2, 2).to(DType.FLOAT64).requiresGrad_(), Kindling.randn(2, 2).to(DType.FLOAT64).requiresGrad_()));
        for (Parameter p : cell.parameters()) cin.add(p);
        GradCheck.gradcheck(t -> {
            LSTMState s = cell.forward(t[0], t[1], t[2]);
            return Kindling.cat(List.of(s.h(), s.c()), 1);
        }, cin.toArray(new Tensor[0]));
    }

    @Test
    void shapesAndErrors() {
        assertArrayEquals(new int[] {3, 20}, new RNNCell(10, 20, true, "relu").forward(Kindling.randn(3, 10), null)
                .shape().toArray());
        assertArrayEquals(new int[] {20}, new GRUCell(10, 20).forward(Kindling.randn(10)).shape().toArray());
        assertThrows(IllegalArgumentException.class, () -> new RNN(3, 2, 1, "sigmoid", true, false, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new RNNCell(3, 2).forward(Kindling.randn(2, 4), null));
    }
}
