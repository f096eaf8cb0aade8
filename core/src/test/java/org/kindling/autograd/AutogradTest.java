package org.kindling.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Function;
import org.kindling.tensor.FunctionCtx;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;

class AutogradTest {

    private static Tensor d(double... v) {
        return Kindling.tensor(v).requiresGrad_();
    }

    private static Tensor rand64(int... shape) {
        return Kindling.randn(shape).to(DType.FLOAT64).requiresGrad_();
    }

    @Test
    void simpleChainRule() {
        Tensor x = d(1, 2, 3);
        Tensor y = x.mul(x).add(x.mul(3.0)).sum();   // sum(x^2 + 3x), d/dx = 2x + 3
        assertTrue(y.requiresGrad());
        assertFalse(y.isLeaf());
        assertEquals("SumBackward", y.gradFn().name());
        y.backward();
        assertArrayEquals(new double[] {5, 7, 9}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor x = d(1, 2);
        x.mul(2.0).sum().backward();
        x.mul(3.0).sum().backward();
        assertArrayEquals(new double[] {5, 5}, x.grad().toDoubleArray(), 1e-12);
        x.setGrad(null);
        assertNull(x.grad());
    }

    @Test
    void broadcastingGradientsAreSummedBack() {
        Tensor a = rand64(3, 1);
        Tensor b = rand64(4);
        a.add(b).mul(b).sum().backward();
        assertArrayEquals(new int[] {3, 1}, a.grad().shape().toArray());
        assertArrayEquals(new int[] {4}, b.grad().shape().toArray());
        double bsum = b.sum().item();
        for (double g : a.grad().toDoubleArray()) assertEquals(bsum, g, 1e-12);
    }

    @Test
    void gradcheckOnCoreOps() {
        Kindling.manualSeed(1);
        Tensor a = rand64(2, 3);
        Tensor b = rand64(3, 4);
        Tensor c = rand64(4);
        GradCheck.gradcheck(in -> in[0].matmul(in[1]).add(in[2]).exp().sum(1), a, b, c);
        GradCheck.gradcheck(in -> in[0].div(in[1].exp()).sub(in[1]).neg(), a, rand64(3));
        GradCheck.gradcheck(in -> in[0].view(3, 2).reshape(6).expand(2, 6).clone().sum(new int[] {0}, true), a);
        GradCheck.gradcheck(in -> in[0].matmul(in[1]), rand64(3), rand64(3, 2));
        GradCheck.gradcheck(in -> in[0].matmul(in[1]), rand64(2, 2, 3), rand64(3));
        GradCheck.gradcheck(in -> in[0].matmul(in[1]), rand64(2, 1, 2, 3), rand64(4, 3, 2));
    }

    @Test
    void gradcheckCatchesAWrongBackward() {
        Function wrong = new Function() {
            @Override
            public Tensor forward(FunctionCtx ctx, Tensor... in) {
                ctx.saveForBackward(in[0]);
                return in[0].mul(in[0]);
            }

            @Override
            public Tensor[] backward(FunctionCtx ctx, Tensor g) {
                return new Tensor[] {g.mul(ctx.savedTensors()[0])};  // should be 2x
            }
        };
        GradCheck.GradcheckError e = assertThrows(GradCheck.GradcheckError.class,
                () -> GradCheck.gradcheck(in -> wrong.apply(in[0]), rand64(3)));
        assertTrue(e.getMessage().contains("Jacobian mismatch"), e.getMessage());
    }

    @Test
    void customFunctionAsInTheReadme() {
        class Cube extends Function {
            @Override
            public Tensor forward(FunctionCtx ctx, Tensor... in) {
                ctx.saveForBackward(in[0]);
                return in[0].mul(in[0]).mul(in[0]);
            }

            @Override
            public Tensor[] backward(FunctionCtx ctx, Tensor grad) {
                Tensor x = ctx.savedTensors()[0];
                return new Tensor[] {grad.mul(x.mul(x).mul(3.0))};
            }
        }
        Tensor x = d(2);
        Tensor y = new Cube().apply(x);
        assertEquals(8.0, y.item());
        assertEquals("CubeBackward", y.gradFn().name());
        y.sum().backward();
        assertEquals(12.0, x.grad().item(), 1e-12);
        GradCheck.gradcheck(in -> new Cube().apply(in[0]), rand64(4));
        GradCheck.gradgradcheck(in -> new Cube().apply(in[0]), rand64(3));
    }

    @Test
    void graphIsFreedUnlessRetained() {
        Tensor x = d(1, 2);
        Tensor y = x.mul(x).sum();
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("backward through the graph a second time"), e.getMessage());
        Tensor z = x.mul(x).sum();
        z.backward(Kindling.tensor(1.0).to(DType.FLOAT64), true, false);
        z.backward(Kindling.tensor(1.0).to(DType.FLOAT64), true, false);
        assertArrayEquals(new double[] {2 + 4, 4 + 8}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void higherOrderGradients() {
        Tensor x = d(1.5, -2);
        Tensor y = x.mul(x).mul(x).sum();                // x^3
        Tensor dx = Autograd.grad(y, x, true)[0];        // 3x^2
        assertArrayEquals(new double[] {6.75, 12}, dx.toDoubleArray(), 1e-12);
        assertTrue(dx.requiresGrad());
        Tensor d2 = Autograd.grad(dx.sum(), x, false)[0];  // 6x
        assertArrayEquals(new double[] {9, -12}, d2.toDoubleArray(), 1e-12);
        assertNull(x.grad(), "Autograd.grad does not accumulate into .grad");
    }

    @Test
    void noGradStopsRecordingAndIsThreadLocal() throws Exception {
        Tensor x = d(1, 2);
        try (var g = GradMode.noGrad()) {
            Tensor y = x.mul(2.0);
            assertFalse(y.requiresGrad());
            Thread t = new Thread(() -> assertTrue(GradMode.isEnabled()));
            t.start();
            t.join();
            try (var e = GradMode.enableGrad()) {
                assertTrue(x.mul(2.0).requiresGrad());
            }
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
        assertFalse(x.detach().requiresGrad());
        assertTrue(x.detach().sharesStorageWith(x));
    }

    @Test
    void hooksSeeAndReplaceGradients() {
        Tensor x = d(1, 2);
        AtomicInteger calls = new AtomicInteger();
        x.registerHook(g -> {
            calls.incrementAndGet();
            return g.mul(10.0);
        });
        Tensor h = x.mul(3.0);
        h.retainGrad();
        h.sum().backward();
        assertEquals(1, calls.get());
        assertArrayEquals(new double[] {30, 30}, x.grad().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {1, 1}, h.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void inPlaceChecks() {
        Tensor leaf = d(1, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> leaf.add_(1.0));
        assertTrue(e.getMessage().contains("leaf Variable that requires grad"), e.getMessage());
        try (var g = GradMode.noGrad()) {
            leaf.add_(1.0);   // allowed: optimizers update parameters like this
        }
        assertArrayEquals(new double[] {2, 3}, leaf.toDoubleArray());

        Tensor x = d(1, 2);
        Tensor y = x.exp();           // saves its output
        Tensor z = y.sum();
        y.add_(1.0);                  // modifies the saved output
        IllegalStateException v = assertThrows(IllegalStateException.class, () -> y.mul(2.0).sum().backward());
        assertTrue(v.getMessage().contains("modified by an inplace operation"), v.getMessage());
        assertTrue(z.requiresGrad());
    }

    @Test
    void inPlaceOnNonLeafIsRecorded() {
        Tensor x = d(1, 2, 3);
        Tensor y = x.mul(2.0);
        y.mul_(x);                    // y = 2x * x
        y.sum().backward();
        assertArrayEquals(new double[] {4, 8, 12}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void onlyFloatingTensorsRequireGrad() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kindling.arange(3).requiresGrad_());
        assertTrue(e.getMessage().contains("floating point"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Kindling.ones(2).backward());
        Tensor x = d(1, 2);
        assertThrows(IllegalStateException.class, () -> x.mul(2.0).backward());
    }
}
