package org.kindling.nn.batchnorm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.autograd.Autograd;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/**
 * BatchNorm2d in training on float32 runs as one fused Function; float64 runs the composition of
 * Tensor ops that the gradchecks cover. The two must agree: outputs, gradients of input, weight
 * and bias, running statistics, and second derivatives under createGraph.
 */
class FusedBatchNormTest {

    @Test
    void fusedFloat32MatchesComposedFloat64() {
        Kindling.manualSeed(3);
        BatchNorm2d bn32 = new BatchNorm2d(5);
        BatchNorm2d bn64 = new BatchNorm2d(5);
        bn64.to(DType.FLOAT64);
        Tensor w = Kindling.randn(5), b = Kindling.randn(5);
        try (var g = org.kindling.tensor.GradMode.noGrad()) {
            bn32.weight.copy_(w);
            bn32.bias.copy_(b);
            bn64.weight.copy_(w.to(DType.FLOAT64));
            bn64.bias.copy_(b.to(DType.FLOAT64));
        }
        // A large offset checks that the variance is computed without cancellation.
        Tensor x = Kindling.randn(4, 5, 6, 7).mul(3).add(100);
        Tensor up = Kindling.randn(4, 5, 6, 7);
        Tensor x32 = x.clone().requiresGrad_(), x64 = x.to(DType.FLOAT64).requiresGrad_();
        Tensor y32 = bn32.forward(x32), y64 = bn64.forward(x64);
        assertEquals("NativeBatchNormBackward", y32.gradFn().name());
        assertClose(y64, y32, "output");
        y32.mul(up).sum().backward();
        y64.mul(up.to(DType.FLOAT64)).sum().backward();
        assertClose(x64.grad(), x32.grad(), "grad x");
        assertClose(bn64.weight.grad(), bn32.weight.grad(), "grad weight");
        assertClose(bn64.bias.grad(), bn32.bias.grad(), "grad bias");
        assertClose(bn64.runningMean(), bn32.runningMean(), "running mean");
        assertClose(bn64.runningVar(), bn32.runningVar(), "running var");
        assertEquals(1L, (long) bn32.numBatchesTracked().item());
    }

    @Test
    void secondDerivativeUnderCreateGraphMatchesComposedPath() {
        Kindling.manualSeed(4);
        Tensor x = Kindling.randn(3, 2, 4, 4);
        Tensor up = Kindling.randn(3, 2, 4, 4);
        Tensor[] got = secondDerivative(new BatchNorm2d(2, 1e-5, 0.1, false, true), x.clone(), up);
        Tensor[] want = secondDerivative(new BatchNorm2d(2, 1e-5, 0.1, false, true), x.to(DType.FLOAT64),
                up.to(DType.FLOAT64));
        assertClose(want[0], got[0], "first derivative");
        assertClose(want[1], got[1], "second derivative");
    }

    /** d/dx of sum((d/dx sum(y * up))^2), through backward(createGraph=true). */
    private static Tensor[] secondDerivative(BatchNorm2d bn, Tensor x, Tensor up) {
        x.requiresGrad_();
        Tensor y = bn.forward(x);
        Tensor g = Autograd.grad(y.mul(up).sum(), x, true)[0];
        Tensor gg = Autograd.grad(g.mul(g).sum(), x, false)[0];
        return new Tensor[] {g, gg};
    }

    private static void assertClose(Tensor want, Tensor got, String what) {
        assertArrayEquals(want.shape().toArray(), got.shape().toArray(), what);
        double[] a = want.toDoubleArray(), b = got.toDoubleArray();
        double scale = 0;
        for (double v : a) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-4 * Math.abs(a[i]) + 1e-5 * scale + 1e-6, what + " at " + i);
        }
    }
}
