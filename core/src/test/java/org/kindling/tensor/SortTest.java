package org.kindling.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;

class SortTest {

    private static Tensor f(float... v) {
        return Kindling.tensor(v);
    }

    private static final float NAN = Float.NaN;

    private static void assertFloats(float[] expected, Tensor actual) {
        float[] a = actual.toFloatArray();
        assertEquals(expected.length, a.length);
        for (int i = 0; i < a.length; i++) {
            if (Float.isNaN(expected[i])) assertTrue(Float.isNaN(a[i]), "NaN expected at " + i);
            else assertEquals(expected[i], a[i], 0f, "at " + i);
        }
    }

    @Test
    void sortAscendingIsStable() {
        Tensor x = f(3, 1, 2, 1, 3, 0);
        Tensor.ValuesIndices s = x.sort();
        assertArrayEquals(new float[] {0, 1, 1, 2, 3, 3}, s.values().toFloatArray());
        assertArrayEquals(new long[] {5, 1, 3, 2, 0, 4}, s.indices().toLongArray());
        assertEquals(DType.INT64, s.indices().dtype());
        assertEquals(DType.FLOAT32, s.values().dtype());
    }

    @Test
    void sortDescendingKeepsTiesInOriginalOrder() {
        Tensor x = f(3, 1, 2, 1, 3, 0);
        Tensor.ValuesIndices s = x.sort(0, true);
        assertArrayEquals(new float[] {3, 3, 2, 1, 1, 0}, s.values().toFloatArray());
        assertArrayEquals(new long[] {0, 4, 2, 1, 3, 5}, s.indices().toLongArray());
        assertArrayEquals(new long[] {0, 4, 2, 1, 3, 5}, x.argsort(0, true).toLongArray());
    }

    @Test
    void nanSortsAsLargest() {
        Tensor x = f(2, NAN, -1, Float.POSITIVE_INFINITY, NAN, 0);
        Tensor.ValuesIndices up = x.sort(0, false);
        assertFloats(new float[] {-1, 0, 2, Float.POSITIVE_INFINITY, NAN, NAN}, up.values());
        assertArrayEquals(new long[] {2, 5, 0, 3, 1, 4}, up.indices().toLongArray());
        Tensor.ValuesIndices down = x.sort(0, true);
        assertFloats(new float[] {NAN, NAN, Float.POSITIVE_INFINITY, 2, 0, -1}, down.values());
        assertArrayEquals(new long[] {1, 4, 3, 0, 5, 2}, down.indices().toLongArray());
        // -0.0 and 0.0 are equal: stable order decides
        Tensor z = f(0f, -0f, 0f);
        assertArrayEquals(new long[] {0, 1, 2}, z.sort().indices().toLongArray());
    }

    @Test
    void sortAlongDims() {
        Tensor m = Kindling.tensor(new float[][] {{3, 1, 2}, {0, 5, 4}});
        Tensor.ValuesIndices s0 = m.sort(0, false);
        assertArrayEquals(new float[] {0, 1, 2, 3, 5, 4}, s0.values().toFloatArray());
        assertArrayEquals(new long[] {1, 0, 0, 0, 1, 1}, s0.indices().toLongArray());
        Tensor.ValuesIndices s1 = m.sort(-1, true);
        assertArrayEquals(new float[] {3, 2, 1, 5, 4, 0}, s1.values().toFloatArray());
        assertArrayEquals(new long[] {0, 2, 1, 1, 2, 0}, s1.indices().toLongArray());
        assertArrayEquals(new int[] {2, 3}, s1.values().shape().toArray());
        // non-contiguous input
        Tensor t = m.t(); // [[3,0],[1,5],[2,4]]
        Tensor.ValuesIndices st = t.sort(0, false);
        assertArrayEquals(new float[] {1, 0, 2, 4, 3, 5}, st.values().toFloatArray());
        assertArrayEquals(new long[] {1, 0, 2, 2, 0, 1}, st.indices().toLongArray());
        assertArrayEquals(t.contiguous().sort(1, true).indices().toLongArray(), t.sort(1, true).indices().toLongArray());
    }

