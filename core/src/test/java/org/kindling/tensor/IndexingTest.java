package org.kindling.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kindling.Kindling;

class IndexingTest {

    private static void assertShape(Tensor t, int... shape) {
        assertArrayEquals(shape, t.shape().toArray(), "shape");
    }

    private static void assertValues(Tensor t, double... expected) {
        assertArrayEquals(expected, t.toDoubleArray(), 1e-6);
    }

    private static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    private static Tensor idx(long... v) {
        return Kindling.tensor(v);
    }

    /** x[i][j][k] = 12 i + 4 j + k, int64. */
    private static Tensor x234() {
        return Kindling.arange(24).reshape(2, 3, 4).to(DType.INT64);
    }

    private static Tensor m3() {
        return Kindling.tensor(new float[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});
    }

    // ------------------------------------------------------------ indexSelect

    @Test
    void indexSelectRowsAndColumns() {
        Tensor x = m3();
        Tensor rows = x.indexSelect(0, idx(0, 2));
        assertShape(rows, 2, 3);
        assertValues(rows, 1, 2, 3, 7, 8, 9);
        Tensor cols = x.indexSelect(1, idx(2, 0, 2));
        assertShape(cols, 3, 3);
        assertValues(cols, 3, 1, 3, 6, 4, 6, 9, 7, 9);
        assertEquals(DType.FLOAT32, cols.dtype());
        // int32 index and a non-contiguous input
        Tensor t = x.t().indexSelect(-1, Kindling.tensor(new int[] {1}));
        assertValues(t, 4, 5, 6);
    }

