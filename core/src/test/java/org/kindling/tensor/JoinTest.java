package org.kindling.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;

class JoinTest {

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

    private static Tensor range(int n, int... shape) {
        return Kindling.arange(n).reshape(shape).to(DType.FLOAT32);
    }

    // ------------------------------------------------------------ cat / stack

    @Test
    void catAlongEachDim() {
        Tensor a = range(6, 2, 3);
        Tensor b = Kindling.tensor(new float[][] {{10, 11, 12}});
        Tensor c0 = Kindling.cat(List.of(a, b), 0);
        assertShape(c0, 3, 3);
        assertValues(c0, 0, 1, 2, 3, 4, 5, 10, 11, 12);
        Tensor c1 = Kindling.cat(List.of(a, a.narrow(1, 0, 1)), -1);
        assertShape(c1, 2, 4);
        assertValues(c1, 0, 1, 2, 0, 3, 4, 5, 3);
        // non-contiguous parts
        Tensor ct = Kindling.cat(List.of(a.t(), a.t()), 1);
        assertShape(ct, 3, 4);
        assertValues(ct, 0, 3, 0, 3, 1, 4, 1, 4, 2, 5, 2, 5);
        assertFalse(ct.sharesStorageWith(a));
    }

    @Test
    void catPromotesAndSkipsLegacyEmpty() {
        Tensor i = Kindling.tensor(new long[][] {{1, 2}});
        Tensor f = Kindling.tensor(new float[][] {{0.5f, 1.5f}});
        Tensor c = Kindling.cat(List.of(i, f, Kindling.zeros(0)), 0);
        assertEquals(DType.FLOAT32, c.dtype());
        assertShape(c, 2, 2);
        assertValues(c, 1, 2, 0.5, 1.5);
        Tensor d = Kindling.cat(List.of(Kindling.tensor(new int[] {1}), Kindling.tensor(new double[] {2})));
        assertEquals(DType.FLOAT64, d.dtype());
        // empty tensors with the right rank are fine too
        assertShape(Kindling.cat(List.of(Kindling.zeros(0, 3), range(3, 1, 3)), 0), 1, 3);
    }

