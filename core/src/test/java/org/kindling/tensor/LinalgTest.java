package org.kindling.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;

class LinalgTest {

    @BeforeEach
    void seed() {
        Kindling.manualSeed(1234);
    }

    private static void assertShape(Tensor t, int... shape) {
        assertArrayEquals(shape, t.shape().toArray(), "shape");
    }

    private static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    /** A result of the reference: row-major values and a shape. */
    record Ref(double[] values, int[] shape) {}

    /** torch.matmul computed independently in double precision from row-major data. */
    static Ref refMatmul(Tensor ta, Tensor tb) {
        double[] a = ta.toDoubleArray();
        double[] b = tb.toDoubleArray();
        int[] sa = ta.shape().toArray();
        int[] sb = tb.shape().toArray();
        boolean va = sa.length == 1;
        boolean vb = sb.length == 1;
        if (va && vb) {
            double s = 0;
            for (int i = 0; i < a.length; i++) s += a[i] * b[i];
            return new Ref(new double[] {s}, new int[0]);
        }
        if (va) sa = new int[] {1, sa[0]};
        if (vb) sb = new int[] {sb[0], 1};
        int m = sa[sa.length - 2];
        int k = sa[sa.length - 1];
        int n = sb[sb.length - 1];
        int nbA = sa.length - 2;
        int nbB = sb.length - 2;
        int nb = Math.max(nbA, nbB);
        int[] batch = new int[nb];
        for (int i = 0; i < nb; i++) {
            int da = i - (nb - nbA) >= 0 ? sa[i - (nb - nbA)] : 1;
            int db = i - (nb - nbB) >= 0 ? sb[i - (nb - nbB)] : 1;
            batch[i] = Math.max(da, db);
        }
        int batches = 1;
        for (int d : batch) batches *= d;
        double[] out = new double[batches * m * n];
        int[] bi = new int[nb];
        for (int t = 0; t < batches; t++) {
            int r = t;
            for (int d = nb - 1; d >= 0; d--) {
                bi[d] = r % batch[d];
                r /= batch[d];
            }
            int offA = 0;
            for (int d = 0; d < nbA; d++) {
                int size = sa[d];
                offA = offA * size + (size == 1 ? 0 : bi[d + nb - nbA]);
            }
            int offB = 0;
            for (int d = 0; d < nbB; d++) {
                int size = sb[d];
                offB = offB * size + (size == 1 ? 0 : bi[d + nb - nbB]);
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += a[offA * m * k + i * k + p] * b[offB * k * n + p * n + j];
                    out[t * m * n + i * n + j] = s;
                }
            }
        }
        int[] shape = new int[nb + (va ? 0 : 1) + (vb ? 0 : 1)];
        System.arraycopy(batch, 0, shape, 0, nb);
        int j = nb;
        if (!va) shape[j++] = m;
        if (!vb) shape[j] = n;
        return new Ref(out, shape);
    }

    static void assertClose(Ref expected, Tensor actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape().toArray(), "shape");
        double[] got = actual.toDoubleArray();
        double[] want = expected.values();
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            double bound = tol * Math.max(1, Math.abs(want[i]));
            if (Math.abs(want[i] - got[i]) > bound) {
                throw new AssertionError("element " + i + ": expected " + want[i] + " but got " + got[i]);
            }
        }
    }

    private static void checkMatmul(Tensor a, Tensor b) {
        Tensor c = a.matmul(b);
        assertEquals(a.dtype(), c.dtype());
        assertClose(refMatmul(a, b), c, a.dtype() == DType.FLOAT32 ? 1e-4 : 1e-12);
    }

    // ------------------------------------------------------------ matmul cases

    @Test
    void matmulEveryRankCombination() {
        checkMatmul(Kindling.randn(5), Kindling.randn(5));
        assertShape(Kindling.randn(5).matmul(Kindling.randn(5)));
        checkMatmul(Kindling.randn(3, 4), Kindling.randn(4, 5));
        checkMatmul(Kindling.randn(4), Kindling.randn(4, 5));
        assertShape(Kindling.randn(4).matmul(Kindling.randn(4, 5)), 5);
        checkMatmul(Kindling.randn(3, 4), Kindling.randn(4));
        assertShape(Kindling.randn(3, 4).matmul(Kindling.randn(4)), 3);
        checkMatmul(Kindling.randn(2, 1, 3, 4), Kindling.randn(5, 4, 6));
        assertShape(Kindling.randn(2, 1, 3, 4).matmul(Kindling.randn(5, 4, 6)), 2, 5, 3, 6);
        checkMatmul(Kindling.randn(4), Kindling.randn(2, 3, 4, 5));
        assertShape(Kindling.randn(4).matmul(Kindling.randn(2, 3, 4, 5)), 2, 3, 5);
        checkMatmul(Kindling.randn(2, 3, 3, 4), Kindling.randn(4));
        assertShape(Kindling.randn(2, 3, 3, 4).matmul(Kindling.randn(4)), 2, 3, 3);
        checkMatmul(Kindling.randn(2, 3, 4), Kindling.randn(4, 5));
        checkMatmul(Kindling.randn(3, 4), Kindling.randn(2, 4, 5));
        checkMatmul(Kindling.randn(7, 1, 3), Kindling.randn(1, 3, 2));
    }

    @Test
    void matmulNonContiguousOperands() {
        Tensor a = Kindling.randn(4, 3);
        Tensor b = Kindling.randn(5, 4);
        checkMatmul(a.t(), b.t()); // both column-major views: no copy needed
        Tensor wide = Kindling.randn(6, 10);
        Tensor strided = wide.slice(0, 0, 6, 2).slice(1, 1, 10, 3); // [3, 3], no unit stride: copied
        checkMatmul(strided, Kindling.randn(3, 2));
        checkMatmul(Kindling.randn(2, 3), strided);
        Tensor bt = Kindling.randn(2, 5, 4).transpose(1, 2); // batch of column-major matrices
        checkMatmul(Kindling.randn(2, 3, 4), bt);
        Tensor permuted = Kindling.randn(3, 2, 4).permute(1, 0, 2); // [2, 3, 4] not foldable
        checkMatmul(permuted, Kindling.randn(4, 6));
        Tensor expanded = Kindling.randn(1, 4).expand(3, 4); // stride 0 rows
        checkMatmul(expanded, Kindling.randn(4, 2));
        Tensor flipped = Kindling.randn(3, 4).flip(1);
        checkMatmul(flipped, Kindling.randn(4, 2));
        checkMatmul(Kindling.randn(6, 1).slice(0, 0, 6, 2), Kindling.randn(1, 4)); // k = 1
        assertFalse(a.t().isContiguous());
    }

    @Test
    void matmulLarge() {
        Tensor a = Kindling.randn(300, 200);
        Tensor b = Kindling.randn(200, 100);
        checkMatmul(a, b);
        checkMatmul(b.t(), a.t());
    }

    @Test
    void matmulOtherDtypes() {
        Tensor a = Kindling.randn(2, 3, 4).to(DType.FLOAT64);
        Tensor b = Kindling.randn(4, 5).to(DType.FLOAT64);
        checkMatmul(a, b);
        checkMatmul(a.transpose(1, 2), Kindling.randn(2, 3, 2).to(DType.FLOAT64));
        Tensor ia = Kindling.tensor(new long[][] {{1, 2}, {3, 4}});
        Tensor ib = Kindling.tensor(new long[][] {{5, 6}, {7, 8}});
        Tensor ic = ia.matmul(ib);
        assertEquals(DType.INT64, ic.dtype());
        assertArrayEquals(new long[] {19, 22, 43, 50}, ic.toLongArray());
        Tensor big = Kindling.tensor(new long[] {1L << 40, 3});
        assertEquals((1L << 41) + 9, big.matmul(Kindling.tensor(new long[] {2, 3})).itemLong());
        Tensor i32 = Kindling.tensor(new int[][] {{1, 2, 3}}).matmul(Kindling.tensor(new int[] {1, 1, 1}));
        assertEquals(DType.INT32, i32.dtype());
        assertArrayEquals(new int[] {6}, i32.toIntArray());
    }

    @Test
    void matmulEmptyDims() {
        Tensor c = Kindling.randn(3, 0).matmul(Kindling.randn(0, 4));
        assertShape(c, 3, 4);
        assertArrayEquals(new double[12], c.toDoubleArray());
        assertShape(Kindling.randn(0, 3).matmul(Kindling.randn(3, 4)), 0, 4);
        assertShape(Kindling.randn(2, 0, 3).matmul(Kindling.randn(3, 4)), 2, 0, 4);
    }

    @Test
    void matmulErrors() {
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> Kindling.randn(2, 3).matmul(Kindling.randn(4, 5))),
                "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> Kindling.randn(2, 2, 3).matmul(Kindling.randn(4, 5))), "(2x3 and 4x5)", "[2, 2, 3]");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> Kindling.randn(2, 2, 3).matmul(Kindling.randn(3, 3, 5))), "[2, 2, 3]", "[3, 3, 5]");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> Kindling.scalar(1.0).matmul(Kindling.randn(2))), "0D");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> Kindling.randn(2, 2).matmul(Kindling.randn(2, 2).to(DType.FLOAT64))), "float32", "float64");
        assertThrows(IllegalArgumentException.class, () -> Kindling.randn(3).matmul(Kindling.randn(4)));
    }

    // ------------------------------------------------------------ mm, bmm, mv, dot, outer

    @Test
    void mmBmmMv() {
        Tensor a = Kindling.tensor(new float[][] {{1, 2}, {3, 4}});
        Tensor b = Kindling.tensor(new float[][] {{5, 6}, {7, 8}});
        assertArrayEquals(new double[] {19, 22, 43, 50}, a.mm(b).toDoubleArray(), 1e-6);
        assertArrayEquals(new double[] {26, 30, 38, 44}, a.t().mm(b).toDoubleArray(), 1e-6);
        Tensor x = Kindling.randn(3, 2, 4);
        Tensor y = Kindling.randn(3, 4, 5);
        Tensor z = x.bmm(y);
        assertClose(refMatmul(x, y), z, 1e-4);
        assertArrayEquals(new double[] {17, 39}, a.mv(Kindling.tensor(new float[] {5, 6})).toDoubleArray(), 1e-6);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> a.mm(Kindling.randn(3, 2))),
                "mat1 and mat2 shapes cannot be multiplied (2x2 and 3x2)");
        assertThrows(IllegalArgumentException.class, () -> a.mm(Kindling.randn(2)));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.bmm(Kindling.randn(2, 4, 5))),
                "same number of batches", "3", "2");
        assertThrows(IllegalArgumentException.class, () -> x.bmm(Kindling.randn(4, 5)));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> a.mv(Kindling.randn(3))), "2x2", "3");
    }

    @Test
    void dotAndOuter() {
        Tensor d = Kindling.tensor(new float[] {2, 3}).dot(Kindling.tensor(new float[] {2, 1}));
        assertShape(d);
        assertEquals(7.0, d.item(), 1e-6);
        Tensor strided = Kindling.tensor(new double[] {1, 9, 2, 9, 3}).slice(0, 0, 5, 2);
        assertEquals(14.0, strided.dot(strided).item(), 1e-12);
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> Kindling.tensor(new float[] {1}).dot(Kindling.tensor(new double[] {1}))), "dtype",
                "float32", "float64");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> Kindling.randn(2).dot(Kindling.randn(3))), "2", "3");
        assertThrows(IllegalArgumentException.class, () -> Kindling.randn(2, 2).dot(Kindling.randn(2)));

        Tensor o = Kindling.tensor(new float[] {1, 2, 3}).outer(Kindling.tensor(new long[] {1, 10}));
        assertShape(o, 3, 2);
        assertEquals(DType.FLOAT32, o.dtype());
        assertArrayEquals(new double[] {1, 10, 2, 20, 3, 30}, o.toDoubleArray(), 1e-6);
        Tensor io = Kindling.tensor(new long[] {2, 3}).outer(Kindling.tensor(new long[] {4}));
        assertEquals(DType.INT64, io.dtype());
        assertArrayEquals(new long[] {8, 12}, io.toLongArray());
    }

    // ------------------------------------------------------------ addmm

    @Test
    void addmmScalesAndBroadcasts() {
        Tensor m1 = Kindling.randn(3, 4);
        Tensor m2 = Kindling.randn(4, 2);
        Tensor input = Kindling.randn(2); // broadcast over rows
        Tensor r = input.addmm(m1, m2, 0.5, 2.0);
        Ref p = refMatmul(m1, m2);
        double[] in = input.toDoubleArray();
        double[] want = new double[6];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) want[i * 2 + j] = 0.5 * in[j] + 2.0 * p.values()[i * 2 + j];
        }
        assertClose(new Ref(want, new int[] {3, 2}), r, 1e-4);
        // default beta = alpha = 1, transposed operand, float64 path
        Tensor m1d = m1.to(DType.FLOAT64);
        Tensor r2 = Kindling.zeros(new int[] {3, 2}, DType.FLOAT64).addmm(m1d, m2.t().to(DType.FLOAT64).t());
        assertClose(refMatmul(m1d, m2.to(DType.FLOAT64)), r2, 1e-12);
    }

    @Test
    void addmmBetaZeroIgnoresNaN() {
        Tensor nan = Kindling.full(new int[] {2, 2}, Double.NaN);
        Tensor a = Kindling.tensor(new float[][] {{1, 2}, {3, 4}});
        Tensor r = nan.addmm(a, a, 0, 1);
        assertArrayEquals(new double[] {7, 10, 15, 22}, r.toDoubleArray(), 1e-6);
        Tensor nan64 = Kindling.full(new int[] {2, 2}, Double.NaN, DType.FLOAT64);
        Tensor a64 = a.to(DType.FLOAT64);
        assertArrayEquals(new double[] {14, 20, 30, 44}, nan64.addmm(a64, a64, 0, 2).toDoubleArray(), 1e-12);
        Tensor ia = Kindling.tensor(new long[][] {{1, 2}, {3, 4}});
        Tensor ir = Kindling.tensor(new long[] {100, 200}).addmm(ia, ia, 2, 3);
        assertArrayEquals(new long[] {221, 430, 245, 466}, ir.toLongArray());
        assertThrows(IllegalArgumentException.class, () -> Kindling.tensor(new long[] {1, 2}).addmm(ia, ia, 0.5, 1));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Kindling.zeros(3).addmm(a, a)), "[3]", "[2, 2]");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Kindling.zeros(2).addmm(a, Kindling.randn(3, 2))),
                "(2x2 and 3x2)");
    }

    @Test
    void kernelOutputIsIndependentOfTheInputs() {
        Tensor a = Kindling.randn(4, 4);
        float[] before = a.toFloatArray();
        Tensor c = a.matmul(a);
        assertFalse(c.sharesStorageWith(a));
        assertTrue(Arrays.equals(before, a.toFloatArray()));
    }
}
