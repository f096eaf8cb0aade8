package org.kindling.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kindling.Kindling;

class TypePromotionTest {

    private static final DType[] ALL = {DType.BOOL, DType.INT32, DType.INT64, DType.FLOAT32, DType.FLOAT64};

    private static Tensor vec(DType t) {
        return Kindling.ones(new int[] {3}, t);
    }

    private static Tensor zeroDim(DType t) {
        return Kindling.ones(new int[0], t);
    }

    @Test
    void dimensionedOperandsPromoteNormally() {
        // torch.promote_types order: bool < int32 < int64 < float32 < float64
        for (int i = 0; i < ALL.length; i++) {
            for (int j = 0; j < ALL.length; j++) {
                DType expected = ALL[Math.max(i, j)];
                assertEquals(expected, vec(ALL[i]).add(vec(ALL[j])).dtype(), ALL[i] + " + " + ALL[j]);
                assertEquals(expected, vec(ALL[i]).maximum(vec(ALL[j])).dtype(), ALL[i] + " max " + ALL[j]);
            }
        }
        assertEquals(DType.FLOAT32, vec(DType.INT64).add(vec(DType.FLOAT32)).dtype());
    }

    @Test
    void zeroDimOperandsOnlyRaiseTheCategory() {
        assertEquals(DType.FLOAT32, vec(DType.FLOAT32).add(zeroDim(DType.FLOAT64)).dtype());
        assertEquals(DType.FLOAT64, vec(DType.INT32).add(zeroDim(DType.FLOAT64)).dtype());
        assertEquals(DType.FLOAT32, vec(DType.INT64).add(zeroDim(DType.FLOAT32)).dtype());
        assertEquals(DType.INT64, vec(DType.INT64).add(zeroDim(DType.INT32)).dtype());
        assertEquals(DType.INT32, vec(DType.INT32).add(zeroDim(DType.INT64)).dtype());
        assertEquals(DType.INT64, vec(DType.BOOL).add(zeroDim(DType.INT64)).dtype());
        assertEquals(DType.FLOAT64, vec(DType.BOOL).add(zeroDim(DType.FLOAT64)).dtype());
        assertEquals(DType.INT32, vec(DType.INT32).add(zeroDim(DType.BOOL)).dtype());
        // order does not matter
        assertEquals(DType.FLOAT32, zeroDim(DType.FLOAT64).mul(vec(DType.FLOAT32)).dtype());
        assertEquals(DType.FLOAT64, zeroDim(DType.FLOAT64).mul(vec(DType.INT32)).dtype());
        // all 0-dim: normal promotion
        assertEquals(DType.FLOAT64, zeroDim(DType.FLOAT32).add(zeroDim(DType.FLOAT64)).dtype());
        assertEquals(DType.INT64, zeroDim(DType.INT32).add(zeroDim(DType.INT64)).dtype());
        // values survive the promotion
        Tensor r = Kindling.tensor(new int[] {1, 2}).add(Kindling.tensor(new double[] {0.25}).reshape());
        assertEquals(DType.FLOAT64, r.dtype());
        assertArrayEquals(new double[] {1.25, 2.25}, r.toDoubleArray());
    }

    @Test
    void javaScalarsBehaveLikePythonScalars() {
        assertEquals(DType.FLOAT32, vec(DType.INT64).add(2.5).dtype());
        assertArrayEquals(new float[] {3.5f, 3.5f, 3.5f}, vec(DType.INT64).add(2.5).toFloatArray());
        assertEquals(DType.INT32, vec(DType.INT32).add(2L).dtype());
        assertEquals(DType.FLOAT64, vec(DType.FLOAT64).mul(2.5).dtype());
        assertEquals(DType.FLOAT32, vec(DType.FLOAT32).mul(2L).dtype());
        assertEquals(DType.INT64, vec(DType.BOOL).add(1L).dtype());
        assertArrayEquals(new long[] {2, 2, 2}, vec(DType.BOOL).add(1L).toLongArray());
    }

