package org.kindling.nn.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.autograd.GradCheck;
import org.kindling.nn.NnReference;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

class Conv2dTest {
    private static final String FILE = "nn2_conv.txt";

    private static void ref(String name, org.kindling.nn.Module m) {
        NnReference.check(FILE, name, m, x -> new Tensor[] {m.forward(x[0])}, 1e-4, 1e-5);
    }

    @Test
    void matchesPyTorchBasic() {
        ref("c2d_basic", new Conv2d(3, 4, 3, 1, 1));
    }

    @Test
    void matchesPyTorchStrideDilationGroups() {
        ref("c2d_groups", new Conv2d(4, 6, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 2}, new int[] {2, 1}, 2,
                true, "zeros"));
    }

    @Test
    void matchesPyTorchSamePaddingEvenKernel() {
        ref("c2d_same", new Conv2d(2, 3, new int[] {4, 3}, new int[] {1, 1}, "same", new int[] {1, 2}, 1, false));
    }

    private static Tensor f64(int... shape) {
        return Kindling.randn(shape).to(DType.FLOAT64).requiresGrad_();
    }

    @Test
    void gradcheckFloat64() {
        Kindling.manualSeed(3);
        Tensor x = f64(2, 4, 6, 5), w = f64(6, 2, 3, 2), b = f64(6);
        GradCheck.gradcheck(in -> ConvFunctions.conv2d(in[0], in[1], in[2], new int[] {2, 1}, new int[] {1, 1},
                new int[] {1, 2}, 2), x, w, b);
        Tensor w2 = f64(3, 4, 2, 3);
        GradCheck.gradcheck(in -> ConvFunctions.conv2d(in[0], in[1], null, new int[] {1, 2}, "valid",
                new int[] {2, 1}, 1), x, w2);
        GradCheck.gradcheck(in -> ConvFunctions.conv2d(in[0], in[1], null, new int[] {1, 1}, "same",
                new int[] {1, 1}, 1), x, w2);
    }

    @Test
    void float32MatchesFloat64Path() {
        Kindling.manualSeed(5);
        Tensor x = Kindling.randn(3, 6, 9, 8), w = Kindling.randn(4, 3, 3, 3), b = Kindling.randn(4);
        int[] s = {2, 1}, p = {1, 2}, d = {1, 2};
        Tensor y32 = ConvFunctions.conv2d(x, w, b, s, p, d, 2);
        Tensor y64 = ConvFunctions.conv2d(x.to(DType.FLOAT64), w.to(DType.FLOAT64), b.to(DType.FLOAT64), s, p, d, 2);
        assertTrue(y32.to(DType.FLOAT64).allclose(y64, 1e-4, 1e-4));
    }

    @Test
    void shapesAndUnbatchedInput() {
        Conv2d conv = new Conv2d(3, 8, 3, 2, 1);
        assertArrayEquals(new int[] {8, 3, 3, 3}, conv.weight().shape().toArray());
        assertArrayEquals(new int[] {2, 8, 5, 4}, conv.forward(Kindling.randn(2, 3, 10, 8)).shape().toArray());
        assertArrayEquals(new int[] {8, 5, 4}, conv.forward(Kindling.randn(3, 10, 8)).shape().toArray());
        assertEquals(2, conv.parameters().size());
        assertEquals(1, new Conv2d(3, 8, new int[] {3}, new int[] {1}, new int[] {0}, new int[] {1}, 1, false, "zeros")
                .parameters().size());
        double bound = 1 / Math.sqrt(27);
        assertTrue(conv.weight().abs().max().item() <= bound);
        assertEquals("Conv2d(3, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))", conv.toString());
    }

    @Test
    void shapeErrorsNameExpectedAndFound() {
        Conv2d conv = new Conv2d(3, 4, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> conv.forward(Kindling.randn(2, 4, 8, 8)));
        assertEquals("Conv2d: expected input with 4 dims [N, C, H, W] and 3 channels, got [2, 4, 8, 8]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> conv.forward(Kindling.randn(2, 3, 2, 2)));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3).forward(Kindling.randn(3, 8)));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, new int[] {3}, new int[] {2}, "same",
                new int[] {1}, 1, true));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, new int[] {3}, new int[] {1},
                new int[] {0}, new int[] {1}, 2, true, "zeros"));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, new int[] {3}, new int[] {1},
                new int[] {0}, new int[] {1}, 1, true, "reflect"));
    }

    @Test
    void stateDictRoundTrip() {
        Conv2d a = new Conv2d(2, 3, 3), b = new Conv2d(2, 3, 3);
        b.loadStateDict(a.stateDict());
        Tensor x = Kindling.randn(1, 2, 5, 5);
        assertTrue(a.forward(x).allclose(b.forward(x)));
    }

    @Test
    void inferencePathAgreesWithTheTrainingPath() {
        // Without a weight gradient the forward runs sample by sample into the output (ConvKernels.forwardInference);
        // with one it runs the batched im2col path that keeps the columns for backward.
        Kindling.manualSeed(8);
        int[][] cases = { // n, c, h, w, oc, kh, kw, stride, pad, dilation, groups
            {5, 3, 9, 8, 4, 3, 3, 1, 1, 1, 1},
            {1, 4, 7, 7, 6, 3, 2, 2, 1, 1, 2},
            {3, 6, 5, 6, 8, 1, 1, 1, 0, 1, 1},
            {2, 6, 5, 6, 9, 1, 1, 1, 0, 1, 3},
            {4, 2, 11, 10, 3, 3, 3, 2, 2, 2, 1},
        };
        for (int[] c : cases) {
            Tensor x = Kindling.randn(c[0], c[1], c[2], c[3]);
            Tensor w = Kindling.randn(c[4], c[1] / c[10], c[5], c[6]), b = Kindling.randn(c[4]);
            int[] s = {c[7], c[7]}, p = {c[8], c[8]}, d = {c[9], c[9]};
            Tensor inference = ConvFunctions.conv2d(x, w, b, s, p, d, c[10]);
            Tensor training = ConvFunctions.conv2d(x, w.detach().requiresGrad_(), b, s, p, d, c[10]).detach();
            assertArrayEquals(training.shape().toArray(), inference.shape().toArray());
            assertTrue(inference.allclose(training, 1e-5, 1e-5), java.util.Arrays.toString(c) + ": max diff "
                    + inference.sub(training).abs().max().item());
            Tensor noBias = ConvFunctions.conv2d(x, w, null, s, p, d, c[10]);
            Tensor bias = b.reshape(1, c[4], 1, 1);
            assertTrue(noBias.add(bias).allclose(inference, 1e-5, 1e-5), "bias added per output channel");
        }
    }
}
