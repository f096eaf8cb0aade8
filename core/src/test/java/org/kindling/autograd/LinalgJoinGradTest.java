package org.kindling.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kindling.autograd.GradientTest.assertGrad;
import static org.kindling.autograd.GradientTest.gc;
import static org.kindling.autograd.GradientTest.grads;
import static org.kindling.autograd.GradientTest.r;
import static org.kindling.autograd.GradientTest.rt;
import static org.kindling.autograd.GradientTest.v;
import static org.kindling.autograd.GradientTest.v2;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/** Gradients of matrix products, einsum, joins and layout copies. */
class LinalgJoinGradTest {

    private static Tensor w(Tensor t) {
        int n = t.numel();
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = 1 + i;
        return t.mul(Kindling.fromArray(d, t.shape().toArray()));
    }

    // ------------------------------------------------------------------ linear algebra

    @Test
    void matrixProducts() {
        Kindling.manualSeed(51);
        gc(in -> in[0].mm(in[1]), r(2, 3), rt(3, 2));
        gc(in -> in[0].bmm(in[1]), r(2, 2, 3), r(2, 3, 2));
        gc(in -> in[0].mv(in[1]), rt(2, 3), r(3));
        gc(in -> in[0].dot(in[1]), r(4), r(4));
        gc(in -> in[0].outer(in[1]), r(3), r(2));
        gc(in -> in[0].matmul(in[1]), r(2, 2, 3), rt(3, 2));
        gc(in -> in[0].mm(in[0].t()), r(2, 3));
    }

