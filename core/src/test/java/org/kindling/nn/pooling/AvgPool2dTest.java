package org.kindling.nn.pooling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.autograd.GradCheck;
import org.kindling.nn.Module;
import org.kindling.nn.NnReference;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

class AvgPool2dTest {
    private static void ref(String name, Module m) {
        NnReference.check("nn2_pool.txt", name, m, x -> new Tensor[] {m.forward(x[0])}, 1e-4, 1e-5);
    }

    @Test
    void matchesPyTorch() {
        ref("ap2d", new AvgPool2d(new int[] {3}, new int[] {2}, new int[] {1}, true, false));
        ref("ap2d_inc", new AvgPool2d(new int[] {3}, new int[] {2}, new int[] {1}, false, true));
        ref("ap1d", new AvgPool1d(4, 3, 2, true, true));
        ref("aap2d", new AdaptiveAvgPool2d(3, 4));
    }

    @Test
    void gradcheckFloat64() {
        Kindling.manualSeed(2);
        Tensor x = Kindling.randn(2, 2, 7, 6).to(DType.FLOAT64).requiresGrad_();
        GradCheck.gradcheck(in -> PoolFunctions.avgPool2d(in[0], new int[] {3, 2}, new int[] {2, 2},
                new int[] {1, 1}, true, false), x);
        GradCheck.gradcheck(in -> PoolFunctions.avgPool2d(in[0], new int[] {3, 3}, new int[] {2, 1},
                new int[] {1, 0}, false, true), x);
        GradCheck.gradcheck(in -> PoolFunctions.adaptiveAvgPool2d(in[0], 3, 4), x);
        Tensor y = Kindling.randn(2, 3, 9).to(DType.FLOAT64).requiresGrad_();
        GradCheck.gradcheck(in -> PoolFunctions.avgPool1d(in[0], 3, 2, 1, true, false), y);
    }

    @Test
    void shapes() {
        assertArrayEquals(new int[] {8, 5, 1, 1}, new AdaptiveAvgPool2d(1).forward(Kindling.randn(8, 5, 7, 7))
                .shape().toArray());
        assertArrayEquals(new int[] {1, 3, 4, 4}, new AvgPool2d(2).forward(Kindling.randn(1, 3, 8, 8))
                .shape().toArray());
    }
}
