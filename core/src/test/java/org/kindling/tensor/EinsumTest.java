package org.kindling.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.tensor.LinalgTest.Ref;

class EinsumTest {

    @BeforeEach
    void seed() {
        Kindling.manualSeed(42);
    }

    private static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    /** Brute-force einsum over every assignment of the labels (explicit equations without "..."). */
    static Ref naive(String eq, Tensor... ops) {
        String[] io = eq.split("->", -1);
        String[] ins = io[0].split(",", -1);
        String out = io[1];
        Map<Character, Integer> size = new HashMap<>();
        List<Character> labels = new ArrayList<>();
        double[][] data = new double[ops.length][];
        for (int t = 0; t < ops.length; t++) {
            int[] shape = ops[t].shape().toArray();
            data[t] = ops[t].toDoubleArray();
            for (int p = 0; p < shape.length; p++) {
                char c = ins[t].charAt(p);
                size.put(c, shape[p]);
                if (!labels.contains(c)) labels.add(c);
            }
        }
        int[] outShape = new int[out.length()];
        for (int i = 0; i < out.length(); i++) outShape[i] = size.get(out.charAt(i));
        int outN = 1;
        for (int s : outShape) outN *= s;
        double[] res = new double[outN];
        int total = 1;
        for (char c : labels) total *= size.get(c);
        int[] val = new int[128];
        for (int flat = 0; flat < total; flat++) {
            int r = flat;
            for (int i = labels.size() - 1; i >= 0; i--) {
                int s = size.get(labels.get(i));
                val[labels.get(i)] = r % s;
                r /= s;
            }
            double prod = 1;
            for (int t = 0; t < ops.length; t++) {
                int off = 0;
                for (int p = 0; p < ins[t].length(); p++) {
                    off = off * size.get(ins[t].charAt(p)) + val[ins[t].charAt(p)];
                }
                prod *= data[t][off];
            }
            int o = 0;
            for (int i = 0; i < out.length(); i++) o = o * outShape[i] + val[out.charAt(i)];
            res[o] += prod;
        }
        return new Ref(res, outShape);
    }

    private static void check(String eq, Tensor... ops) {
        Tensor got = Kindling.einsum(eq, ops);
        LinalgTest.assertClose(naive(eq, ops), got, 1e-4);
    }

