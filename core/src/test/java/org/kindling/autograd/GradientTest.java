package org.kindling.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;

/**
 * Gradients of the elementwise ops (gradcheck in float64, PyTorch's values at the kinks),
 * second-order checks for a representative set, in-place ops on non-leaf tensors and the
 * non-differentiable ops. The helpers here are shared by the other {@code *GradTest} classes.
 */
class GradientTest {

    // ------------------------------------------------------------------ helpers

    /** A standard-normal float64 leaf that requires grad. */
    static Tensor r(int... shape) {
        return Kindling.randn(shape).to(DType.FLOAT64).requiresGrad_();
    }

    /** A float64 leaf with values in [lo, hi). */
    static Tensor u(double lo, double hi, int... shape) {
        return Kindling.uniform(lo, hi, shape).to(DType.FLOAT64).requiresGrad_();
    }

    /** A non-contiguous float64 leaf of shape [rows, cols]: the transpose of a [cols, rows] tensor. */
    static Tensor rt(int rows, int cols) {
        Tensor t = Kindling.randn(cols, rows).to(DType.FLOAT64).t();
        assertFalse(t.isContiguous());
        return t.requiresGrad_();
    }

    /** A float64 leaf from values. */
    static Tensor v(double... values) {
        return Kindling.tensor(values).requiresGrad_();
    }

    static Tensor v2(double[][] values) {
        return Kindling.tensor(values).requiresGrad_();
    }

    static Tensor longs(long... values) {
        return Kindling.tensor(values);
    }

    static void gc(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        assertTrue(GradCheck.gradcheck(fn, inputs));
    }

    static void ggc(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        assertTrue(GradCheck.gradgradcheck(fn, inputs));
    }

    /** The gradient of sum(fn(x)) with respect to each input. */
    static double[][] grads(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        fn.apply(inputs).sum().backward();
        double[][] out = new double[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            out[i] = inputs[i].grad() == null ? null : inputs[i].grad().toDoubleArray();
        }
        return out;
    }

    static void assertGrad(double[] expected, Tensor x) {
        assertNotNull(x.grad(), "no gradient");
        assertArrayEquals(expected, x.grad().toDoubleArray(), 1e-12);
    }

    // ------------------------------------------------------------------ binary arithmetic

    @Test
    void subRsubAndAddAlpha() {
        Kindling.manualSeed(1);
        gc(in -> in[0].sub(in[1]), r(2, 3), r(3));
        gc(in -> in[0].sub(in[1]), r(2, 1), rt(2, 3));
        gc(in -> in[0].rsub(2.0).sub(1.5), r(4));
        gc(in -> in[0].add(in[1], -2.5), r(2, 3), r(2, 1));
        gc(in -> in[0].mul(in[1]).div(in[2]), r(3, 1), r(4), u(0.5, 2, 3, 4));
    }

    @Test
    void powBothOperands() {
        Kindling.manualSeed(2);
        gc(in -> in[0].pow(in[1]), u(0.5, 2, 2, 3), r(3));
        gc(in -> in[0].pow(in[1]), u(0.5, 2, 3), r(2, 1));
        gc(in -> in[0].pow(3.0), r(2, 3));
        gc(in -> in[0].pow(2L), rt(2, 3));
        gc(in -> in[0].pow(-0.5), u(0.5, 2, 4));
        Tensor exponentOnly = r(3);
        gc(in -> Kindling.tensor(new double[] {0.5, 1.5, 2.0}).pow(in[0]), exponentOnly);
        gc(in -> in[0].pow(in[0]), u(0.5, 2, 4));
    }

    @Test
    void powAtZeroMatchesPyTorch() {
        Tensor a = v(0, 0, 2);
        Tensor b = v(2, 0, 0);
        grads(in -> in[0].pow(in[1]), a, b);
        assertGrad(new double[] {0, 0, 0}, a);
        assertGrad(new double[] {0, 0, Math.log(2)}, b);
        Tensor a2 = v(0);
        Tensor b2 = v(-1);
        grads(in -> in[0].pow(in[1]), a2, b2);
        assertEquals(Double.NEGATIVE_INFINITY, a2.grad().item());
        assertEquals(Double.NEGATIVE_INFINITY, b2.grad().item());
    }