    @Test
    void indexSelectErrors() {
        Tensor x = m3();
        assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> x.indexSelect(1, idx(0, 3))),
                "indexSelect", "index 3 is out of bounds for dimension 1 with size 3");
        assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> x.indexSelect(0, idx(-1))),
                "index -1 is out of bounds for dimension 0 with size 3");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> x.indexSelect(0, Kindling.tensor(new float[] {0}))), "int64", "float32");
    }

    // ------------------------------------------------------------ gather / scatter

    @Test
    void gatherFromTheDocs() {
        Tensor t = Kindling.tensor(new long[][] {{1, 2}, {3, 4}});
        Tensor g = t.gather(1, Kindling.tensor(new long[][] {{0, 0}, {1, 0}}));
        assertValues(g, 1, 1, 4, 3);
        assertEquals(DType.INT64, g.dtype());
        assertValues(t.gather(0, Kindling.tensor(new long[][] {{0, 1}, {1, 0}})), 1, 4, 3, 2);
        // index smaller than the input in the other dim, and larger along dim
        Tensor x = m3();
        Tensor g2 = x.gather(1, Kindling.tensor(new long[][] {{0}, {2}, {1}}));
        assertShape(g2, 3, 1);
        assertValues(g2, 1, 6, 8);
        Tensor g3 = x.gather(0, Kindling.tensor(new long[][] {{2, 2}, {0, 1}, {1, 0}, {2, 2}}));
        assertShape(g3, 4, 2);
        assertValues(g3, 7, 8, 1, 5, 4, 2, 7, 8);
    }

    @Test
    void gatherErrors() {
        Tensor x = m3();
        assertMessage(assertThrows(IndexOutOfBoundsException.class,
                () -> x.gather(1, Kindling.tensor(new long[][] {{0}, {5}}))),
                "gather", "index 5 is out of bounds for dimension 1 with size 3");
        assertThrows(IllegalArgumentException.class, () -> x.gather(1, idx(0, 1)));
        assertThrows(IllegalArgumentException.class, () -> x.gather(1, Kindling.tensor(new long[][] {{0}, {1}, {0}, {0}})));
    }

    @Test
    void scatterFromTheDocs() {
        Tensor src = Kindling.arange(1, 11, 1).reshape(2, 5).to(DType.FLOAT32);
        Tensor a = Kindling.zeros(3, 5).scatter_(0, Kindling.tensor(new long[][] {{0, 1, 2, 0}}), src);
        assertValues(a, 1, 0, 0, 4, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0);
        Tensor b = Kindling.zeros(3, 5).scatter_(1, Kindling.tensor(new long[][] {{0, 1, 2}, {0, 1, 4}}), src);
        assertValues(b, 1, 2, 3, 0, 0, 6, 7, 0, 0, 8, 0, 0, 0, 0, 0);
        Tensor c = Kindling.full(new int[] {2, 4}, 2.0).scatter(1, Kindling.tensor(new long[][] {{2}, {3}}), 1.23);
        assertValues(c, 2, 2, 1.23, 2, 2, 2, 2, 1.23);
    }

    @Test
    void scatterAddFromTheDocs() {
        Tensor src = Kindling.ones(2, 5);
        Tensor a = Kindling.zeros(3, 5).scatterAdd(0, Kindling.tensor(new long[][] {{0, 1, 2, 0, 0}}), src);
        assertValues(a, 1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0);
        Tensor b = Kindling.zeros(3, 5).scatterAdd(0,
                Kindling.tensor(new long[][] {{0, 1, 2, 0, 0}, {0, 1, 2, 2, 2}}), src);
        assertValues(b, 2, 0, 0, 1, 1, 0, 2, 0, 0, 0, 0, 0, 2, 1, 1);
        // duplicates along dim 1 accumulate, in place on the original
        Tensor z = Kindling.zeros(1, 3);
        z.scatterAdd_(1, Kindling.tensor(new long[][] {{2, 2, 0}}), Kindling.tensor(new float[][] {{1, 2, 4}}));
        assertValues(z, 4, 0, 3);
    }

    @Test
    void scatterErrors() {
        Tensor z = Kindling.zeros(2, 3);
        assertMessage(assertThrows(IndexOutOfBoundsException.class,
                () -> z.scatter_(0, Kindling.tensor(new long[][] {{0, 2}}), Kindling.ones(1, 2))),
                "scatter_", "index 2 is out of bounds for dimension 0 with size 2");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> z.scatter_(0, Kindling.tensor(new double[][] {{0}}), Kindling.ones(1, 1))), "float64");
    }

    // ------------------------------------------------------------ masks

    @Test
    void maskedSelectBroadcastsTheMask() {
        Tensor x = Kindling.tensor(new float[][] {{1, 2}, {3, 4}});
        Tensor r = x.maskedSelect(Kindling.tensor(new boolean[] {true, false}));
        assertShape(r, 2);
        assertValues(r, 1, 3);
        Tensor all = x.maskedSelect(Kindling.tensor(new boolean[][] {{false, true}, {true, true}}));
        assertValues(all, 2, 3, 4);
        // input broadcast against a larger mask
        Tensor v = Kindling.tensor(new long[] {7, 8});
        Tensor r2 = v.maskedSelect(Kindling.tensor(new boolean[][] {{true, true}, {false, true}}));
        assertValues(r2, 7, 8, 8);
        assertEquals(DType.INT64, r2.dtype());
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> x.maskedSelect(Kindling.tensor(new long[] {1, 0}))), "bool", "int64");
    }

    @Test
    void maskedFillInPlaceThroughAView() {
        Tensor base = Kindling.zeros(3, 2);
        Tensor view = base.t(); // [2, 3]
        view.maskedFill_(Kindling.tensor(new boolean[] {true, false, true}), -1);
        assertValues(base, -1, -1, 0, 0, -1, -1);
        Tensor x = Kindling.tensor(new long[] {1, 2, 3});
        assertValues(x.maskedFill(Kindling.tensor(new boolean[] {false, true, false}), 9), 1, 9, 3);
        assertValues(x, 1, 2, 3);
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> x.maskedFill_(Kindling.tensor(new long[] {1, 0, 1}), 0)), "bool", "int64");
        assertThrows(IllegalArgumentException.class,
                () -> x.maskedFill_(Kindling.tensor(new boolean[][] {{true, false, true}, {true, true, true}}), 0));
    }

    // ------------------------------------------------------------ advanced indexing

    @Test
    void singleIndexTensorSelectsAlongDim0() {
        Tensor x = x234();
        Tensor r = x.index(idx(1, 0, -1));
        assertShape(r, 3, 3, 4);
        long[] v = r.toLongArray();
        assertEquals(12, v[0]);
        assertEquals(0, v[12]);
        assertEquals(12 + 11, v[24 + 11]);
        // a 0-dim index drops the dim
        Tensor s = x.index(Kindling.scalar(1L));
        assertShape(s, 3, 4);
        assertEquals(12 + 4 * 2 + 3, s.toLongArray()[11]);
    }

    @Test
    void adjacentIndicesStayInPlace() {
        Tensor x = x234();
        // x[:, [0, 2], [1, 3]] -> [2, 2]; r[i][j] = x[i][i1[j]][i2[j]]
        Tensor r = x.index(null, idx(0, 2), idx(1, 3));
        assertShape(r, 2, 2);
        assertValues(r, 1, 11, 13, 23);

        // y[:, idx(1x2), idx(2x1), :] on a 4-D tensor: broadcast index dims [2, 2] replace dims 1-2
        Tensor y = Kindling.arange(2 * 3 * 4 * 5).reshape(2, 3, 4, 5);
        Tensor i1 = Kindling.tensor(new long[][] {{0, 1}});
        Tensor i2 = Kindling.tensor(new long[][] {{2}, {3}});
        Tensor ry = y.index(null, i1, i2);
        assertShape(ry, 2, 2, 2, 5);
        long[] v = ry.toLongArray();
        // ry[a][p][q][e] = y[a][i1[0][q]][i2[p][0]][e] = 60a + 20*i1 + 5*i2 + e
        for (int a = 0; a < 2; a++) {
            for (int p = 0; p < 2; p++) {
                for (int q = 0; q < 2; q++) {
                    for (int e = 0; e < 5; e++) {
                        long expected = 60L * a + 20L * q + 5L * (2 + p) + e;
                        assertEquals(expected, v[((a * 2 + p) * 2 + q) * 5 + e]);
                    }
                }
            }
        }
    }

    @Test
    void separatedIndicesGoFirst() {
        Tensor x = x234();
        // x[[0, 1], :, [1, 3]] -> [2, 3]; r[j][m] = x[i0[j]][m][i2[j]]
        Tensor r = x.index(idx(0, 1), null, idx(1, 3));
        assertShape(r, 2, 3);
        assertValues(r, 1, 5, 9, 15, 19, 23);

        // 4-D: y[[1], :, [0, 3], :] -> broadcast [2] first, then dims 1 and 3
        Tensor y = Kindling.arange(2 * 3 * 4 * 5).reshape(2, 3, 4, 5);
        Tensor ry = y.index(idx(1), null, idx(0, 3));
        assertShape(ry, 2, 3, 5);
        long[] v = ry.toLongArray();
        for (int b = 0; b < 2; b++) {
            for (int m = 0; m < 3; m++) {
                for (int e = 0; e < 5; e++) {
                    assertEquals(60L + 20L * m + 5L * (b == 0 ? 0 : 3) + e, v[(b * 3 + m) * 5 + e]);
                }
            }
        }
    }

    @Test
    void indexTensorsBroadcastTogether() {
        Tensor x = x234();
        // x[[[0], [1]], [0, 2]] -> [2, 2, 4]; r[a][b] = x[a][{0,2}[b]]
        Tensor r = x.index(Kindling.tensor(new long[][] {{0}, {1}}), idx(0, 2));
        assertShape(r, 2, 2, 4);
        assertValues(r, 0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 20, 21, 22, 23);
        assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> x.index(idx(0, 1), idx(0, 1, 2))),
                "shape mismatch", "[2]", "[3]");
    }

    @Test
    void boolMaskIndexing() {
        Tensor x = x234();
        // a 2-D mask consumes two dims
        Tensor mask = Kindling.tensor(new boolean[][] {{true, false, false}, {false, true, true}});
        Tensor r = x.index(mask);
        assertShape(r, 3, 4);
        assertValues(r, 0, 1, 2, 3, 16, 17, 18, 19, 20, 21, 22, 23);
        // a 1-D mask in second position, keeping the slices around it
        Tensor r2 = x.index(null, Kindling.tensor(new boolean[] {true, false, true}));
        assertShape(r2, 2, 2, 4);
        assertValues(r2.select(0, 1).select(0, 1), 20, 21, 22, 23);
        // mask mixed with an integer index: x[[1, 0], :, mask4] -> separated -> [2, 3]
        Tensor m4 = Kindling.tensor(new boolean[] {false, false, true, false});
        Tensor r3 = x.index(idx(1, 0), null, m4);
        assertShape(r3, 2, 3);
        assertValues(r3, 14, 18, 22, 2, 6, 10);
        assertMessage(assertThrows(IndexOutOfBoundsException.class,
                () -> x.index(Kindling.tensor(new boolean[] {true, false, true}))), "mask", "[3]");
    }

    @Test
    void advancedIndexingErrors() {
        Tensor x = x234();
        assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> x.index(null, idx(0, 3))),
                "index 3 is out of bounds for dimension 1 with size 3");
        assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> x.index(idx(-3))),
                "index -3 is out of bounds for dimension 0 with size 2");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.index(Kindling.tensor(new float[] {0}))),
                "float32");
        assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> x.index(null, null, null, idx(0))),
                "too many indices");
    }

    @Test
    void indexPutAccumulateSumsDuplicates() {
        Tensor x = Kindling.zeros(5);
        x.indexPut_(new Tensor[] {idx(0, 2, 0)}, Kindling.tensor(new float[] {1, 2, 3}), true);
        assertValues(x, 4, 0, 2, 0, 0);
        Tensor y = Kindling.zeros(5);
        y.indexPut_(new Tensor[] {idx(0, 2, 0)}, Kindling.tensor(new float[] {1, 2, 3}));
        assertValues(y, 3, 0, 2, 0, 0);
        // 2-D accumulate with pairs of coordinates, negative index
        Tensor z = Kindling.zeros(new int[] {2, 2}, DType.INT64);
        z.indexPut_(new Tensor[] {idx(0, 0, 1, -1), idx(1, 1, 0, 0)}, Kindling.tensor(new long[] {1, 10, 100, 1000}),
                true);
        assertValues(z, 0, 11, 1100, 0);
        // out-of-place leaves the original alone
        Tensor w = Kindling.zeros(3);
        Tensor w2 = w.indexPut(new Tensor[] {idx(1)}, Kindling.tensor(new float[] {5}), false);
        assertValues(w, 0, 0, 0);
        assertValues(w2, 0, 5, 0);
    }

    @Test
    void indexPutBroadcastsValuesAndTakesMasks() {
        Tensor z = Kindling.zeros(3, 4);
        z.indexPut_(new Tensor[] {null, idx(1, 3)}, Kindling.scalar(7.0));
        assertValues(z, 0, 7, 0, 7, 0, 7, 0, 7, 0, 7, 0, 7);
        // values [2] broadcast to the indexed shape [3, 2]
        z.indexPut_(new Tensor[] {null, idx(0, 2)}, Kindling.tensor(new float[] {1, 2}));
        assertValues(z, 1, 7, 2, 7, 1, 7, 2, 7, 1, 7, 2, 7);
        Tensor m = Kindling.tensor(new boolean[][] {{true, false, false, false}, {false, false, false, false},
            {false, false, false, true}});
        z.indexPut_(new Tensor[] {m}, Kindling.tensor(new float[] {-1, -2}));
        assertValues(z, -1, 7, 2, 7, 1, 7, 2, 7, 1, 7, 2, -2);
        // separated indices: z[[0, 2], :] rows set via values of shape [2, 4]... with a middle slice on 3-D
        Tensor t = Kindling.zeros(2, 3, 2);
        t.indexPut_(new Tensor[] {idx(0, 1), null, idx(1, 0)},
                Kindling.tensor(new float[][] {{1, 2, 3}, {4, 5, 6}}));
        assertValues(t, 0, 1, 0, 2, 0, 3, 4, 0, 5, 0, 6, 0);
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> z.indexPut_(new Tensor[] {idx(0, 1)}, Kindling.tensor(new float[] {1, 2, 3}))),
                "shape mismatch", "[3]", "[2, 4]");
    }

    // ------------------------------------------------------------ nonzero / take

    @Test
    void nonzeroCoordinates() {
        Tensor a = Kindling.tensor(new float[][] {{1, 0}, {0, 3}, {Float.NaN, 0}});
        Tensor nz = a.nonzero();
        assertShape(nz, 3, 2);
        assertEquals(DType.INT64, nz.dtype());
        assertValues(nz, 0, 0, 1, 1, 2, 0);
        assertValues(Kindling.tensor(new long[] {0, 2, 0, 5}).nonzero(), 1, 3);
        assertShape(Kindling.scalar(5.0).nonzero(), 1, 0);
        assertShape(Kindling.scalar(0.0).nonzero(), 0, 0);
        // non-contiguous input keeps row-major order of the view
        Tensor t = Kindling.tensor(new long[][] {{0, 1}, {1, 0}, {1, 1}}).t(); // [[0,1,1],[1,0,1]]
        assertValues(t.nonzero(), 0, 1, 0, 2, 1, 0, 1, 2);
    }

    @Test
    void takeUsesFlatIndices() {
        Tensor x = Kindling.tensor(new float[][] {{4, 3, 5}, {6, 7, 8}});
        assertValues(x.take(idx(0, 2, 5)), 4, 5, 8);
        Tensor r = x.take(Kindling.tensor(new long[][] {{-1, 0}}));
        assertShape(r, 1, 2);
        assertValues(r, 8, 4);
        assertValues(x.t().take(idx(1, 2)), 6, 3);
        assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> x.take(idx(6))),
                "take", "index 6 is out of bounds", "size 6");
    }
}