    private static void assertSame(Tensor expected, Tensor actual, double tol) {
        assertArrayEquals(expected.shape().toArray(), actual.shape().toArray(), "shape");
        assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), tol);
    }

    // ------------------------------------------------------------ patterns

    @Test
    void matrixProducts() {
        Tensor a = Kindling.randn(3, 4);
        Tensor b = Kindling.randn(4, 5);
        check("ij,jk->ik", a, b);
        assertSame(a.matmul(b), Kindling.einsum("ij,jk->ik", a, b), 1e-5);
        assertSame(a.matmul(b), Kindling.einsum("ij,jk", a, b), 1e-5);
        assertSame(a.matmul(b).t(), Kindling.einsum("ij,jk->ki", a, b), 1e-5);
        Tensor x = Kindling.randn(2, 3, 4);
        Tensor y = Kindling.randn(2, 4, 5);
        check("bij,bjk->bik", x, y);
        assertSame(x.bmm(y), Kindling.einsum("bij,bjk->bik", x, y), 1e-5);
        check("bij,bjk->ik", x, y); // batch summed too
        check("ij,kj->ik", a, Kindling.randn(6, 4));
    }

    @Test
    void diagonalsAndTraces() {
        Tensor m = Kindling.tensor(new float[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
        assertArrayEquals(new double[] {1, 5, 9}, Kindling.einsum("ii->i", m).toDoubleArray(), 1e-6);
        Tensor tr = Kindling.einsum("ii", m);
        assertEquals(0, tr.dim());
        assertEquals(15.0, tr.item(), 1e-6);
        assertEquals(15.0, Kindling.einsum("ii->", m).item(), 1e-6);
        assertArrayEquals(new double[] {1, 5, 9}, Kindling.einsum("ii->i", m.t()).toDoubleArray(), 1e-6);
        Tensor t3 = Kindling.randn(3, 3, 2);
        check("iij->j", t3);
        check("iij,jk->ik", t3, Kindling.randn(2, 4));
        Tensor cube = Kindling.randn(3, 3, 3);
        check("iii->i", cube);
        assertThrows(IllegalArgumentException.class, () -> Kindling.einsum("ii->i", Kindling.randn(2, 3)));
    }

    @Test
    void vectorsAndTransposes() {
        Tensor u = Kindling.tensor(new float[] {1, 2, 3});
        Tensor v = Kindling.tensor(new float[] {4, 5, 6});
        Tensor d = Kindling.einsum("i,i->", u, v);
        assertEquals(0, d.dim());
        assertEquals(32.0, d.item(), 1e-6);
        assertEquals(32.0, Kindling.einsum("i,i", u, v).item(), 1e-6);
        Tensor o = Kindling.einsum("i,j->ij", u, Kindling.tensor(new float[] {1, 10}));
        assertArrayEquals(new int[] {3, 2}, o.shape().toArray());
        assertArrayEquals(new double[] {1, 10, 2, 20, 3, 30}, o.toDoubleArray(), 1e-6);
        Tensor a = Kindling.randn(3, 4);
        assertSame(a.t(), Kindling.einsum("ij->ji", a), 0);
        assertSame(a.t(), Kindling.einsum("ba", a), 0); // implicit output is alphabetical
        assertArrayEquals(new double[] {6}, Kindling.einsum("i->", u).toDoubleArray(), 1e-6);
        check("ij->j", a);
        check("ij,ij->", a, Kindling.randn(3, 4));
        check("ij,ij->ij", a, Kindling.randn(3, 4));
        check("i,i,i->i", u, v, u);
    }

    @Test
    void attentionScores() {
        Tensor q = Kindling.randn(2, 3, 5, 8);
        Tensor k = Kindling.randn(2, 3, 7, 8);
        Tensor s = Kindling.einsum("bhqd,bhkd->bhqk", q, k);
        assertArrayEquals(new int[] {2, 3, 5, 7}, s.shape().toArray());
        assertSame(q.matmul(k.transpose(-1, -2)), s, 1e-5);
        check("bhqd,bhkd->bhqk", q, k);
        Tensor v = Kindling.randn(2, 3, 7, 4);
        assertSame(s.matmul(v), Kindling.einsum("bhqk,bhkd->bhqd", s, v), 1e-4);
        check("bhqk,bhkd->bqhd", s, v);
    }

    @Test
    void ellipsisBroadcasting() {
        Tensor a = Kindling.randn(2, 1, 3, 4);
        Tensor b = Kindling.randn(5, 4, 6);
        Tensor r = Kindling.einsum("...ij,...jk->...ik", a, b);
        assertArrayEquals(new int[] {2, 5, 3, 6}, r.shape().toArray());
        assertSame(a.matmul(b), r, 1e-5);
        assertSame(a.matmul(b), Kindling.einsum("...ij,...jk", a, b), 1e-5);
        // ellipsis in the middle, and summed away when the output omits it
        Tensor x = Kindling.randn(3, 2, 4);
        assertSame(x.permute(1, 0, 2), Kindling.einsum("i...j->...ij", x), 0);
        Tensor summed = Kindling.einsum("...ij->ij", x);
        assertArrayEquals(new int[] {2, 4}, summed.shape().toArray());
        check("kij->ij", x);
        assertSame(Kindling.einsum("kij->ij", x), summed, 1e-5);
        // batched diagonal
        Tensor bm = Kindling.randn(4, 3, 3);
        Tensor diag = Kindling.einsum("...ii->...i", bm);
        assertArrayEquals(new int[] {4, 3}, diag.shape().toArray());
        check("bii->bi", bm);
        // a 0-dim operand under an ellipsis
        Tensor s = Kindling.einsum("...,...->...", Kindling.scalar(3.0), Kindling.tensor(new float[] {1, 2}));
        assertArrayEquals(new double[] {3, 6}, s.toDoubleArray(), 1e-6);
    }

    @Test
    void sizeOneDimsBroadcast() {
        Tensor a = Kindling.tensor(new float[][] {{1}, {2}});    // [2, 1]
        Tensor b = Kindling.tensor(new float[][] {{1, 2, 3}, {4, 5, 6}}); // [2, 3]
        Tensor r = Kindling.einsum("ij,ij->ij", a, b);
        assertArrayEquals(new double[] {1, 2, 3, 8, 10, 12}, r.toDoubleArray(), 1e-6);
        Tensor s = Kindling.einsum("ij,ij->i", a, b);
        assertArrayEquals(new double[] {6, 30}, s.toDoubleArray(), 1e-6);
    }

    @Test
    void threeAndMoreOperands() {
        Tensor a = Kindling.randn(3, 4);
        Tensor b = Kindling.randn(4, 5);
        Tensor c = Kindling.randn(5, 2);
        Tensor r = Kindling.einsum("ij,jk,kl->il", a, b, c);
        assertSame(a.matmul(b).matmul(c), r, 1e-4);
        check("ij,jk,kl->il", a, b, c);
        check("ij,jk,kl->", a, b, c);
        check("ij,jk,kl->lj", a, b, c);
        check("i,ij,jk,k->", Kindling.randn(3), a, b, Kindling.randn(5));
        check("ab,bc,ca->", Kindling.randn(2, 3), Kindling.randn(3, 4), Kindling.randn(4, 2));
        check("ab,cd,bd->ac", Kindling.randn(2, 3), Kindling.randn(4, 5), Kindling.randn(3, 5));
    }

    @Test
    void largeContractionIsFastAndCorrect() {
        Tensor a = Kindling.randn(8, 64, 96);
        Tensor b = Kindling.randn(8, 96, 80);
        Tensor r = Kindling.einsum("bij,bjk->bik", a, b);
        assertSame(a.bmm(b), r, 1e-4);
        Tensor x = Kindling.randn(200, 150);
        Tensor y = Kindling.randn(150, 120);
        assertSame(x.matmul(y), Kindling.einsum("ij,jk->ik", x, y), 1e-4);
    }

    @Test
    void dtypes() {
        Tensor a = Kindling.tensor(new long[][] {{1, 2}, {3, 4}});
        Tensor r = Kindling.einsum("ij,jk->ik", a, a);
        assertEquals(DType.INT64, r.dtype());
        assertArrayEquals(new long[] {7, 10, 15, 22}, r.toLongArray());
        assertEquals(5L, Kindling.einsum("ii", a).itemLong());
        Tensor d = Kindling.randn(3, 3).to(DType.FLOAT64);
        check("ij,jk->ik", d, d);
        assertEquals(DType.FLOAT64, Kindling.einsum("ij,jk->ik", d, d).dtype());
    }

    // ------------------------------------------------------------ errors

    @Test
    void errors() {
        Tensor a = Kindling.randn(2, 3);
        Tensor b = Kindling.randn(4, 5);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Kindling.einsum("ij,jk->ik", a)),
                "einsum", "2 operands", "1 was");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Kindling.einsum("ij->ij", a, a)),
                "einsum", "1 operand", "2 were");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Kindling.einsum("ij,jk->ik", a, b)),
                "subscript j", "3", "4");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Kindling.einsum("i1,jk->ik", a, b)),
                "invalid subscript '1'", "index 1");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Kindling.einsum("ij->k", a)),
                "output subscript k");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Kindling.einsum("ij->ii", a)),
                "more than once");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Kindling.einsum("ijk->i", a)),
                "number of subscripts", "3", "2");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Kindling.einsum("i.j->i", a)),
                "ellipsis");
        assertThrows(IllegalArgumentException.class, () -> Kindling.einsum("ij-ji", a));
    }
}
