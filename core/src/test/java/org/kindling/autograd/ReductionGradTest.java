package org.kindling.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.kindling.autograd.GradientTest.assertGrad;
import static org.kindling.autograd.GradientTest.gc;
import static org.kindling.autograd.GradientTest.grads;
import static org.kindling.autograd.GradientTest.r;
import static org.kindling.autograd.GradientTest.rt;
import static org.kindling.autograd.GradientTest.u;
import static org.kindling.autograd.GradientTest.v;
import static org.kindling.autograd.GradientTest.v2;

import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.tensor.Tensor;

/** Gradients of reductions, scans, softmax and sort/topk values. */
class ReductionGradTest {
    private static final double THIRD = 1.0 / 3.0;

    @Test
    void sumAndMean() {
        Kindling.manualSeed(11);
        gc(in -> in[0].mean(), r(2, 3));
        gc(in -> in[0].mean(1), rt(2, 3));
        gc(in -> in[0].mean(-1, true), r(2, 3));
        gc(in -> in[0].mean(new int[] {0, 2}, false), r(2, 2, 3));
        gc(in -> in[0].mean(new int[] {-1, 0}, true), r(2, 2, 3));
        gc(in -> in[0].sum(new int[] {-2}, false), rt(2, 3));
        gc(in -> in[0].mean(), r());
    }

    @Test
    void reductionsOverAllDimsKeepingThem() {
        Kindling.manualSeed(22);
        gc(in -> in[0].sum(null, true), r(2, 3));
        gc(in -> in[0].mean(new int[0], true), r(2, 3));
        gc(in -> in[0].mean(null, false), rt(2, 3));
        gc(in -> in[0].amax(new int[0], true), r(2, 3));
        gc(in -> in[0].amin(null, false), r(2, 3));
        gc(in -> in[0].var(null, 1, true), r(2, 3));
        gc(in -> in[0].std(new int[0], 0, true), r(2, 3));
        gc(in -> in[0].norm(2.0, null, true), r(2, 3));
        gc(in -> in[0].logsumexp(new int[0], true), r(2, 3));
        assertArrayEquals(new int[] {1, 1}, r(2, 3).mean(new int[0], true).shape().toArray());
    }

    @Test
    void prodWithAndWithoutZeros() {
        Kindling.manualSeed(12);
        gc(in -> in[0].prod(), u(0.5, 1.5, 2, 3));
        gc(in -> in[0].prod(1, false), r(2, 3));
        gc(in -> in[0].prod(0, true), rt(3, 2));
        gc(in -> in[0].prod(-1, false), v2(new double[][] {{2, 0, 3}, {1, 0, 0}}));
        gc(in -> in[0].prod(), v(2, 0, 3));
        gc(in -> in[0].prod(), v(0, 2, 0));
        Tensor one = v(2, 0, 3);
        grads(in -> in[0].prod(), one);
        assertGrad(new double[] {0, 6, 0}, one);
        Tensor two = v(0, 2, 0);
        grads(in -> in[0].prod(), two);
        assertGrad(new double[] {0, 0, 0}, two);
        Tensor dim = v2(new double[][] {{2, 0, 3}, {1, 2, 3}});
        grads(in -> in[0].prod(1, false), dim);
        assertGrad(new double[] {0, 6, 0, 6, 3, 2}, dim);
    }

    @Test
    void maxMinOfAllSplitTiesEvenly() {
        Kindling.manualSeed(13);
        gc(in -> in[0].max(), r(2, 3));
        gc(in -> in[0].min(), rt(2, 3));
        Tensor x = v2(new double[][] {{1, 3, 3}, {2, 3, 2}});
        grads(in -> in[0].max(), x);
        assertGrad(new double[] {0, THIRD, THIRD, 0, THIRD, 0}, x);
        Tensor y = v(1, -2, -2);
        grads(in -> in[0].min(), y);
        assertGrad(new double[] {0, 0.5, 0.5}, y);
    }

    @Test
    void amaxAminOverDims() {
        Kindling.manualSeed(14);
        gc(in -> in[0].amax(1), r(2, 3));
        gc(in -> in[0].amin(new int[] {0}, true), rt(3, 2));
        gc(in -> in[0].amax(new int[] {-1, 0}, false), r(2, 2, 3));
        Tensor x = v2(new double[][] {{1, 3, 3}, {2, 2, 2}});
        grads(in -> in[0].amax(1), x);
        assertGrad(new double[] {0, 0.5, 0.5, THIRD, THIRD, THIRD}, x);
        Tensor y = v2(new double[][] {{1, 3}, {1, 2}});
        grads(in -> in[0].amin(new int[] {0}, true), y);
        assertGrad(new double[] {0.5, 0, 0.5, 1}, y);
    }

    @Test
    void maxMinAlongDimRouteToOneIndex() {
        Kindling.manualSeed(15);
        gc(in -> in[0].max(1).values(), r(2, 3));
        gc(in -> in[0].max(0, true).values(), rt(3, 2));
        gc(in -> in[0].min(-1).values(), r(2, 2, 3));
        Tensor x = v2(new double[][] {{1, 3, 3}, {2, 2, 1}});
        Tensor.ValuesIndices mx = x.max(1);
        assertFalse(mx.indices().requiresGrad());
        assertArrayEquals(new long[] {1, 0}, mx.indices().toLongArray());
        mx.values().sum().backward();
        assertGrad(new double[] {0, 1, 0, 1, 0, 0}, x);
        Tensor y = v2(new double[][] {{1, 3, 3}, {1, 2, 1}});
        grads(in -> in[0].min(0).values(), y);
        assertGrad(new double[] {1, 0, 0, 0, 1, 1}, y);
    }