    @Test
    void maximumMinimum() {
        Kindling.manualSeed(3);
        gc(in -> in[0].maximum(in[1]), r(2, 3), r(3));
        gc(in -> in[0].minimum(in[1]), rt(2, 3), r(2, 1));
        Tensor a = v(1, 2, 3);
        Tensor b = v(1, 1, 4);
        grads(in -> in[0].maximum(in[1]), a, b);
        assertGrad(new double[] {0.5, 1, 0}, a);
        assertGrad(new double[] {0.5, 0, 1}, b);
        a.setGrad(null);
        b.setGrad(null);
        grads(in -> in[0].minimum(in[1]), a, b);
        assertGrad(new double[] {0.5, 0, 1}, a);
        assertGrad(new double[] {0.5, 1, 0}, b);
    }

    @Test
    void remainderAndFloorDivide() {
        Tensor a = v(5.3, -2.2, 1.1, 7.9);
        Tensor b = v(2, 0.7, -0.4, 3.0);
        gc(in -> in[0].remainder(in[1]), a, b);
        gc(in -> in[0].remainder(1.5), v(0.2, 2.3, -1.1));
        Tensor a2 = v(5.3, -2.2);
        Tensor b2 = v(2, 0.7);
        grads(in -> in[0].remainder(in[1]), a2, b2);
        assertGrad(new double[] {1, 1}, a2);
        assertGrad(new double[] {-2, 4}, b2);
        Tensor q = v(5.3, -2.2);
        Tensor d = v(2, 0.7);
        Tensor out = q.floorDivide(d);
        assertTrue(out.requiresGrad());
        out.sum().backward();
        assertGrad(new double[] {0, 0}, q);
        assertGrad(new double[] {0, 0}, d);
    }

    @Test
    void whereBothBranches() {
        Kindling.manualSeed(4);
        Tensor cond = Kindling.tensor(new boolean[][] {{true, false, true}, {false, false, true}});
        gc(in -> Kindling.where(cond, in[0], in[1]), r(2, 3), r(3));
        gc(in -> Kindling.where(cond, in[0], in[1]), rt(2, 3), r(2, 1));
        gc(in -> in[0].where(cond.select(0, 0), in[1]), r(2, 3), r(1));
        Tensor a = v(1, 2, 3);
        Tensor b = v(4, 5, 6);
        Tensor c = Kindling.tensor(new boolean[] {true, false, true});
        grads(in -> Kindling.where(c, in[0], in[1]), a, b);
        assertGrad(new double[] {1, 0, 1}, a);
        assertGrad(new double[] {0, 1, 0}, b);
    }

    @Test
    void castBetweenFloatingDtypes() {
        Tensor x = Kindling.tensor(new float[] {1, 2, 3}).requiresGrad_();
        Tensor y = x.to(DType.FLOAT64);
        assertTrue(y.requiresGrad());
        y.mul(y).sum().backward();
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertArrayEquals(new double[] {2, 4, 6}, x.grad().toDoubleArray(), 1e-6);
        assertFalse(r(3).to(DType.INT64).requiresGrad());
        assertFalse(r(3).to(DType.BOOL).requiresGrad());
    }

    // ------------------------------------------------------------------ unary

    @Test
    void unaryGradcheck() {
        Kindling.manualSeed(5);
        gc(in -> in[0].abs(), r(2, 3));
        gc(in -> in[0].square(), rt(2, 3));
        gc(in -> in[0].log(), u(0.5, 3, 2, 3));
        gc(in -> in[0].log1p(), u(-0.5, 3, 5));
        gc(in -> in[0].expm1(), r(5));
        gc(in -> in[0].sqrt(), u(0.5, 3, 5));
        gc(in -> in[0].rsqrt(), u(0.5, 3, 5));
        gc(in -> in[0].reciprocal(), u(0.5, 3, 5));
        gc(in -> in[0].sin(), r(2, 3));
        gc(in -> in[0].cos(), rt(2, 3));
        gc(in -> in[0].tanh(), r(2, 3));
        gc(in -> in[0].sigmoid(), r(2, 3));
        gc(in -> in[0].relu(), v(-1.5, -0.3, 0.2, 1.7));
        gc(in -> in[0].gelu(), r(2, 3));
        gc(in -> in[0].gelu("tanh"), r(2, 3));
        gc(in -> in[0].silu(), r(2, 3));
        gc(in -> in[0].softplus(), v(-3, -0.5, 0.5, 19.5, 25, 30));
        gc(in -> in[0].neg().exp(), rt(2, 3));
        gc(in -> in[0].clamp(-0.5, 0.7), v(-1.2, -0.3, 0.1, 0.69, 2));
        gc(in -> in[0].clampMin(0.2), v(-1.2, -0.3, 0.1, 0.69, 2));
        gc(in -> in[0].clampMax(0.2), v(-1.2, -0.3, 0.1, 0.69, 2));
    }