    @Test
    void catErrors() {
        Tensor a = Kindling.zeros(2, 3);
        Tensor b = Kindling.zeros(2, 4);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Kindling.cat(List.of(a, a, b), 0)),
                "dimension 0", "Expected size 3 but got size 4", "tensor number 2");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Kindling.cat(List.of(a, Kindling.zeros(3)), 0)),
                "same number of dimensions");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> Kindling.cat(List.of(a, Kindling.scalar(1.0)), 0)), "zero-dimensional", "position 1");
        assertThrows(IndexOutOfBoundsException.class, () -> Kindling.cat(List.of(a, a), 2));
    }

    @Test
    void stackInsertsANewDim() {
        Tensor a = range(6, 2, 3);
        Tensor b = Kindling.tensor(new float[][] {{10, 11, 12}, {13, 14, 15}});
        assertValues(Kindling.stack(List.of(a, b), 0), 0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15);
        Tensor s1 = Kindling.stack(List.of(a, b), 1);
        assertShape(s1, 2, 2, 3);
        assertValues(s1, 0, 1, 2, 10, 11, 12, 3, 4, 5, 13, 14, 15);
        Tensor s2 = Kindling.stack(List.of(a, b), 2);
        assertShape(s2, 2, 3, 2);
        assertValues(s2, 0, 10, 1, 11, 2, 12, 3, 13, 4, 14, 5, 15);
        Tensor s3 = Kindling.stack(List.of(a, b), -1);
        assertShape(s3, 2, 3, 2);
        assertShape(Kindling.stack(List.of(Kindling.scalar(1.0), Kindling.scalar(2.0))), 2);
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> Kindling.stack(List.of(a, Kindling.zeros(2, 4)))), "[2, 3]", "[2, 4]", "entry 1");
    }

    // ------------------------------------------------------------ repeat / tile

    @Test
    void repeatTilesData() {
        Tensor x = Kindling.tensor(new long[] {1, 2, 3});
        Tensor r = x.repeat(4, 2);
        assertShape(r, 4, 6);
        long[] v = r.toLongArray();
        for (int i = 0; i < 4; i++) assertArrayEquals(new long[] {1, 2, 3, 1, 2, 3}, java.util.Arrays.copyOfRange(v, 6 * i, 6 * i + 6));
        assertShape(x.repeat(4, 2, 1), 4, 2, 3);
        Tensor m = range(4, 2, 2);
        Tensor rm = m.t().repeat(1, 2);
        assertValues(rm, 0, 2, 0, 2, 1, 3, 1, 3);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> m.repeat(2)), "repeat", "smaller");
        assertShape(x.repeat(0, 1), 0, 3);
    }

    @Test
    void tilePadsRepsOrInput() {
        Tensor x = Kindling.tensor(new float[] {1, 2, 3});
        assertValues(x.tile(2), 1, 2, 3, 1, 2, 3);
        Tensor y = Kindling.tensor(new float[][] {{1, 2}, {3, 4}});
        Tensor t = y.tile(2);
        assertShape(t, 2, 4);
        assertValues(t, 1, 2, 1, 2, 3, 4, 3, 4);
        Tensor t22 = y.tile(2, 2);
        assertShape(t22, 4, 4);
        assertValues(t22, 1, 2, 1, 2, 3, 4, 3, 4, 1, 2, 1, 2, 3, 4, 3, 4);
        Tensor t3 = y.tile(2, 1, 1);
        assertShape(t3, 2, 2, 2);
        assertValues(t3, 1, 2, 3, 4, 1, 2, 3, 4);
    }

    // ------------------------------------------------------------ flip / roll

    @Test
    void flipAnyDims() {
        Tensor x = range(8, 2, 2, 2);
        assertValues(x.flip(0, 1), 6, 7, 4, 5, 2, 3, 0, 1);
        assertValues(x.flip(-1), 1, 0, 3, 2, 5, 4, 7, 6);
        assertValues(x.flip(0, 1, 2), 7, 6, 5, 4, 3, 2, 1, 0);
        assertValues(x.flip(), 0, 1, 2, 3, 4, 5, 6, 7);
        assertValues(range(6, 2, 3).t().flip(0), 2, 5, 1, 4, 0, 3);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.flip(0, -3)), "appears multiple times");
    }

    @Test
    void rollFromTheDocs() {
        Tensor x = Kindling.tensor(new long[] {1, 2, 3, 4, 5, 6, 7, 8}).view(4, 2);
        Tensor flat = x.roll(new int[] {1}, new int[0]);
        assertShape(flat, 4, 2);
        assertValues(flat, 8, 1, 2, 3, 4, 5, 6, 7);
        assertValues(x.roll(1, 0), 7, 8, 1, 2, 3, 4, 5, 6);
        assertValues(x.roll(-1, 0), 3, 4, 5, 6, 7, 8, 1, 2);
        assertValues(x.roll(new int[] {2, 1}, new int[] {0, 1}), 6, 5, 8, 7, 2, 1, 4, 3);
        // shifts larger than the size wrap; repeated dims add up
        assertValues(x.roll(9, 0), 7, 8, 1, 2, 3, 4, 5, 6);
        assertValues(x.roll(-7, 0), 7, 8, 1, 2, 3, 4, 5, 6);
        assertValues(x.roll(new int[] {1, 1}, new int[] {0, 0}), 5, 6, 7, 8, 1, 2, 3, 4);
        assertValues(x.roll(0, 1), 1, 2, 3, 4, 5, 6, 7, 8);
        assertValues(x.t().roll(new int[] {-3}, new int[0]), 7, 2, 4, 6, 8, 1, 3, 5);
        assertThrows(IllegalArgumentException.class, () -> x.roll(new int[] {1, 2}, new int[] {0}));
    }

    // ------------------------------------------------------------ tril / triu

    @Test
    void trilTriuWithOffsets() {
        Tensor a = Kindling.arange(1, 13, 1).reshape(3, 4).to(DType.FLOAT32);
        assertValues(a.tril(), 1, 0, 0, 0, 5, 6, 0, 0, 9, 10, 11, 0);
        assertValues(a.tril(1), 1, 2, 0, 0, 5, 6, 7, 0, 9, 10, 11, 12);
        assertValues(a.tril(-1), 0, 0, 0, 0, 5, 0, 0, 0, 9, 10, 0, 0);
        assertValues(a.triu(), 1, 2, 3, 4, 0, 6, 7, 8, 0, 0, 11, 12);
        assertValues(a.triu(1), 0, 2, 3, 4, 0, 0, 7, 8, 0, 0, 0, 12);
        assertValues(a.triu(-1), 1, 2, 3, 4, 5, 6, 7, 8, 0, 10, 11, 12);
        assertValues(a.triu(10), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertValues(a.tril(-10), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        // batched, non-contiguous, integer dtype
        Tensor b = Kindling.ones(new int[] {2, 2, 2}, DType.INT64).transpose(0, 2);
        Tensor tb = b.triu(0);
        assertEquals(DType.INT64, tb.dtype());
        assertValues(tb, 1, 1, 0, 1, 1, 1, 0, 1);
        assertThrows(IllegalArgumentException.class, () -> Kindling.ones(3).tril());
    }

    // ------------------------------------------------------------ pad

    @Test
    void constantPad() {
        Tensor x = range(6, 2, 3);
        Tensor p = x.pad(1, 2);
        assertShape(p, 2, 6);
        assertValues(p, 0, 0, 1, 2, 0, 0, 0, 3, 4, 5, 0, 0);
        Tensor p2 = x.pad(new int[] {1, 1, 2, 2}, "constant", -1);
        assertShape(p2, 6, 5);
        double[] v = p2.toDoubleArray();
        assertEquals(-1, v[0]);
        assertEquals(0, v[2 * 5 + 1]);
        assertEquals(5, v[3 * 5 + 3]);
        assertEquals(-1, v[5 * 5 + 4]);
        // negative pads crop
        Tensor c = x.pad(-1, 0, 0, -1);
        assertShape(c, 1, 2);
        assertValues(c, 1, 2);
        Tensor mixed = x.pad(-2, 1);
        assertValues(mixed, 2, 0, 5, 0);
        assertThrows(IllegalArgumentException.class, () -> x.pad(-3, -1));
        assertThrows(IllegalArgumentException.class, () -> x.pad(1, 1, 1, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> x.pad(1));
    }

    @Test
    void reflectAndReplicatePad() {
        Tensor x = Kindling.tensor(new float[][] {{0, 1, 2, 3}});
        assertValues(x.pad(new int[] {2, 2}, "reflect", 0), 2, 1, 0, 1, 2, 3, 2, 1);
        assertValues(x.pad(new int[] {2, 2}, "replicate", 0), 0, 0, 0, 1, 2, 3, 3, 3);
        // 2-D reflect of a 3x3 image: rows and columns map 1,0,1,2,1
        Tensor img = range(9, 1, 3, 3);
        Tensor r = img.pad(new int[] {1, 1, 1, 1}, "reflect", 0);
        assertShape(r, 1, 5, 5);
        int[] map = {1, 0, 1, 2, 1};
        double[] rv = r.toDoubleArray();
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) assertEquals(3 * map[i] + map[j], rv[i * 5 + j]);
        }
        Tensor rep = img.pad(new int[] {0, 1, 2, 0}, "replicate", 0);
        assertShape(rep, 1, 5, 4);
        assertValues(rep.select(0, 0).select(0, 0), 0, 1, 2, 2);
        assertValues(rep.select(0, 0).select(0, 4), 6, 7, 8, 8);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.pad(new int[] {4, 0}, "reflect", 0)),
                "padding size should be less than", "dimension 1");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.pad(new int[] {1, 1}, "mirror", 0)),
                "unknown padding mode", "mirror");
    }
}
