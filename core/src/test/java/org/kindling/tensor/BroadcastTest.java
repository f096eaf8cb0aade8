package org.kindling.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;

class BroadcastTest {

    private static Tensor f(float... v) {
        return Kindling.tensor(v);
    }

    private static Tensor seq(int... shape) {
        return Kindling.arange(Shape.of(shape).numel()).reshape(shape).to(DType.FLOAT32);
    }

    @Test
    void scalarBroadcasts() {
        Tensor x = seq(2, 3);
        Tensor r = x.add(Kindling.scalar(10.0));
        assertArrayEquals(new int[] {2, 3}, r.shape().toArray());
        assertArrayEquals(new float[] {10, 11, 12, 13, 14, 15}, r.toFloatArray());
        Tensor r2 = Kindling.scalar(1.0).sub(x);
        assertArrayEquals(new float[] {1, 0, -1, -2, -3, -4}, r2.toFloatArray());
        // a one-element tensor of rank 2 still broadcasts (and grows the rank)
        Tensor one = Kindling.tensor(new float[][] {{2}});
        Tensor r3 = f(1, 2, 3).mul(one);
        assertArrayEquals(new int[] {1, 3}, r3.shape().toArray());
        assertArrayEquals(new float[] {2, 4, 6}, r3.toFloatArray());
    }

    @Test
    void columnPlusRow() {
        Tensor col = Kindling.tensor(new float[][] {{0}, {10}, {20}});
        Tensor row = f(1, 2, 3, 4);
        Tensor r = col.add(row);
        assertArrayEquals(new int[] {3, 4}, r.shape().toArray());
        assertArrayEquals(new float[] {1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24}, r.toFloatArray());
        assertArrayEquals(r.toFloatArray(), row.add(col).toFloatArray());
        Tensor lt = col.lt(Kindling.tensor(new float[] {5, 15, 25, 0}));
        assertArrayEquals(new boolean[] {true, true, true, false, false, true, true, false, false, false, true, false},
                lt.toBooleanArray());
    }

    @Test
    void threeDimBroadcast() {
        Tensor a = seq(2, 1, 3); // [[[0,1,2]], [[3,4,5]]]
        Tensor b = Kindling.tensor(new float[][] {{0}, {100}, {200}, {300}}); // [4, 1]
        Tensor r = a.add(b);
        assertArrayEquals(new int[] {2, 4, 3}, r.shape().toArray());
        float[] v = r.toFloatArray();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < 3; k++) assertEquals(i * 3 + k + 100 * j, v[(i * 4 + j) * 3 + k], 0f);
            }
        }
        Tensor i64 = Kindling.arange(6).reshape(2, 1, 3);
        Tensor ri = i64.mul(Kindling.tensor(new long[][] {{1}, {-1}}));
        assertArrayEquals(new int[] {2, 2, 3}, ri.shape().toArray());
        assertArrayEquals(new long[] {0, 1, 2, 0, -1, -2, 3, 4, 5, -3, -4, -5}, ri.toLongArray());
    }

    @Test
    void failedBroadcastNamesOpAndShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> seq(2, 3).add(f(1, 2, 3, 4)));
        String m = e.getMessage();
        assertTrue(m.contains("add"), m);
        assertTrue(m.contains("[2, 3]") && m.contains("[4]"), m);
        e = assertThrows(IllegalArgumentException.class, () -> seq(2, 3).eq(seq(3, 2)));
        assertTrue(e.getMessage().contains("eq"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> seq(3).logicalAnd(seq(2)));
        assertTrue(e.getMessage().contains("logicalAnd"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> seq(3).mul_(seq(4)));
        assertTrue(e.getMessage().contains("mul_"), e.getMessage());
    }

    @Test
    void inPlaceDoesNotGrowSelf() {
        Tensor x = seq(2, 3);
        x.add_(f(1, 1, 2)); // [3] broadcasts to [2, 3]
        assertArrayEquals(new float[] {1, 2, 4, 4, 5, 7}, x.toFloatArray());
        x.sub_(Kindling.tensor(new float[][] {{1}, {2}}));
        assertArrayEquals(new float[] {0, 1, 3, 2, 3, 5}, x.toFloatArray());
        Tensor small = f(1, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small.add_(seq(2, 3)));
        assertTrue(e.getMessage().contains("output with shape [3] doesn't match the broadcast shape [2, 3]"),
                e.getMessage());
        assertArrayEquals(new float[] {1, 2, 3}, small.toFloatArray());
    }

    @Test
    void emptyBroadcasts() {
        Tensor r = Kindling.zeros(0, 3).add(f(1, 2, 3));
        assertArrayEquals(new int[] {0, 3}, r.shape().toArray());
        Tensor r2 = Kindling.zeros(2, 1).mul(Kindling.zeros(0));
        assertArrayEquals(new int[] {2, 0}, r2.shape().toArray());
    }

    @Test
    void mixedDtypesBroadcast() {
        Tensor col = Kindling.tensor(new long[][] {{1}, {2}});
        Tensor row = f(0.5f, 1.5f);
        Tensor r = col.mul(row);
        assertEquals(DType.FLOAT32, r.dtype());
        assertArrayEquals(new float[] {0.5f, 1.5f, 1, 3}, r.toFloatArray());
        Tensor w = Kindling.where(Kindling.tensor(new boolean[] {true, false}), col, Kindling.scalar(-1.0));
        assertEquals(DType.FLOAT32, w.dtype());
        assertArrayEquals(new int[] {2, 2}, w.shape().toArray());
        assertArrayEquals(new float[] {1, -1, 2, -1}, w.toFloatArray());
    }

    @Test
    void largeRowAndColumnBiasMatchReference() {
        int n = 1000;
        int c = 100;
        Random rnd = new Random(3);
        float[] x = new float[n * c];
        float[] bias = new float[c];
        float[] colv = new float[n];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextFloat();
        for (int i = 0; i < c; i++) bias[i] = rnd.nextFloat();
        for (int i = 0; i < n; i++) colv[i] = rnd.nextFloat();
        Tensor tx = Kindling.fromArray(x, n, c);
        float[] r1 = tx.add(Kindling.fromArray(bias, c)).toFloatArray();
        float[] r2 = tx.mul(Kindling.fromArray(colv, n, 1)).toFloatArray();
        float[] r3 = Kindling.fromArray(colv, n, 1).sub(Kindling.fromArray(bias, c)).toFloatArray();
        Tensor inPlace = tx.clone();
        inPlace.div_(Kindling.fromArray(bias, c));
        float[] r4 = inPlace.toFloatArray();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                int k = i * c + j;
                assertEquals(x[k] + bias[j], r1[k], 0f);
                assertEquals(x[k] * colv[i], r2[k], 0f);
                assertEquals(colv[i] - bias[j], r3[k], 0f);
                assertEquals(x[k] / bias[j], r4[k], 0f);
            }
        }
    }

    @Test
    void shapeBroadcastUtility() {
        assertEquals(Shape.of(3, 4), Shape.broadcast(Shape.of(3, 1), Shape.of(4)));
        assertEquals(Shape.of(2, 4, 3), Shape.broadcast(Shape.of(2, 1, 3), Shape.of(4, 1)));
        assertThrows(IllegalArgumentException.class, () -> Shape.broadcast(Shape.of(2), Shape.of(3)));
    }
}