    @Test
    void divisionRules() {
        assertEquals(DType.FLOAT32, vec(DType.INT64).div(vec(DType.INT64)).dtype());
        assertEquals(DType.FLOAT32, vec(DType.INT32).div(vec(DType.INT32)).dtype());
        assertEquals(DType.FLOAT32, vec(DType.BOOL).div(vec(DType.BOOL)).dtype());
        assertEquals(DType.FLOAT64, vec(DType.INT64).div(vec(DType.FLOAT64)).dtype());
        assertEquals(DType.INT64, vec(DType.INT64).floorDivide(vec(DType.INT32)).dtype());
        assertEquals(DType.INT32, vec(DType.INT32).remainder(vec(DType.INT32)).dtype());
        assertEquals(DType.FLOAT32, vec(DType.INT32).floorDivide(2.0).dtype());
        assertEquals(DType.INT64, vec(DType.INT64).pow(vec(DType.INT64)).dtype());
        assertEquals(DType.FLOAT32, vec(DType.INT64).pow(0.5).dtype());
    }

    @Test
    void comparisonsAreComputedInThePromotedTypeAndGiveBool() {
        for (DType a : ALL) {
            for (DType b : ALL) assertEquals(DType.BOOL, vec(a).eq(vec(b)).dtype());
        }
        // int32 3 vs float 2.5: compared as float, not truncated
        Tensor r = Kindling.tensor(new int[] {2, 3}).gt(2.5);
        assertArrayEquals(new boolean[] {false, true}, r.toBooleanArray());
        assertArrayEquals(new boolean[] {true, false},
                Kindling.tensor(new boolean[] {true, false}).eq(Kindling.tensor(new long[] {1, 1})).toBooleanArray());
    }

    @Test
    void boolArithmetic() {
        Tensor t = Kindling.tensor(new boolean[] {true, true, false, false});
        Tensor u = Kindling.tensor(new boolean[] {true, false, true, false});
        Tensor s = t.add(u);
        assertEquals(DType.BOOL, s.dtype());
        assertArrayEquals(new boolean[] {true, true, true, false}, s.toBooleanArray());
        assertArrayEquals(new boolean[] {true, false, false, false}, t.mul(u).toBooleanArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.sub(u));
        assertTrue(e.getMessage().contains("sub"), e.getMessage());
        assertEquals(DType.INT64, t.square().dtype());
        assertEquals(DType.BOOL, t.abs().dtype());
    }

    @Test
    void inPlaceCasting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> vec(DType.INT64).add_(vec(DType.FLOAT32)));
        assertTrue(e.getMessage().contains("result type Float can't be cast to the desired output type Long"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> vec(DType.INT32).mul_(zeroDim(DType.FLOAT64)));
        assertTrue(e.getMessage().contains("result type Double can't be cast to the desired output type Int"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> vec(DType.BOOL).add_(vec(DType.INT64)));
        assertTrue(e.getMessage().contains("Long") && e.getMessage().contains("Bool"), e.getMessage());
        Tensor f = vec(DType.FLOAT32);
        f.add_(vec(DType.FLOAT64));
        assertEquals(DType.FLOAT32, f.dtype());
        f.add_(vec(DType.INT64));
        assertArrayEquals(new float[] {3, 3, 3}, f.toFloatArray());
        Tensor i = vec(DType.INT32);
        i.add_(vec(DType.INT64));
        assertEquals(DType.INT32, i.dtype());
        assertArrayEquals(new int[] {2, 2, 2}, i.toIntArray());
    }

    @Test
    void unaryAndReductionResultTypes() {
        assertEquals(DType.FLOAT32, vec(DType.INT64).exp().dtype());
        assertEquals(DType.FLOAT32, vec(DType.INT32).tanh().dtype());
        assertEquals(DType.FLOAT64, vec(DType.FLOAT64).exp().dtype());
        assertEquals(DType.INT32, vec(DType.INT32).neg().dtype());
        assertEquals(DType.INT64, vec(DType.INT32).sum().dtype());
        assertEquals(DType.INT64, vec(DType.BOOL).sum().dtype());
        assertEquals(3L, vec(DType.BOOL).sum().itemLong());
        assertEquals(DType.FLOAT64, vec(DType.FLOAT64).sum().dtype());
        assertEquals(DType.INT64, vec(DType.INT32).cumsum(0).dtype());
        assertEquals(DType.FLOAT32, vec(DType.INT64).softmax(0).dtype());
        assertEquals(DType.INT32, vec(DType.INT32).amax(0).dtype());
        assertEquals(DType.INT64, vec(DType.INT32).prod().dtype());
        assertEquals(DType.BOOL, vec(DType.FLOAT32).all().dtype());
        assertEquals(DType.INT32, vec(DType.INT32).clamp(0, 1).dtype());
        assertEquals(DType.FLOAT32, vec(DType.INT32).norm().dtype());
    }
}