    @Test
    void kinksMatchPyTorch() {
        Tensor x = v(-1, 0, 2);
        grads(in -> in[0].relu(), x);
        assertGrad(new double[] {0, 0, 1}, x);
        Tensor y = v(-1, 0, 2);
        grads(in -> in[0].abs(), y);
        assertGrad(new double[] {-1, 0, 1}, y);
        Tensor c = v(-1, 0.5, 1, 1.5, -2);
        grads(in -> in[0].clamp(-1, 1), c);
        assertGrad(new double[] {1, 1, 1, 0, 0}, c);
        Tensor cm = v(0, 1, -1);
        grads(in -> in[0].clampMin(0), cm);
        assertGrad(new double[] {1, 1, 0}, cm);
        Tensor cx = v(0, 1, -1);
        grads(in -> in[0].clampMax(0), cx);
        assertGrad(new double[] {1, 0, 1}, cx);
        Tensor s = v(-1, 0, 20, 21);
        grads(in -> in[0].softplus(), s);
        assertArrayEquals(new double[] {0.2689414213699951, 0.5, 0.9999999979388464, 1.0},
                s.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void piecewiseConstantOpsHaveZeroGradient() {
        Tensor x = v(-1.5, 0.2, 2.5);
        for (Function<Tensor, Tensor> f : java.util.List.<Function<Tensor, Tensor>>of(
                Tensor::sign, Tensor::floor, Tensor::ceil, Tensor::round)) {
            x.setGrad(null);
            Tensor y = f.apply(x);
            assertTrue(y.requiresGrad());
            y.sum().backward();
            assertGrad(new double[] {0, 0, 0}, x);
        }
        Tensor away = v(-1.6, -0.3, 0.2, 1.7, 2.4);   // away from the jumps, where the derivative is 0
        gc(in -> in[0].sign(), away);
        gc(in -> in[0].floor().add(in[0]), away);
        gc(in -> in[0].ceil(), away);
        gc(in -> in[0].round().mul(in[0]), away);
        gc(in -> in[0].floorDivide(in[1]), v(5.3, -2.2), v(2, 0.7));
        assertEquals("SignBackward", x.sign().gradFn().name());
        assertEquals("FloorBackward", x.floor().gradFn().name());
    }

    @Test
    void gradFnNames() {
        Tensor x = r(2, 2);
        assertEquals("TanhBackward", x.tanh().gradFn().name());
        assertEquals("PowBackward", x.pow(2.0).gradFn().name());
        assertEquals("PermuteBackward", x.permute(1, 0).gradFn().name());
        assertEquals("SoftmaxBackward", x.softmax(0).gradFn().name());
        assertEquals("IndexBackward", x.index(longs(0)).gradFn().name());
        assertEquals("CatBackward", Kindling.cat(java.util.List.of(x, x)).gradFn().name());
        assertEquals("MaxBackward", x.max(0).values().gradFn().name());
    }

    // ------------------------------------------------------------------ second order

    @Test
    void gradgradcheckRepresentativeOps() {
        Kindling.manualSeed(6);
        ggc(in -> in[0].tanh(), r(2, 3));
        ggc(in -> in[0].sigmoid(), r(2, 3));
        ggc(in -> in[0].mul(in[1]), r(2, 3), r(3));
        ggc(in -> in[0].div(in[1]), r(2, 3), u(0.5, 2, 3));
        ggc(in -> in[0].pow(in[1]), u(0.5, 2, 2, 2), r(2));
        ggc(in -> in[0].pow(3.0), r(4));
        ggc(in -> in[0].matmul(in[1]), r(2, 3), r(3, 2));
        ggc(in -> in[0].softmax(1), r(2, 3));
        ggc(in -> in[0].logSoftmax(0), r(3, 2));
        ggc(in -> in[0].logsumexp(1, false), r(2, 3));
        ggc(in -> in[0].norm(), r(2, 3));
        ggc(in -> in[0].norm(3.0, new int[] {1}, true), r(2, 3));
        ggc(in -> in[0].gelu(), r(5));
        ggc(in -> in[0].gelu("tanh"), r(5));
        ggc(in -> in[0].silu(), r(5));
        ggc(in -> in[0].softplus(), v(-2, 0.3, 1.5, 25));
        ggc(in -> in[0].mean(new int[] {0}, false).mul(in[0].mean()), r(2, 3));
        ggc(in -> in[0].var(new int[] {1}, 1, false), r(2, 3));
        ggc(in -> in[0].std(new int[] {0}, 0, true), r(3, 2));
        ggc(in -> in[0].log().sqrt(), u(1.5, 3, 4));
        ggc(in -> in[0].prod(1, false), r(2, 3));
        ggc(in -> in[0].cumprod(0), r(4));
        ggc(in -> in[0].maximum(in[1]).mul(in[0]), r(3), r(3));
        ggc(in -> Kindling.einsum("ij,jk->ik", in[0], in[1]), r(2, 3), r(3, 2));
        ggc(in -> in[0].gather(1, longs(0, 2, 1, 1).view(2, 2)).square(), r(2, 3));
    }

    /**
     * Linear ops have a first derivative that does not depend on the input, so gradgradcheck on
     * them alone never runs their backward's backward; squaring the result makes it run.
     */
    @Test
    void gradgradcheckThroughViewIndexAndJoinBackwards() {
        Kindling.manualSeed(7);
        Tensor idx = longs(2, 0, 2);
        ggc(in -> in[0].narrow(1, 1, 2).square(), r(2, 3));
        ggc(in -> in[0].select(0, 1).square(), rt(2, 3));
        ggc(in -> in[0].slice(1, 0, 3, 2).square(), r(2, 3));
        ggc(in -> in[0].unfold(1, 2, 1).square(), r(2, 3));
        ggc(in -> in[0].permute(1, 0).square().mul(in[0].t()), r(2, 3));
        ggc(in -> in[0].squeeze(1).unsqueeze(0).square(), r(3, 1));
        ggc(in -> in[0].indexSelect(0, idx).square(), r(3, 2));
        ggc(in -> in[0].index(idx).square(), r(3));
        ggc(in -> in[0].indexPut(new Tensor[] {longs(0, 2)}, in[1], true).square(), r(3), r(2));
        ggc(in -> in[0].scatter(0, longs(2, 0), in[1]).square(), r(3), r(2));
        ggc(in -> in[0].scatterAdd(0, longs(2, 2), in[1]).square(), r(3), r(2));
        ggc(in -> in[0].maskedSelect(Kindling.tensor(new boolean[] {true, false, true})).square(), r(3));
        ggc(in -> in[0].maskedFill(Kindling.tensor(new boolean[] {true, false, true}), 1.0).square(), r(3));
        ggc(in -> Kindling.cat(java.util.List.of(in[0], in[1]), 0).square(), r(2), r(3));
        ggc(in -> Kindling.stack(java.util.List.of(in[0], in[1]), 1).square(), r(2), r(2));
        ggc(in -> in[0].pad(new int[] {2, 1}, "reflect", 0).square(), r(2, 3));
        ggc(in -> in[0].pad(new int[] {1, -1}, "constant", 2.0).square(), r(2, 3));
        ggc(in -> in[0].repeat(2, 1).square(), r(2));
        ggc(in -> in[0].flip(0).roll(1, 0).square(), r(3));
        ggc(in -> in[0].tril(0).square(), r(2, 2));
        ggc(in -> in[0].cumsum(0).square(), r(3));
        ggc(in -> in[0].max(1).values().square(), r(2, 3));
        ggc(in -> in[0].amax(1).square(), r(2, 3));
        ggc(in -> in[0].sort(0, false).values().square(), r(3));
        ggc(in -> in[0].mm(in[1]).square(), r(2, 2), r(2, 2));
        ggc(in -> in[0].addmm(in[1], in[2], 0.5, 2.0).square(), r(2), r(2, 2), r(2, 2));
        ggc(in -> in[0].outer(in[1]).square(), r(2), r(2));
        ggc(in -> Kindling.where(Kindling.tensor(new boolean[] {true, false}), in[0], in[1]).square(), r(2), r(2));
        ggc(in -> in[0].clamp(-0.5, 0.5).square(), v(-1, 0.2, 0.3, 2));
        ggc(in -> in[0].abs().mul(in[0]), v(-1, 0.2, 2));
        ggc(in -> in[0].relu().mul(in[0]), v(-1, 0.2, 2));
        ggc(in -> in[0].remainder(in[1]).square(), v(5.3, -2.2), v(2, 0.7));
        ggc(in -> in[0].to(DType.FLOAT32).to(DType.FLOAT64).mul(0).add(in[0]).square(), r(2));
    }

    // ------------------------------------------------------------------ in-place on non-leaf tensors

    @Test
    void inPlaceOpsOnNonLeafTensors() {
        Tensor x = v(0.1, -0.4, 0.7);
        Tensor y = x.mul(2);
        y.exp_();
        y.sum().backward();
        double[] xs = {0.1, -0.4, 0.7};
        for (int i = 0; i < 3; i++) assertEquals(2 * Math.exp(2 * xs[i]), x.grad().toDoubleArray()[i], 1e-12);

        Tensor a = v(-1, 2, 3);
        Tensor b = a.mul(1.0);
        b.relu_().mul_(a);   // relu(a) * a
        b.sum().backward();
        assertGrad(new double[] {0, 4, 6}, a);

        Tensor c = v(-2, 0.5, 3);
        Tensor d = c.add(0.0);
        d.clamp_(-1, 1);
        d.tanh_();
        d.sum().backward();
        double t = Math.tanh(0.5);
        assertArrayEquals(new double[] {0, 1 - t * t, 0}, c.grad().toDoubleArray(), 1e-12);

        Tensor e = v(1, 2, 3, 4);
        Tensor f = e.mul(3.0);
        f.maskedFill_(Kindling.tensor(new boolean[] {true, false, false, true}), 7);
        f.indexPut_(new Tensor[] {longs(1)}, Kindling.tensor(new double[] {9}));
        f.sum().backward();
        assertGrad(new double[] {0, 0, 3, 0}, e);

        Tensor s = v(1, 2, 3);
        Tensor src = v(10, 20);
        Tensor h = s.mul(1.0);
        h.scatter_(0, longs(2, 0), src);
        h.mul(Kindling.tensor(new double[] {1, 2, 3})).sum().backward();
        assertGrad(new double[] {0, 2, 0}, s);
        assertGrad(new double[] {3, 1}, src);

        Tensor p = v(2, 3);
        Tensor q = p.mul(1.0);
        q.pow_(2).sqrt_();
        q.sum().backward();
        assertGrad(new double[] {1, 1}, p);
    }

    @Test
    void inPlaceOnSavedTensorIsCaught() {
        Tensor x = v(0.5, 1.5);
        Tensor y = x.mul(1.0).tanh();  // tanh saves its output
        y.mul_(2);
        assertThrows(IllegalStateException.class, () -> y.sum().backward());
    }

    // ------------------------------------------------------------------ non-differentiable

    @Test
    void nonDifferentiableOpsDoNotRequireGrad() {
        Tensor x = r(2, 3);
        assertFalse(x.gt(0).requiresGrad());
        assertFalse(x.eq(x).requiresGrad());
        assertFalse(x.le(1.0).requiresGrad());
        assertFalse(x.isnan().requiresGrad());
        assertFalse(x.isinf().requiresGrad());
        assertFalse(x.gt(0).logicalAnd(x.lt(1)).requiresGrad());
        assertFalse(x.gt(0).logicalNot().requiresGrad());
        assertFalse(x.argmax().requiresGrad());
        assertFalse(x.argmin(1).requiresGrad());
        assertFalse(x.nonzero().requiresGrad());
        assertFalse(x.max(1).indices().requiresGrad());
        assertFalse(x.sort(1, false).indices().requiresGrad());
        assertFalse(x.topk(2).indices().requiresGrad());
        assertFalse(x.argsort(0, true).requiresGrad());
        assertFalse(x.to(DType.INT32).requiresGrad());
        assertFalse(x.gt(0).sum().requiresGrad());
        assertTrue(x.max(1).values().requiresGrad());
        try (var g = GradMode.noGrad()) {
            assertFalse(x.tanh().requiresGrad());
            assertFalse(x.permute(1, 0).requiresGrad());
            assertFalse(Kindling.cat(java.util.List.of(x, x)).requiresGrad());
        }
    }

    @Test
    void integerResultsNeverRequireGrad() {
        Tensor ints = Kindling.tensor(new long[] {1, 2, 3});
        Tensor values = v(1.5, 2.5);
        Tensor put = ints.indexPut(new Tensor[] {longs(0, 2)}, values, false);
        assertEquals(DType.INT64, put.dtype());
        assertFalse(put.requiresGrad());
        Tensor copyTarget = Kindling.tensor(new long[] {0, 0});
        copyTarget.copy_(values);
        assertFalse(copyTarget.requiresGrad());
        assertArrayEquals(new long[] {1, 2}, copyTarget.toLongArray());
    }
}