    @Test
    void sortIntegersExactly() {
        long big = (1L << 60);
        Tensor x = Kindling.tensor(new long[] {big + 1, big, -5, big + 1, Long.MIN_VALUE});
        Tensor.ValuesIndices s = x.sort();
        assertEquals(DType.INT64, s.values().dtype());
        assertArrayEquals(new long[] {Long.MIN_VALUE, -5, big, big + 1, big + 1}, s.values().toLongArray());
        assertArrayEquals(new long[] {4, 2, 1, 0, 3}, s.indices().toLongArray());
        Tensor i = Kindling.tensor(new int[] {5, -1, 3});
        assertArrayEquals(new int[] {5, 3, -1}, i.sort(0, true).values().toIntArray());
        assertEquals(DType.INT32, i.sort().values().dtype());
        Tensor b = Kindling.tensor(new boolean[] {true, false, true});
        assertArrayEquals(new long[] {1, 0, 2}, b.sort().indices().toLongArray());
    }

    @Test
    void topkLargestAndSmallest() {
        Tensor x = f(1, 5, 3, 5, 2);
        Tensor.ValuesIndices t = x.topk(2);
        assertArrayEquals(new float[] {5, 5}, t.values().toFloatArray());
        assertArrayEquals(new long[] {1, 3}, t.indices().toLongArray());
        Tensor.ValuesIndices s = x.topk(3, 0, false);
        assertArrayEquals(new float[] {1, 2, 3}, s.values().toFloatArray());
        assertArrayEquals(new long[] {0, 4, 2}, s.indices().toLongArray());
        Tensor m = Kindling.tensor(new float[][] {{1, 9, 3}, {7, 2, 8}});
        Tensor.ValuesIndices tm = m.topk(1, 0, true);
        assertArrayEquals(new int[] {1, 3}, tm.values().shape().toArray());
        assertArrayEquals(new float[] {7, 9, 8}, tm.values().toFloatArray());
        assertArrayEquals(new long[] {1, 0, 1}, tm.indices().toLongArray());
        Tensor.ValuesIndices tl = m.topk(2, -1, true);
        assertArrayEquals(new float[] {9, 3, 8, 7}, tl.values().toFloatArray());
        assertArrayEquals(new long[] {1, 2, 2, 0}, tl.indices().toLongArray());
        assertEquals(0, x.topk(0).values().numel());
        Tensor.ValuesIndices withNan = f(1, NAN, 3).topk(2);
        assertFloats(new float[] {NAN, 3}, withNan.values());
        assertArrayEquals(new long[] {1, 2}, withNan.indices().toLongArray());
    }

    @Test
    void topkOutOfRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f(1, 2, 3).topk(4));
        assertTrue(e.getMessage().contains("topk") && e.getMessage().contains("selected index k out of range"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f(1, 2, 3).topk(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> f(1, 2, 3).topk(1, 1, true));
    }

    @Test
    void largeSortMatchesReference() {
        int rows = 4;
        int n = 25_000;
        Random r = new Random(9);
        float[] x = new float[rows * n];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.floor(r.nextGaussian() * 100) / 10f; // many ties
        Tensor t = Kindling.fromArray(x, rows, n);
        Tensor.ValuesIndices s = t.sort(1, false);
        float[] v = s.values().toFloatArray();
        long[] ix = s.indices().toLongArray();
        for (int row = 0; row < rows; row++) {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) order[i] = i;
            final int base = row * n;
            Arrays.sort(order, Comparator.comparingDouble(i -> x[base + i])); // stable
            for (int i = 0; i < n; i++) {
                assertEquals(order[i].longValue(), ix[base + i]);
                assertEquals(x[base + order[i]], v[base + i], 0f);
            }
        }
        Tensor.ValuesIndices top = t.topk(10, 1, true);
        float[] tv = top.values().toFloatArray();
        for (int row = 0; row < rows; row++) {
            float[] copy = Arrays.copyOfRange(x, row * n, (row + 1) * n);
            Arrays.sort(copy);
            for (int k = 0; k < 10; k++) assertEquals(copy[n - 1 - k], tv[row * 10 + k], 0f);
        }
    }
}
