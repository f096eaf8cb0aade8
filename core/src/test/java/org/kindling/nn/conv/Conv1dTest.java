package org.kindling.nn.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.autograd.GradCheck;
import org.kindling.nn.NnReference;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

class Conv1dTest {
    @Test
    void matchesPyTorch() {
        Conv1d m = new Conv1d(4, 6, 3, 2, 1, 1, 2, true, "zeros");
        NnReference.check("nn2_conv.txt", "c1d", m, x -> new Tensor[] {m.forward(x[0])}, 1e-4, 1e-5);
        Conv1d same = new Conv1d(3, 2, 4, 1, "same", 2, 1, true);
        NnReference.check("nn2_conv.txt", "c1d_same", same, x -> new Tensor[] {same.forward(x[0])}, 1e-4, 1e-5);
    }

    @Test
    void gradcheckAndShapes() {
        Kindling.manualSeed(7);
        Tensor x = Kindling.randn(2, 4, 9).to(DType.FLOAT64).requiresGrad_();
        Tensor w = Kindling.randn(2, 2, 3).to(DType.FLOAT64).requiresGrad_();
        Tensor b = Kindling.randn(2).to(DType.FLOAT64).requiresGrad_();
        GradCheck.gradcheck(in -> ConvFunctions.conv1d(in[0], in[1], in[2], 2, 1, 2, 2), x, w, b);
        assertArrayEquals(new int[] {20, 33, 24}, new Conv1d(16, 33, 3, 2, 0).forward(Kindling.randn(20, 16, 50))
                .shape().toArray());
        var e = assertThrows(IllegalArgumentException.class, () -> new Conv1d(3, 4, 3).forward(Kindling.randn(2, 5, 9)));
        assertEquals("Conv1d: expected input with 3 dims [N, C, L] and 3 channels, got [2, 5, 9]", e.getMessage());
    }
}
