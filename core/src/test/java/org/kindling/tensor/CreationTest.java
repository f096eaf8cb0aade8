package org.kindling.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;

class CreationTest {

    @Test
    void fromNestedJavaArraysKeepsPrecision() {
        Tensor f = Kindling.tensor(new float[][] {{1, 2, 3}, {4, 5, 6}});
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(new int[] {2, 3}, f.shape().toArray());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, f.toFloatArray());
        assertEquals(DType.FLOAT64, Kindling.tensor(new double[] {0.1}).dtype());
        assertEquals(0.1, Kindling.tensor(new double[] {0.1}).item());
        assertEquals(DType.INT64, Kindling.tensor(new long[][][] {{{1}}}).dtype());
        assertEquals(DType.INT32, Kindling.tensor(new int[] {1, 2}).dtype());
        Tensor b = Kindling.tensor(new boolean[] {true, false, true});
        assertEquals(DType.BOOL, b.dtype());
        assertArrayEquals(new boolean[] {true, false, true}, b.toBooleanArray());
        assertEquals(List.of(List.of(1.0f, 2.0f, 3.0f), List.of(4.0f, 5.0f, 6.0f)), f.tolist());
        assertEquals(Long.MAX_VALUE, Kindling.tensor(new long[] {Long.MAX_VALUE}).itemLong(), "int64 stays exact");
        assertEquals(DType.FLOAT64, Kindling.tensor(new int[] {1}, DType.FLOAT64).dtype());
    }

    @Test
    void raggedArraysAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kindling.tensor(new float[][] {{1, 2}, {3}}));
        assertTrue(e.getMessage().contains("not rectangular"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Kindling.tensor("text"));
        assertThrows(IllegalArgumentException.class, () -> Kindling.fromArray(new float[5], 2, 3));
    }

    @Test
    void scalars() {
        Tensor s = Kindling.scalar(2.5);
        assertEquals(0, s.dim());
        assertEquals(DType.FLOAT32, s.dtype());
        assertEquals(2.5, s.item());
        assertEquals(DType.INT64, Kindling.scalar(3L).dtype());
        assertEquals(DType.BOOL, Kindling.tensor(true).dtype());
        assertThrows(IllegalStateException.class, () -> Kindling.ones(2).item());
    }

    @Test
    void filledFactories() {
        assertArrayEquals(new float[6], Kindling.zeros(2, 3).toFloatArray());
        assertArrayEquals(new float[] {1, 1}, Kindling.ones(2).toFloatArray());
        assertArrayEquals(new long[] {7, 7}, Kindling.full(new int[] {2}, 7, DType.INT64).toLongArray());
        assertArrayEquals(new float[] {0, 0}, Kindling.empty(2).toFloatArray());
        Tensor like = Kindling.onesLike(Kindling.zeros(new int[] {2, 2}, DType.FLOAT64));
        assertEquals(DType.FLOAT64, like.dtype());
        assertArrayEquals(new int[] {2, 2}, like.shape().toArray());
        assertArrayEquals(new double[] {3, 3}, Kindling.fullLike(Kindling.zeros(2), 3).toDoubleArray());
        assertEquals(DType.FLOAT32, Kindling.zerosLike(Kindling.ones(1)).dtype());
        assertEquals(DType.FLOAT64, Kindling.randLike(Kindling.zeros(new int[] {3}, DType.FLOAT64)).dtype());
        assertArrayEquals(new int[] {3}, Kindling.randnLike(Kindling.zeros(3)).shape().toArray());
        assertArrayEquals(new float[] {0, 0}, Kindling.emptyLike(Kindling.ones(2)).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> Kindling.zeros(2, -1));
    }

    @Test
    void rangesMatchPyTorch() {
        assertArrayEquals(new long[] {0, 1, 2, 3, 4}, Kindling.arange(5).toLongArray());
        assertArrayEquals(new long[] {1, 4, 7}, Kindling.arange(1, 10, 3).toLongArray());
        assertArrayEquals(new long[] {5, 3, 1}, Kindling.arange(5, 0, -2).toLongArray());
        Tensor f = Kindling.arange(0.0, 1.0, 0.25);
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f}, f.toFloatArray());
        // torch.arange(1, 2.5, 0.5) -> [1.0, 1.5, 2.0]
        assertArrayEquals(new float[] {1f, 1.5f, 2f}, Kindling.arange(1.0, 2.5, 0.5).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> Kindling.arange(0, 5, 0));
        assertThrows(IllegalArgumentException.class, () -> Kindling.arange(5, 0, 1));
        assertArrayEquals(new float[] {-1f, -0.5f, 0f, 0.5f, 1f}, Kindling.linspace(-1, 1, 5).toFloatArray());
        // torch.linspace(0, 1, 7)[3] is exactly 0.5 and the end point is exact.
        float[] l = Kindling.linspace(0, 1, 7).toFloatArray();
        assertEquals(0.5f, l[3]);
        assertEquals(1f, l[6]);
        assertArrayEquals(new float[] {3f}, Kindling.linspace(3, 9, 1).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0}, Kindling.eye(2, 3).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 0, 1}, Kindling.eye(2).toFloatArray());
    }

    @Test
    void seededRandomIsReproducible() {
        Kindling.manualSeed(7);
        Tensor a = Kindling.randn(4, 5);
        Tensor r = Kindling.rand(10);
        Tensor i = Kindling.randint(3, 9, 20);
        Kindling.manualSeed(7);
        assertTrue(a.equal(Kindling.randn(4, 5)));
        assertTrue(r.equal(Kindling.rand(10)));
        assertTrue(i.equal(Kindling.randint(3, 9, 20)));
        Kindling.manualSeed(8);
        assertFalse(a.equal(Kindling.randn(4, 5)));
        Generator g1 = new Generator(99);
        Generator g2 = new Generator(99);
        assertTrue(Kindling.normal(new int[] {5}, 0, 1, g1).equal(Kindling.normal(new int[] {5}, 0, 1, g2)));
    }

    @Test
    void distributionsHaveTheRightMoments() {
        Kindling.manualSeed(1);
        double[] n = Kindling.normal(3.0, 2.0, 200_000).toDoubleArray();
        double mean = 0;
        for (double v : n) mean += v;
        mean /= n.length;
        double var = 0;
        for (double v : n) var += (v - mean) * (v - mean);
        var /= n.length - 1;
        assertEquals(3.0, mean, 0.02);
        assertEquals(4.0, var, 0.05);
        double[] u = Kindling.uniform(-2, 6, 200_000).toDoubleArray();
        double umin = Double.MAX_VALUE;
        double umax = -Double.MAX_VALUE;
        double usum = 0;
        for (double v : u) {
            umin = Math.min(umin, v);
            umax = Math.max(umax, v);
            usum += v;
        }
        assertTrue(umin >= -2 && umax < 6);
        assertEquals(2.0, usum / u.length, 0.03);
        long[] ri = Kindling.randint(0, 4, 100_000).toLongArray();
        int[] counts = new int[4];
        for (long v : ri) counts[(int) v]++;
        for (int c : counts) assertEquals(25_000, c, 600);
        double[] bern = Kindling.bernoulli(0.3, 100_000).toDoubleArray();
        double ones = 0;
        for (double v : bern) {
            assertTrue(v == 0 || v == 1);
            ones += v;
        }
        assertEquals(0.3, ones / bern.length, 0.01);
        Tensor p = Kindling.tensor(new float[] {0f, 1f, 0f, 1f});
        assertArrayEquals(new float[] {0, 1, 0, 1}, Kindling.bernoulli(p).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> Kindling.bernoulli(Kindling.tensor(new float[] {1.5f})));
        assertThrows(IllegalArgumentException.class, () -> Kindling.normal(0, -1, 3));
    }

    @Test
    void randpermIsAPermutation() {
        Kindling.manualSeed(3);
        long[] p = Kindling.randperm(1000).toLongArray();
        Set<Long> seen = new HashSet<>();
        for (long v : p) seen.add(v);
        assertEquals(1000, seen.size());
        assertTrue(seen.contains(0L) && seen.contains(999L));
        assertNotEquals(0L, p[0] + p[1] * 1000 - 1, "not the identity");
        boolean identity = true;
        for (int i = 0; i < p.length; i++) identity &= p[i] == i;
        assertFalse(identity);
    }

    @Test
    void conversionsBetweenDtypes() {
        Tensor f = Kindling.tensor(new float[] {-1.7f, 0f, 2.9f});
        assertArrayEquals(new long[] {-1, 0, 2}, f.to(DType.INT64).toLongArray(), "truncation toward zero");
        assertArrayEquals(new boolean[] {true, false, true}, f.to(DType.BOOL).toBooleanArray());
        assertEquals(DType.FLOAT64, f.to(DType.FLOAT64).dtype());
        assertArrayEquals(new int[] {-1, 0, 2}, f.toIntArray());
        assertEquals(Device.CPU, f.device());
        assertThrows(UnsupportedOperationException.class, () -> f.to(Device.cuda(0)));
    }
}
