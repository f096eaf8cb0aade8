package org.kindling.nn.pooling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.autograd.GradCheck;
import org.kindling.nn.Module;
import org.kindling.nn.NnReference;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

class MaxPool2dTest {
    private static void ref(String name, Module m) {
        NnReference.check("nn2_pool.txt", name, m, x -> new Tensor[] {m.forward(x[0])}, 1e-4, 1e-5);
    }

    @Test
    void matchesPyTorch() {
        ref("mp2d", new MaxPool2d(3, 2, 1));
        ref("mp2d_ceil", new MaxPool2d(new int[] {2}, null, new int[] {0}, new int[] {1}, true));
        ref("mp2d_dil", new MaxPool2d(new int[] {2, 3}, new int[] {1, 2}, new int[] {1, 1}, new int[] {2, 1}, false));
        ref("mp1d", new MaxPool1d(3, 2, 1, 1, true));
    }

    @Test
    void gradcheckFloat64() {
        // a permutation keeps the maxima distinct, so finite differences do not cross a tie
        Tensor x = Kindling.randperm(2 * 3 * 7 * 6).to(DType.FLOAT64).div(10).reshape(2, 3, 7, 6).requiresGrad_();
        GradCheck.gradcheck(in -> PoolFunctions.maxPool2d(in[0], new int[] {3, 2}, new int[] {2, 2},
                new int[] {1, 1}, new int[] {1, 2}, true), x);
        Tensor y = Kindling.randperm(2 * 3 * 9).to(DType.FLOAT64).div(10).reshape(2, 3, 9).requiresGrad_();
        GradCheck.gradcheck(in -> PoolFunctions.maxPool1d(in[0], 2, 3, 1, 1, true), y);
    }

    @Test
    void shapesAndErrors() {
        assertArrayEquals(new int[] {64, 32, 14, 14}, new MaxPool2d(2).forward(Kindling.randn(64, 32, 28, 28))
                .shape().toArray());
        assertArrayEquals(new int[] {3, 2, 2}, new MaxPool2d(2).forward(Kindling.randn(3, 5, 5)).shape().toArray());
        var e = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2).forward(Kindling.randn(4, 4)));
        assertEquals("max_pool2d: expected input with 4 dims [N, C, H, W] (or [C, H, W]), got [4, 4]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2, 2, 2).forward(Kindling.randn(1, 1, 4, 4)));
        assertEquals("MaxPool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0), dilation=(1, 1), ceil_mode=False)",
                new MaxPool2d(2).toString());
    }

    @Test
    void withoutGradientTheValuesOnlyLoopAgreesWithTheIndexedOneIncludingNaN() {
        Kindling.manualSeed(21);
        int[][] shapes = {{3, 5, 28, 28}, {2, 4, 7, 9}, {1, 3, 14, 14}, {2, 2, 6, 5}};
        int[][][] geometries = {
            {{2, 2}, {2, 2}, {0, 0}, {1, 1}},
            {{3, 3}, {2, 2}, {1, 1}, {1, 1}},
            {{2, 3}, {1, 2}, {1, 1}, {2, 1}},
        };
        for (int[] shape : shapes) {
            for (int[][] geo : geometries) {
                for (boolean ceil : new boolean[] {false, true}) {
                    Tensor x = Kindling.randn(shape);
                    float[] v = x.toFloatArray();
                    for (int i = 0; i < v.length; i += 37) v[i] = Float.NaN;
                    x = Kindling.tensor(v).reshape(shape);
                    Tensor valuesOnly = PoolFunctions.maxPool2d(x, geo[0], geo[1], geo[2], geo[3], ceil);
                    Tensor indexed = PoolFunctions.maxPool2d(x.detach().requiresGrad_(), geo[0], geo[1], geo[2],
                            geo[3], ceil).detach();
                    assertArrayEquals(indexed.shape().toArray(), valuesOnly.shape().toArray());
                    float[] a = indexed.toFloatArray(), b = valuesOnly.toFloatArray();
                    int nans = 0;
                    for (int i = 0; i < a.length; i++) {
                        if (Float.isNaN(a[i])) nans++;
                        assertEquals(a[i], b[i], 0f, "element " + i + " of " + java.util.Arrays.toString(shape));
                    }
                    if (geo[0][0] == 3) assertTrue(nans > 0, "some windows hold a NaN");
                }
            }
        }
    }
}