    @Test
    void addmmAllInputs() {
        Kindling.manualSeed(52);
        gc(in -> in[0].addmm(in[1], in[2]), r(2, 2), r(2, 3), r(3, 2));
        gc(in -> in[0].addmm(in[1], in[2], 0.5, -2.0), r(2), rt(2, 3), r(3, 2));
        gc(in -> in[0].addmm(in[1], in[2], 0.0, 1.5), r(1, 2), r(2, 3), r(3, 2));
        Tensor bias = r(3);
        Tensor m1 = Kindling.randn(2, 4).to(DType.FLOAT64);
        Tensor m2 = r(4, 3);
        bias.addmm(m1, m2, 2.0, 1.0).sum().backward();
        assertArrayEquals(new double[] {4, 4, 4}, bias.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void einsumGradients() {
        Kindling.manualSeed(53);
        gc(in -> Kindling.einsum("ij,jk->ik", in[0], in[1]), r(2, 3), rt(3, 2));
        gc(in -> Kindling.einsum("bij,bjk->bik", in[0], in[1]), r(2, 2, 3), r(2, 3, 2));
        gc(in -> Kindling.einsum("ij,jk", in[0], in[1]), r(2, 3), r(3, 2));
        gc(in -> Kindling.einsum("ii->", in[0]), r(3, 3));
        gc(in -> Kindling.einsum("ii->i", in[0]), rt(3, 3));
        gc(in -> w(Kindling.einsum("ij->ji", in[0])), r(2, 3));
        gc(in -> Kindling.einsum("ij->", in[0]), r(2, 3));
        gc(in -> Kindling.einsum("ij->j", in[0]), r(2, 3));
        gc(in -> Kindling.einsum("i,j->ij", in[0], in[1]), r(3), r(2));
        gc(in -> Kindling.einsum("i,i->", in[0], in[1]), r(4), r(4));
        gc(in -> Kindling.einsum("...ij,...jk->...ik", in[0], in[1]), r(2, 2, 3), r(3, 2));
        gc(in -> Kindling.einsum("b...,b->...", in[0], in[1]), r(2, 3, 2), r(2));
        gc(in -> Kindling.einsum("ij,kj->ikj", in[0], in[1]), r(2, 3), r(1, 3));
        gc(in -> Kindling.einsum("ij,jk,kl->il", in[0], in[1], in[2]), r(2, 3), r(3, 2), r(2, 2));
        gc(in -> Kindling.einsum("iij,j->ij", in[0], in[1]), r(2, 2, 3), r(3));
        gc(in -> Kindling.einsum("ij,j->i", in[0], in[1]), r(2, 3), r(1));
        Tensor a = v2(new double[][] {{1, 2}, {3, 4}});
        grads(in -> Kindling.einsum("ii->", in[0]), a);
        assertGrad(new double[] {1, 0, 0, 1}, a);
    }

    // ------------------------------------------------------------------ joins and layout

    @Test
    void catAndStack() {
        Kindling.manualSeed(54);
        gc(in -> w(Kindling.cat(List.of(in[0], in[1]), 0)), r(2, 3), r(1, 3));
        gc(in -> w(Kindling.cat(List.of(in[0], in[1], in[0]), -1)), rt(2, 3), r(2, 1));
        gc(in -> w(Kindling.cat(List.of(in[0], Kindling.zeros(new int[] {2, 2}, DType.FLOAT64)), 1)), r(2, 3));
        gc(in -> w(Kindling.cat(List.of(in[0], Kindling.zeros(new int[] {0}, DType.FLOAT64), in[1]), 0)), r(2, 2), r(1, 2));
        gc(in -> w(Kindling.stack(List.of(in[0], in[1]), 1)), r(2, 3), rt(2, 3));
        gc(in -> w(Kindling.stack(List.of(in[0], in[1]), -1)), r(3), r(3));
        Tensor f = Kindling.tensor(new float[] {1, 2}).requiresGrad_();
        Tensor d = v(3);
        Tensor c = Kindling.cat(List.of(f, d));
        assertEquals(DType.FLOAT64, c.dtype());
        c.mul(Kindling.tensor(new double[] {1, 2, 3})).sum().backward();
        assertEquals(DType.FLOAT32, f.grad().dtype());
        assertGrad(new double[] {1, 2}, f);
        assertGrad(new double[] {3}, d);
    }

    @Test
    void repeatAndTile() {
        Kindling.manualSeed(55);
        gc(in -> w(in[0].repeat(2, 3)), r(2, 2));
        gc(in -> w(in[0].repeat(2, 1, 2)), rt(2, 3));
        gc(in -> w(in[0].repeat(3)), r(2));
        gc(in -> w(in[0].tile(2)), r(2, 2));
        gc(in -> w(in[0].tile(2, 1, 1)), r(2, 2));
        Tensor x = v(1, 2);
        grads(in -> in[0].repeat(3), x);
        assertGrad(new double[] {3, 3}, x);
    }

    @Test
    void flipRollTriangles() {
        Kindling.manualSeed(56);
        gc(in -> w(in[0].flip(0)), r(2, 3));
        gc(in -> w(in[0].flip(-1, 0)), rt(2, 3));
        gc(in -> w(in[0].roll(1, 1)), r(2, 3));
        gc(in -> w(in[0].roll(new int[] {-1, 2}, new int[] {0, 1})), rt(3, 3));
        gc(in -> w(in[0].roll(new int[] {2}, new int[0])), r(2, 3));
        gc(in -> w(in[0].tril()), r(3, 3));
        gc(in -> w(in[0].tril(-1)), rt(3, 4));
        gc(in -> w(in[0].triu(1)), r(2, 3, 3));
        gc(in -> w(in[0].triu()), rt(3, 2));
    }

    @Test
    void padAllModes() {
        Kindling.manualSeed(57);
        gc(in -> w(in[0].pad(1, 2)), r(2, 3));
        gc(in -> w(in[0].pad(new int[] {1, 0, 0, 2}, "constant", 5.0)), rt(2, 3));
        gc(in -> w(in[0].pad(new int[] {-1, 1}, "constant", 0)), r(2, 3));
        gc(in -> w(in[0].pad(new int[] {2, 1}, "reflect", 0)), r(2, 4));
        gc(in -> w(in[0].pad(new int[] {1, 1, 1, 0}, "reflect", 0)), rt(3, 3));
        gc(in -> w(in[0].pad(new int[] {2, 3}, "replicate", 0)), r(2, 3));
        gc(in -> w(in[0].pad(new int[] {1, 1, 2, 0}, "replicate", 0)), r(1, 2, 2));
        gc(in -> w(in[0].pad(new int[] {1, 2}, "circular", 0)), r(2, 3));
        Tensor x = v(1, 2, 3);
        grads(in -> in[0].pad(new int[] {2, 2}, "reflect", 0), x);
        assertGrad(new double[] {2, 3, 2}, x);
        Tensor y = v(1, 2, 3);
        grads(in -> in[0].pad(new int[] {2, 1}, "replicate", 0), y);
        assertGrad(new double[] {3, 1, 2}, y);
    }
}