    @Test
    void varAndStd() {
        Kindling.manualSeed(16);
        gc(in -> in[0].var(), r(2, 3));
        gc(in -> in[0].var(1), rt(2, 3));
        gc(in -> in[0].var(new int[] {0}, 0, true), r(3, 2));
        gc(in -> in[0].var(new int[] {-1, 0}, 2, false), r(2, 2, 3));
        gc(in -> in[0].std(), r(2, 3));
        gc(in -> in[0].std(0), rt(3, 2));
        gc(in -> in[0].std(new int[] {1}, 0, true), r(2, 3));
        Tensor flat = v(1, 1, 1);
        grads(in -> in[0].std(), flat);
        assertGrad(new double[] {0, 0, 0}, flat);
    }

    @Test
    void logsumexp() {
        Kindling.manualSeed(17);
        gc(in -> in[0].logsumexp(1, false), r(2, 3));
        gc(in -> in[0].logsumexp(0, true), rt(3, 2));
        gc(in -> in[0].logsumexp(new int[] {0, -1}, false), r(2, 2, 3));
    }

    @Test
    void norms() {
        Kindling.manualSeed(18);
        gc(in -> in[0].norm(), r(2, 3));
        gc(in -> in[0].norm(1.0), r(2, 3));
        gc(in -> in[0].norm(3.0), rt(2, 3));
        gc(in -> in[0].norm(1.5, new int[] {1}, false), r(2, 3));
        gc(in -> in[0].norm(0.5, new int[] {0}, true), r(3, 2));
        gc(in -> in[0].norm(2.0, new int[] {-1}, true), r(2, 2, 3));
        gc(in -> in[0].norm(Double.POSITIVE_INFINITY), v(1, -3, 2.5));
        gc(in -> in[0].norm(Double.POSITIVE_INFINITY, new int[] {1}, false), v2(new double[][] {{1, -3}, {2.5, 0.5}}));
        gc(in -> in[0].norm(Double.NEGATIVE_INFINITY), v(1, -3, 2.5));
        Tensor zero = v(0, 0, 0);
        grads(in -> in[0].norm(), zero);
        assertGrad(new double[] {0, 0, 0}, zero);
        Tensor tie = v(1, -3, 3);
        grads(in -> in[0].norm(Double.POSITIVE_INFINITY), tie);
        assertGrad(new double[] {0, -0.5, 0.5}, tie);
        Tensor zeros2 = v2(new double[][] {{0, 0}, {3, 4}});
        grads(in -> in[0].norm(2.0, new int[] {1}, false), zeros2);
        assertGrad(new double[] {0, 0, 0.6, 0.8}, zeros2);
    }

    @Test
    void cumsumAndCumprod() {
        Kindling.manualSeed(19);
        gc(in -> in[0].cumsum(1), r(2, 3));
        gc(in -> in[0].cumsum(0), rt(3, 2));
        gc(in -> in[0].cumsum(-1), r(4));
        gc(in -> in[0].cumprod(1), r(2, 3));
        gc(in -> in[0].cumprod(0), rt(3, 2));
        gc(in -> in[0].cumprod(0), v(2, 0, 3, 4));
        gc(in -> in[0].cumprod(-1), v2(new double[][] {{2, 0, 3, 0, 5}, {0, 1, 2, 3, 4}}));
        Tensor x = v(2, 0, 3, 4);
        grads(in -> in[0].cumprod(0), x);
        assertGrad(new double[] {1, 32, 0, 0}, x);
        Tensor y = v(2, 0, 3, 0, 5);
        grads(in -> in[0].cumprod(0), y);
        assertGrad(new double[] {1, 8, 0, 0, 0}, y);
    }

    @Test
    void softmaxAndLogSoftmax() {
        Kindling.manualSeed(20);
        gc(in -> in[0].softmax(1), r(2, 3));
        gc(in -> in[0].softmax(0), rt(3, 2));
        gc(in -> in[0].softmax(-1), r(2, 2, 3));
        gc(in -> in[0].logSoftmax(1), r(2, 3));
        gc(in -> in[0].logSoftmax(0), rt(3, 2));
        gc(in -> in[0].logSoftmax(-2), r(2, 2, 3));
    }

    @Test
    void sortAndTopkValues() {
        Kindling.manualSeed(21);
        gc(in -> in[0].sort(1, false).values(), r(2, 4));
        gc(in -> in[0].sort(0, true).values(), rt(3, 2));
        gc(in -> in[0].sort().values(), r(5));
        gc(in -> in[0].topk(2).values(), r(2, 4));
        gc(in -> in[0].topk(2, 0, false).values(), rt(3, 2));
        Tensor x = v(3, 1, 2);
        grads(in -> in[0].sort(0, true).values().mul(Kindling.tensor(new double[] {1, 2, 3})), x);
        assertGrad(new double[] {1, 3, 2}, x);
        Tensor y = v(3, 1, 2, 5);
        grads(in -> in[0].topk(2).values().mul(Kindling.tensor(new double[] {10, 1})), y);
        assertGrad(new double[] {1, 0, 0, 10}, y);
    }
}
