package org.kindling.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kindling.autograd.GradientTest.assertGrad;
import static org.kindling.autograd.GradientTest.gc;
import static org.kindling.autograd.GradientTest.grads;
import static org.kindling.autograd.GradientTest.longs;
import static org.kindling.autograd.GradientTest.r;
import static org.kindling.autograd.GradientTest.rt;
import static org.kindling.autograd.GradientTest.v;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.tensor.Tensor;

/** Gradients of views (shared storage) and of indexing ops. */
class ViewIndexGradTest {

    /** Weights so that each output element has its own gradient. */
    private static Tensor w(Tensor t) {
        int n = t.numel();
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = 1 + i;
        return t.mul(Kindling.fromArray(d, t.shape().toArray()));
    }

    @Test
    void permuteTransposeAndFriends() {
        Kindling.manualSeed(31);
        gc(in -> w(in[0].permute(2, 0, 1)), r(2, 3, 2));
        gc(in -> w(in[0].permute(-1, 0)), rt(2, 3));
        gc(in -> w(in[0].transpose(0, -1)), r(2, 3, 2));
        gc(in -> w(in[0].t()), rt(2, 3));
        gc(in -> w(in[0].mT()), r(2, 2, 3));
        gc(in -> w(in[0].t()), r(3));
        Tensor x = r(2, 3);
        Tensor y = x.permute(1, 0);
        assertTrue(y.sharesStorageWith(x));
        assertTrue(y.requiresGrad());
    }

    @Test
    void squeezeUnsqueezeFlatten() {
        Kindling.manualSeed(32);
        gc(in -> w(in[0].squeeze()), r(2, 1, 3, 1));
        gc(in -> w(in[0].squeeze(1)), r(2, 1, 3));
        gc(in -> w(in[0].squeeze(-1)), r(2, 3));
        gc(in -> w(in[0].unsqueeze(1)), rt(2, 3));
        gc(in -> w(in[0].unsqueeze(-1)), r(3));
        gc(in -> w(in[0].flatten()), rt(2, 3));
        gc(in -> w(in[0].flatten(1, 2)), r(2, 2, 3));
        gc(in -> w(in[0].unflatten(1, 2, -1)), r(2, 6));
        gc(in -> w(in[0].viewAs(Kindling.zeros(3, 2))), r(2, 3));
        gc(in -> w(in[0].reshapeAs(Kindling.zeros(6))), rt(2, 3));
        gc(in -> w(in[0].expandAs(Kindling.zeros(2, 3))), r(3));
        gc(in -> w(in[0].contiguous()), rt(2, 3));
    }

    @Test
    void narrowSelectSlice() {
        Kindling.manualSeed(33);
        gc(in -> w(in[0].narrow(1, 1, 2)), r(2, 4));
        gc(in -> w(in[0].narrow(-2, 0, 1)), rt(3, 2));
        gc(in -> w(in[0].select(1, 2)), r(2, 3));
        gc(in -> w(in[0].select(0, -1)), rt(3, 2));
        gc(in -> w(in[0].get(1)), r(2, 3));
        gc(in -> w(in[0].slice(1, 0, 5, 2)), r(2, 5));
        gc(in -> w(in[0].slice(0, -3, 100, 2)), r(5, 2));
        gc(in -> w(in[0].slice(1, 1, 3)), rt(2, 4));
        gc(in -> w(in[0].get(1).slice(0, 0, 4, 3)), r(2, 5));
        Tensor x = v(1, 2, 3, 4, 5);
        grads(in -> in[0].slice(0, 0, 5, 2).mul(2.0), x);
        assertGrad(new double[] {2, 0, 2, 0, 2}, x);
    }

    @Test
    void unfoldAccumulatesOverlappingWindows() {
        Kindling.manualSeed(34);
        gc(in -> w(in[0].unfold(0, 3, 1)), r(5));
        gc(in -> w(in[0].unfold(1, 2, 2)), r(2, 5));
        gc(in -> w(in[0].unfold(-2, 2, 1)), rt(3, 2));
        Tensor x = v(1, 2, 3, 4, 5);
        grads(in -> in[0].unfold(0, 3, 1), x);
        assertGrad(new double[] {1, 2, 3, 2, 1}, x);
    }

    @Test
    void splitChunkUnbind() {
        Kindling.manualSeed(35);
        gc(in -> {
            List<Tensor> p = in[0].split(2, 1);
            return p.get(0).mul(2.0).sum().add(p.get(1).exp().sum()).add(p.get(2).sum());
        }, r(2, 5));
        gc(in -> {
            List<Tensor> p = in[0].split(new int[] {1, 2}, 0);
            return p.get(0).sum(1).add(p.get(1).square().sum(0));
        }, rt(3, 2));
        gc(in -> {
            List<Tensor> p = in[0].chunk(2, -1);
            return p.get(0).mul(p.get(1));
        }, r(2, 4));
        gc(in -> {
            List<Tensor> p = in[0].unbind(1);
            return p.get(0).mul(p.get(2)).add(p.get(1));
        }, r(2, 3));
    }

