package org.kindling.nn.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.autograd.GradCheck;
import org.kindling.nn.NnReference;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

class ConvTranspose2dTest {
    @Test
    void matchesPyTorch() {
        ConvTranspose2d a = new ConvTranspose2d(4, 6, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, 2,
                true, new int[] {1}, "zeros");
        NnReference.check("nn2_conv.txt", "ct2d", a, x -> new Tensor[] {a.forward(x[0])}, 1e-4, 1e-5);
        ConvTranspose2d b = new ConvTranspose2d(3, 2, new int[] {2, 3}, new int[] {1, 2}, new int[] {0, 1},
                new int[] {0, 0}, 1, false, new int[] {2, 1}, "zeros");
        NnReference.check("nn2_conv.txt", "ct2d_dil", b, x -> new Tensor[] {b.forward(x[0])}, 1e-4, 1e-5);
    }

    @Test
    void gradcheckFloat64() {
        Kindling.manualSeed(11);
        Tensor x = Kindling.randn(2, 4, 3, 4).to(DType.FLOAT64).requiresGrad_();
        Tensor w = Kindling.randn(4, 3, 3, 2).to(DType.FLOAT64).requiresGrad_();
        Tensor b = Kindling.randn(6).to(DType.FLOAT64).requiresGrad_();
        GradCheck.gradcheck(in -> ConvFunctions.convTranspose2d(in[0], in[1], in[2], new int[] {2, 1},
                new int[] {1, 0}, new int[] {1, 0}, 2, new int[] {1, 2}), x, w, b);
    }

    @Test
    void shapes() {
        ConvTranspose2d up = new ConvTranspose2d(16, 8, 3, 2, 1, 1);
        assertArrayEquals(new int[] {16, 8, 3, 3}, up.weight().shape().toArray());
        assertArrayEquals(new int[] {4, 8, 24, 24}, up.forward(Kindling.randn(4, 16, 12, 12)).shape().toArray());
        assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2d(2, 2, 3, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> up.forward(Kindling.randn(4, 8, 12, 12)));
    }
}