    @Test
    void inPlaceOnARecordedViewIsRefused() {
        Tensor x = r(2, 3);
        Tensor y = x.mul(1.0).permute(1, 0);
        assertThrows(UnsupportedOperationException.class, () -> y.add_(1.0));
    }

    // ------------------------------------------------------------------ indexing

    @Test
    void indexSelectAccumulatesRepeats() {
        Kindling.manualSeed(36);
        gc(in -> w(in[0].indexSelect(0, longs(2, 0, 2))), r(3, 2));
        gc(in -> w(in[0].indexSelect(-1, longs(1, 1, 0))), rt(2, 3));
        gc(in -> w(in[0].indexSelect(0, Kindling.scalar(1L))), r(3));
        Tensor x = v(1, 2, 3);
        grads(in -> in[0].indexSelect(0, longs(2, 0, 2, 2)), x);
        assertGrad(new double[] {1, 0, 3}, x);
    }

    @Test
    void gatherScatter() {
        Kindling.manualSeed(37);
        Tensor idx = longs(0, 2, 1, 1, 0, 0).view(2, 3);
        gc(in -> w(in[0].gather(1, idx)), r(2, 3));
        gc(in -> w(in[0].gather(0, longs(1, 0, 1).view(1, 3))), rt(2, 3));
        Tensor sidx = longs(2, 0, 1, 0).view(2, 2);
        gc(in -> w(in[0].scatter(1, sidx, in[1])), r(2, 3), r(2, 2));
        gc(in -> w(in[0].scatter(1, sidx.narrow(1, 0, 1), in[1])), r(2, 3), r(2, 2));
        gc(in -> w(in[0].scatter(0, longs(1, 0).view(1, 2), 2.5)), r(2, 2));
        gc(in -> w(in[0].scatterAdd(1, longs(0, 0, 2, 1, 1, 1).view(2, 3), in[1])), r(2, 3), rt(2, 3));
        Tensor x = v(1, 2, 3);
        grads(in -> in[0].gather(0, longs(2, 2, 0)), x);
        assertGrad(new double[] {1, 0, 2}, x);
    }

    @Test
    void masks() {
        Kindling.manualSeed(38);
        Tensor m = Kindling.tensor(new boolean[][] {{true, false, true}, {false, true, true}});
        gc(in -> w(in[0].maskedSelect(m)), r(2, 3));
        gc(in -> w(in[0].maskedSelect(m)), r(3));
        gc(in -> w(in[0].maskedSelect(m.select(0, 0))), rt(2, 3));
        gc(in -> w(in[0].maskedFill(m, 3.0)), r(2, 3));
        gc(in -> w(in[0].maskedFill(m.select(0, 1), -1.0)), rt(2, 3));
        Tensor x = v(1, 2, 3);
        grads(in -> in[0].maskedSelect(Kindling.tensor(new boolean[][] {{true, false, true}, {true, true, false}})), x);
        assertGrad(new double[] {2, 1, 1}, x);
    }

    @Test
    void advancedIndexing() {
        Kindling.manualSeed(39);
        gc(in -> w(in[0].index(longs(0, 2, 0))), r(3, 2));
        gc(in -> w(in[0].index(null, longs(1, 1))), rt(2, 3));
        gc(in -> w(in[0].index(longs(0, 1), longs(2, 0))), r(2, 3));
        gc(in -> w(in[0].index(in[0].detach().gt(0))), r(2, 3));
        gc(in -> w(in[0].index(longs(1, 0).view(2, 1), null, longs(0, 1))), r(2, 2, 2));
        Tensor x = v(1, 2, 3);
        grads(in -> in[0].index(longs(0, 0, -1)), x);
        assertGrad(new double[] {2, 0, 1}, x);
    }

    @Test
    void indexPutBothInputs() {
        Kindling.manualSeed(40);
        Tensor[] ix = {longs(0, 2)};
        gc(in -> w(in[0].indexPut(ix, in[1], false)), r(3, 2), r(2, 2));
        gc(in -> w(in[0].indexPut(ix, in[1], false)), r(3, 2), r(2));
        gc(in -> w(in[0].indexPut(new Tensor[] {longs(1, 1, 0)}, in[1], true)), r(3), r(3));
        gc(in -> w(in[0].indexPut(new Tensor[] {null, longs(1)}, in[1], true)), rt(2, 3), r(1));
        Tensor self = v(1, 2, 3);
        Tensor vals = v(10, 20);
        grads(in -> in[0].indexPut(new Tensor[] {longs(2, 0)}, in[1], false).mul(Kindling.tensor(new double[] {1, 2, 3})),
                self, vals);
        assertGrad(new double[] {0, 2, 0}, self);
        assertGrad(new double[] {3, 1}, vals);
    }

    @Test
    void take() {
        Kindling.manualSeed(41);
        gc(in -> w(in[0].take(longs(0, 5, -1, 2).view(2, 2))), rt(2, 3));
        gc(in -> w(in[0].take(longs(1, 1))), r(2, 2));
        Tensor x = v(1, 2, 3);
        Tensor t = x.take(longs(2, 2));
        assertEquals("IndexBackward", t.gradFn().name());
    }
}
