package org.kindling.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;

class ElementwiseTest {

    static Tensor f(float... v) {
        return Kindling.tensor(v);
    }

    static Tensor d(double... v) {
        return Kindling.tensor(v);
    }

    static Tensor l(long... v) {
        return Kindling.tensor(v);
    }

    static void assertClose(float[] expected, Tensor actual, double tol) {
        float[] a = actual.toFloatArray();
        assertEquals(expected.length, a.length, "length");
        for (int i = 0; i < a.length; i++) {
            if (Float.isNaN(expected[i])) {
                assertTrue(Float.isNaN(a[i]), "expected NaN at " + i + " but got " + a[i]);
            } else {
                assertEquals(expected[i], a[i], tol * Math.max(1, Math.abs(expected[i])), "at " + i);
            }
        }
    }

    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextGaussian() * 2);
        return x;
    }

    // ------------------------------------------------------------ arithmetic

    @Test
    void addSubMulDivValues() {
        Tensor a = f(1, 2, 3, 4);
        Tensor b = f(0.5f, -1, 2, 8);
        assertArrayEquals(new float[] {1.5f, 1, 5, 12}, a.add(b).toFloatArray());
        assertArrayEquals(new float[] {0.5f, 3, 1, -4}, a.sub(b).toFloatArray());
        assertArrayEquals(new float[] {0.5f, -2, 6, 32}, a.mul(b).toFloatArray());
        assertArrayEquals(new float[] {2, -2, 1.5f, 0.5f}, a.div(b).toFloatArray());
        assertArrayEquals(new float[] {3, 4, 5, 6}, a.add(2.0).toFloatArray());
        assertArrayEquals(new float[] {1, 0, -1, -2}, a.rsub(2.0).toFloatArray());
        assertArrayEquals(new float[] {2, 4, 6, 8}, a.mul(2L).toFloatArray());
        assertArrayEquals(new float[] {1 + 2 * 0.5f, 2 - 2, 3 + 4, 4 + 16}, a.add(b, 2).toFloatArray());
        assertEquals(DType.FLOAT32, a.add(b).dtype());
    }

    @Test
    void float64AndIntArithmetic() {
        Tensor a = d(1.5, -2.25, 1e300);
        Tensor b = d(0.5, 0.25, 1e300);
        assertArrayEquals(new double[] {2.0, -2.0, 2e300}, a.add(b).toDoubleArray());
        assertArrayEquals(new double[] {1.0, -2.5, 0}, a.sub(b).toDoubleArray());
        assertArrayEquals(new double[] {3.0, -9.0, 1.0}, a.div(b).toDoubleArray());
        Tensor i = l(5, -7, Long.MAX_VALUE);
        Tensor j = l(3, 2, 1);
        assertArrayEquals(new long[] {8, -5, Long.MIN_VALUE}, i.add(j).toLongArray()); // wraps like int64
        assertArrayEquals(new long[] {15, -14, Long.MAX_VALUE}, i.mul(j).toLongArray());
        assertEquals(DType.INT64, i.sub(j).dtype());
        Tensor i32 = Kindling.tensor(new int[] {Integer.MAX_VALUE, 4});
        assertArrayEquals(new int[] {Integer.MIN_VALUE, 5}, i32.add(Kindling.tensor(new int[] {1, 1})).toIntArray());
    }

    @Test
    void trueDivisionOfIntegersGivesFloat32() {
        Tensor r = l(-7, 7, 1).div(2L);
        assertEquals(DType.FLOAT32, r.dtype());
        assertArrayEquals(new float[] {-3.5f, 3.5f, 0.5f}, r.toFloatArray());
        Tensor z = f(1, -1, 0).div(0.0);
        assertEquals(Float.POSITIVE_INFINITY, z.toFloatArray()[0]);
        assertEquals(Float.NEGATIVE_INFINITY, z.toFloatArray()[1]);
        assertTrue(Float.isNaN(z.toFloatArray()[2]));
    }

    @Test
    void floorDivideAndRemainderFollowPython() {
        Tensor fd = l(-7, 7).floorDivide(2L);
        assertEquals(DType.INT64, fd.dtype());
        assertArrayEquals(new long[] {-4, 3}, fd.toLongArray());
        assertArrayEquals(new float[] {-4, 3}, f(-7.5f, 7.5f).floorDivide(2.0).toFloatArray());
        assertArrayEquals(new float[] {1, 1}, f(-3, 3).remainder(2.0).toFloatArray());
        assertArrayEquals(new float[] {-1, -1}, f(-3, 3).remainder(-2.0).toFloatArray());
        assertArrayEquals(new long[] {1, 1, 0}, l(-3, 3, 4).remainder(2L).toLongArray());
        assertArrayEquals(new long[] {-1, -1}, l(-3, 3).remainder(-2L).toLongArray());
        assertArrayEquals(new long[] {1, -2}, l(-3, 3).floorDivide(-2L).toLongArray());
        Tensor i32 = Kindling.tensor(new int[] {-7, 7});
        assertArrayEquals(new int[] {-4, 3}, i32.floorDivide(Kindling.tensor(new int[] {2, 2})).toIntArray());
    }

    @Test
    void integerDivisionByZeroThrowsNamingTheOp() {
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> l(1, 2).floorDivide(l(1, 0)));
        assertTrue(e.getMessage().contains("floorDivide"), e.getMessage());
        e = assertThrows(ArithmeticException.class, () -> l(1, 2).remainder(0L));
        assertTrue(e.getMessage().contains("remainder"), e.getMessage());
        // large input goes through the same checks without losing the message
        Tensor big = Kindling.ones(new int[] {100_000}, DType.INT64);
        e = assertThrows(ArithmeticException.class, () -> big.floorDivide(Kindling.zeros(new int[] {100_000}, DType.INT64)));
        assertTrue(e.getMessage().contains("floorDivide"), e.getMessage());
    }

    @Test
    void powKeepsIntegersAndComputesFloats() {
        Tensor p = l(2, 3, -2).pow(l(3, 2, 3));
        assertEquals(DType.INT64, p.dtype());
        assertArrayEquals(new long[] {8, 9, -8}, p.toLongArray());
        assertArrayEquals(new long[] {4, 9}, l(2, 3).pow(2L).toLongArray());
        assertArrayEquals(new float[] {2, 3, 0.5f}, f(4, 9, 0.25f).pow(0.5).toFloatArray());
        assertArrayEquals(new float[] {1, 8}, f(1, 2).pow(f(5, 3)).toFloatArray());
        assertEquals(DType.FLOAT32, l(2, 4).pow(0.5).dtype());
        assertArrayEquals(new float[] {(float) Math.sqrt(2), 2}, l(2, 4).pow(0.5).toFloatArray(), 1e-6f);
        // Integer pow to a negative power truncates like PyTorch: 2^-1 -> 0, 1^-1 -> 1, (-1)^-3 -> -1.
        assertArrayEquals(new long[] {0, 1, -1}, l(2, 1, -1).pow(l(-1, -1, -3)).toLongArray());
        Tensor x = f(1, 2, 3);
        x.pow_(2.0);
        assertArrayEquals(new float[] {1, 4, 9}, x.toFloatArray());
    }

    @Test
    void minimumMaximumPropagateNan() {
        Tensor a = f(1, Float.NaN, 5, -0f);
        Tensor b = f(2, 0, Float.NaN, 3);
        assertClose(new float[] {2, Float.NaN, Float.NaN, 3}, a.maximum(b), 0);
        assertClose(new float[] {1, Float.NaN, Float.NaN, -0f}, a.minimum(b), 0);
        assertArrayEquals(new long[] {3, 4}, l(1, 4).maximum(l(3, 2)).toLongArray());
        assertArrayEquals(new long[] {1, 2}, l(1, 4).minimum(l(3, 2)).toLongArray());
    }

    // ------------------------------------------------------------ unary

    @Test
    void basicUnaryOps() {
        Tensor x = f(-2, -0.5f, 0, 1.5f, Float.NaN);
        assertClose(new float[] {2, 0.5f, -0f, -1.5f, Float.NaN}, x.neg(), 0);
        assertClose(new float[] {2, 0.5f, 0, 1.5f, Float.NaN}, x.abs(), 0);
        // torch.sign(nan) is 0 (PyTorch 1.13, see reference/tensor_ops.txt sign_special).
        assertClose(new float[] {-1, -1, 0, 1, 0}, x.sign(), 0);
        assertClose(new float[] {4, 0.25f, 0, 2.25f, Float.NaN}, x.square(), 0);
        assertClose(new float[] {0, 0, 0, 1.5f, Float.NaN}, x.relu(), 0);
        assertClose(new float[] {-0.5f, -2, Float.POSITIVE_INFINITY, 1 / 1.5f, Float.NaN}, x.reciprocal(), 1e-7);
    }

    @Test
    void transcendentalOpsMatchMath() {
        float[] v = {-3f, -1f, -0.25f, 0f, 0.5f, 2f, 10f};
        Tensor x = f(v);
        check(x.exp(), v, Math::exp);
        check(x.expm1(), v, Math::expm1);
        check(x.sin(), v, Math::sin);
        check(x.cos(), v, Math::cos);
        check(x.tanh(), v, Math::tanh);
        check(x.sigmoid(), v, t -> 1 / (1 + Math.exp(-t)));
        float[] pos = {0.001f, 0.5f, 1f, 4f, 100f};
        Tensor p = f(pos);
        check(p.log(), pos, Math::log);
        check(p.log1p(), pos, Math::log1p);
        check(p.sqrt(), pos, Math::sqrt);
        check(p.rsqrt(), pos, t -> 1 / Math.sqrt(t));
        assertTrue(Float.isNaN(f(-1).sqrt().toFloatArray()[0]));
        assertEquals(Float.NEGATIVE_INFINITY, f(0).log().toFloatArray()[0]);
    }

    private static void check(Tensor actual, float[] in, DoubleUnaryOperator ref) {
        float[] out = actual.toFloatArray();
        for (int i = 0; i < in.length; i++) {
            double e = ref.applyAsDouble(in[i]);
            assertEquals(e, out[i], 2e-6 * Math.max(1, Math.abs(e)), "input " + in[i]);
        }
    }

    @Test
    void activationsKnownValues() {
        Tensor one = f(1f);
        assertEquals(0.8413447f, one.gelu().toFloatArray()[0], 1e-6f);
        assertEquals(0.8413447f, one.gelu("none").toFloatArray()[0], 1e-6f);
        assertEquals(0.8411920f, one.gelu("tanh").toFloatArray()[0], 1e-6f);
        assertEquals(1.3132616f, one.softplus().toFloatArray()[0], 1e-6f);
        assertEquals(0.7310586f, one.silu().toFloatArray()[0], 1e-6f);
        assertEquals(0.7310586f, one.sigmoid().toFloatArray()[0], 1e-6f);
        assertArrayEquals(new float[] {0f, 30f}, f(-100f, 30f).softplus().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {-0.15865526f, 0f}, f(-1f, 0f).gelu().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {-0.26894143f}, f(-1f).silu().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {0f, 1f}, f(-200f, 200f).sigmoid().toFloatArray(), 0f);
        assertThrows(IllegalArgumentException.class, () -> one.gelu("fast"));
    }

    @Test
    void roundingOps() {
        Tensor x = f(-1.5f, -0.5f, 0.5f, 1.5f, 2.5f);
        float[] r = x.round().toFloatArray();
        assertArrayEquals(new float[] {-2, -0f, 0, 2, 2}, r);
        assertEquals(Float.NEGATIVE_INFINITY, 1 / r[1], "round(-0.5) is -0");
        assertArrayEquals(new float[] {-2, -1, 0, 1, 2}, x.floor().toFloatArray());
        assertArrayEquals(new float[] {-1, -0f, 1, 2, 3}, x.ceil().toFloatArray());
        Tensor i = l(-3, 4);
        for (Tensor t : new Tensor[] {i.floor(), i.ceil(), i.round()}) {
            assertEquals(DType.INT64, t.dtype());
            assertArrayEquals(new long[] {-3, 4}, t.toLongArray());
            assertFalse(t.sharesStorageWith(i), "rounding an integer tensor returns a copy");
        }
    }

    @Test
    void integerUnaryKeepsOrPromotesDtype() {
        Tensor i = l(-3, 0, 4);
        assertEquals(DType.INT64, i.neg().dtype());
        assertArrayEquals(new long[] {3, 0, -4}, i.neg().toLongArray());
        assertArrayEquals(new long[] {3, 0, 4}, i.abs().toLongArray());
        assertArrayEquals(new long[] {-1, 0, 1}, i.sign().toLongArray());
        assertArrayEquals(new long[] {9, 0, 16}, i.square().toLongArray());
        assertArrayEquals(new long[] {0, 0, 4}, i.relu().toLongArray());
        Tensor e = i.exp();
        assertEquals(DType.FLOAT32, e.dtype());
        assertArrayEquals(new float[] {(float) Math.exp(-3), 1, (float) Math.exp(4)}, e.toFloatArray(), 1e-5f);
        Tensor i32 = Kindling.tensor(new int[] {-2, 5});
        assertEquals(DType.INT32, i32.abs().dtype());
        assertEquals(DType.FLOAT32, i32.sqrt().dtype());
        assertEquals(DType.FLOAT64, d(4).sqrt().dtype());
        assertArrayEquals(new double[] {2}, d(4).sqrt().toDoubleArray());
        Tensor b = Kindling.tensor(new boolean[] {true, false});
        assertEquals(DType.FLOAT32, b.sigmoid().dtype());
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, b::neg);
        assertTrue(ex.getMessage().contains("neg") && ex.getMessage().contains("bool"), ex.getMessage());
    }

    @Test
    void clampKeepsDtypeAndPropagatesNan() {
        Tensor x = f(-5, 0.5f, 7, Float.NaN);
        assertClose(new float[] {-1, 0.5f, 2, Float.NaN}, x.clamp(-1, 2), 0);
        assertClose(new float[] {0, 0.5f, 7, Float.NaN}, x.clampMin(0), 0);
        assertClose(new float[] {-5, 0.5f, 1, Float.NaN}, x.clampMax(1), 0);
        assertClose(new float[] {1, 1, 1, Float.NaN}, x.clamp(3, 1), 0); // min > max gives max, as PyTorch
        Tensor i = l(-5, 3, 9);
        Tensor ci = i.clamp(0, 4);
        assertEquals(DType.INT64, ci.dtype());
        assertArrayEquals(new long[] {0, 3, 4}, ci.toLongArray());
        Tensor dd = d(-5, 2.5, 9).clamp(0, 4);
        assertEquals(DType.FLOAT64, dd.dtype());
        assertArrayEquals(new double[] {0, 2.5, 4}, dd.toDoubleArray());
    }

    // ------------------------------------------------------------ comparison and logic

    @Test
    void comparisons() {
        Tensor a = f(1, 2, 3, Float.NaN);
        Tensor b = f(2, 2, 2, Float.NaN);
        assertArrayEquals(new boolean[] {false, true, false, false}, a.eq(b).toBooleanArray());
        assertArrayEquals(new boolean[] {true, false, true, true}, a.ne(b).toBooleanArray());
        assertArrayEquals(new boolean[] {true, false, false, false}, a.lt(b).toBooleanArray());
        assertArrayEquals(new boolean[] {true, true, false, false}, a.le(b).toBooleanArray());
        assertArrayEquals(new boolean[] {false, false, true, false}, a.gt(b).toBooleanArray());
        assertArrayEquals(new boolean[] {false, true, true, false}, a.ge(b).toBooleanArray());
        assertEquals(DType.BOOL, a.eq(b).dtype());
        assertArrayEquals(new boolean[] {false, false, true, false}, a.gt(2.0).toBooleanArray());
        // computed in the promoted type: int64 vs float32 compares as float
        assertArrayEquals(new boolean[] {true, false}, l(1, 2).eq(f(1f, 2.5f)).toBooleanArray());
        assertArrayEquals(new boolean[] {false, true}, l(1, 3).gt(f(1.5f, 2.5f)).toBooleanArray());
        // int64 beyond 2^53 compares exactly
        long big = (1L << 53) + 1;
        assertArrayEquals(new boolean[] {true}, l(big).ne(l(big - 1)).toBooleanArray());
        assertArrayEquals(new boolean[] {true, false}, Kindling.tensor(new boolean[] {true, false})
                .eq(Kindling.tensor(new boolean[] {true, true})).toBooleanArray());
    }

    @Test
    void logicalOpsUseTruthiness() {
        Tensor a = f(0, 1, -2, Float.NaN);
        Tensor b = l(0, 0, 5, 0);
        assertArrayEquals(new boolean[] {false, false, true, false}, a.logicalAnd(b).toBooleanArray());
        assertArrayEquals(new boolean[] {false, true, true, true}, a.logicalOr(b).toBooleanArray());
        assertArrayEquals(new boolean[] {false, true, false, true}, a.logicalXor(b).toBooleanArray());
        assertArrayEquals(new boolean[] {true, false, false, false}, a.logicalNot().toBooleanArray());
        assertEquals(DType.BOOL, a.logicalNot().dtype());
        assertEquals(DType.BOOL, a.logicalAnd(b).dtype());
    }

    @Test
    void isnanIsinf() {
        Tensor x = d(1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        assertArrayEquals(new boolean[] {false, true, false, false}, x.isnan().toBooleanArray());
        assertArrayEquals(new boolean[] {false, false, true, true}, x.isinf().toBooleanArray());
        assertArrayEquals(new boolean[] {false, true}, f(0, Float.NaN).isnan().toBooleanArray());
        Tensor i = l(1, Long.MAX_VALUE);
        assertArrayEquals(new boolean[] {false, false}, i.isnan().toBooleanArray());
        assertArrayEquals(new boolean[] {false, false}, i.isinf().toBooleanArray());
        assertEquals(DType.BOOL, i.isinf().dtype());
    }

    @Test
    void whereSelectsAndChecksCondition() {
        Tensor cond = Kindling.tensor(new boolean[] {true, false, true});
        Tensor r = Kindling.where(cond, f(1, 2, 3), f(10, 20, 30));
        assertArrayEquals(new float[] {1, 20, 3}, r.toFloatArray());
        Tensor mixed = Kindling.where(cond, l(1, 2, 3), d(0.5));
        assertEquals(DType.FLOAT64, mixed.dtype());
        assertArrayEquals(new double[] {1, 0.5, 3}, mixed.toDoubleArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kindling.where(f(1, 0, 1), f(1, 2, 3), f(4, 5, 6)));
        assertTrue(e.getMessage().contains("where") && e.getMessage().contains("bool"), e.getMessage());
        Tensor x = f(-1, 2, -3);
        assertArrayEquals(new float[] {0, 2, 0}, x.where(x.gt(0.0), Kindling.zeros(3)).toFloatArray());
    }

    // ------------------------------------------------------------ in place

    @Test
    void inPlaceArithmetic() {
        Tensor x = f(1, 2, 3);
        assertSame(x, x.add_(f(1, 1, 1)));
        assertArrayEquals(new float[] {2, 3, 4}, x.toFloatArray());
        x.sub_(1.0);
        assertArrayEquals(new float[] {1, 2, 3}, x.toFloatArray());
        x.mul_(f(2, 3, 4));
        assertArrayEquals(new float[] {2, 6, 12}, x.toFloatArray());
        x.div_(2.0);
        assertArrayEquals(new float[] {1, 3, 6}, x.toFloatArray());
        x.add_(f(1, 1, 1), 0.5);
        assertArrayEquals(new float[] {1.5f, 3.5f, 6.5f}, x.toFloatArray());
        x.fill_(7);
        assertArrayEquals(new float[] {7, 7, 7}, x.toFloatArray());
        x.zero_();
        assertArrayEquals(new float[] {0, 0, 0}, x.toFloatArray());
        x.copy_(l(4, 5, 6));
        assertArrayEquals(new float[] {4, 5, 6}, x.toFloatArray());
        x.clamp_(4.5, 5.5);
        assertArrayEquals(new float[] {4.5f, 5, 5.5f}, x.toFloatArray());
        Tensor i = l(1, 2);
        i.add_(l(3, 4)).mul_(l(2, 2));
        assertArrayEquals(new long[] {8, 12}, i.toLongArray());
        i.fill_(3.9);
        assertArrayEquals(new long[] {3, 3}, i.toLongArray());
    }

    @Test
    void inPlaceUnary() {
        Tensor x = f(-1, 4);
        x.neg_();
        assertArrayEquals(new float[] {1, -4}, x.toFloatArray());
        x.abs_();
        assertArrayEquals(new float[] {1, 4}, x.toFloatArray());
        x.sqrt_();
        assertArrayEquals(new float[] {1, 2}, x.toFloatArray());
        x.log_();
        assertArrayEquals(new float[] {0, (float) Math.log(2)}, x.toFloatArray(), 1e-7f);
        x.exp_();
        assertArrayEquals(new float[] {1, 2}, x.toFloatArray(), 1e-6f);
        x.sub_(1.5).relu_();
        assertArrayEquals(new float[] {0, 0.5f}, x.toFloatArray());
        x.sigmoid_();
        assertArrayEquals(new float[] {0.5f, 0.62245935f}, x.toFloatArray(), 1e-6f);
        x.tanh_();
        assertArrayEquals(new float[] {(float) Math.tanh(0.5), (float) Math.tanh(0.62245935)}, x.toFloatArray(), 1e-6f);
        Tensor i = l(-2, 3);
        i.neg_().abs_().relu_();
        assertArrayEquals(new long[] {2, 3}, i.toLongArray());
    }

    @Test
    void inPlaceTypeErrorsNameBothDtypes() {
        Tensor i = l(1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> i.div_(2.0));
        assertTrue(e.getMessage().contains("div_"), e.getMessage());
        assertTrue(e.getMessage().contains("result type Float can't be cast to the desired output type Long"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> i.add_(f(0.5f, 1)));
        assertTrue(e.getMessage().contains("Float") && e.getMessage().contains("Long"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, i::exp_);
        assertTrue(e.getMessage().contains("exp_") && e.getMessage().contains("Long"), e.getMessage());
        assertArrayEquals(new long[] {1, 2}, i.toLongArray(), "a failed in-place op leaves self unchanged");
        Tensor e2 = Kindling.zeros(3).expand(2, 3);
        assertThrows(IllegalArgumentException.class, () -> e2.add_(1.0));
    }

    @Test
    void inPlaceOnViewsChangesTheBase() {
        Tensor base = Kindling.zeros(3, 4);
        base.select(1, 1).add_(5.0);
        base.t().select(0, 3).fill_(2); // column 3 through a transposed view
        base.slice(1, 0, 4, 2).select(0, 2).sub_(1.0); // row 2, columns 0 and 2
        assertArrayEquals(new float[] {
            0, 5, 0, 2,
            0, 5, 0, 2,
            -1, 5, -1, 2}, base.toFloatArray());
        Tensor b2 = Kindling.arange(12).reshape(3, 4).to(DType.FLOAT32);
        b2.t().mul_(f(1, 10, 100)); // transposed view times a row vector = scaling rows of the base
        assertArrayEquals(new float[] {0, 1, 2, 3, 40, 50, 60, 70, 800, 900, 1000, 1100}, b2.toFloatArray());
        Tensor i = Kindling.arange(6);
        i.slice(0, 1, 6, 2).mul_(l(-1));
        assertArrayEquals(new long[] {0, -1, 2, -3, 4, -5}, i.toLongArray());
        Tensor u = f(1, 2, 3, 4);
        u.narrow(0, 1, 2).neg_();
        u.narrow(0, 2, 2).zero_();
        assertArrayEquals(new float[] {1, -2, 0, 0}, u.toFloatArray());
        Tensor c = Kindling.zeros(2, 3);
        c.t().copy_(Kindling.tensor(new float[][] {{1, 2}, {3, 4}, {5, 6}}));
        assertArrayEquals(new float[] {1, 3, 5, 2, 4, 6}, c.toFloatArray());
        c.t().clamp_(2, 5);
        assertArrayEquals(new float[] {2, 3, 5, 2, 4, 5}, c.toFloatArray());
    }

    @Test
    void inPlaceWithAliasedOperands() {
        Tensor x = f(1, 2, 3);
        x.add_(x);
        assertArrayEquals(new float[] {2, 4, 6}, x.toFloatArray());
        x.mul_(x);
        assertArrayEquals(new float[] {4, 16, 36}, x.toFloatArray());
        Tensor m = Kindling.arange(9).reshape(3, 3).to(DType.FLOAT32);
        Tensor mt = m.clone().t().contiguous();
        Tensor expected = m.add(mt);
        m.add_(m.t());
        assertArrayEquals(expected.toFloatArray(), m.toFloatArray());
        // shifted overlap: every element reads the old neighbour
        Tensor s = f(1, 2, 3, 4, 5);
        s.narrow(0, 1, 4).add_(s.narrow(0, 0, 4));
        assertArrayEquals(new float[] {1, 3, 5, 7, 9}, s.toFloatArray());
        // a 0-dim view of self's first element: all elements see its old value
        Tensor z = l(10, 1, 2);
        z.sub_(z.select(0, 0));
        assertArrayEquals(new long[] {0, -9, -8}, z.toLongArray());
        Tensor big = Kindling.arange(100_000).to(DType.FLOAT32);
        float[] before = big.toFloatArray();
        big.narrow(0, 1, 99_999).add_(big.narrow(0, 0, 99_999));
        float[] after = big.toFloatArray();
        assertEquals(before[0], after[0]);
        for (int k = 1; k < after.length; k += 997) assertEquals(before[k] + before[k - 1], after[k]);
    }

    @Test
    void inPlaceWithWiderOperandStoresBack() {
        Tensor x = f(1, 2);
        x.add_(d(0.25, 0.5));
        assertEquals(DType.FLOAT32, x.dtype());
        assertArrayEquals(new float[] {1.25f, 2.5f}, x.toFloatArray());
        Tensor i = Kindling.tensor(new int[] {1, 2});
        i.add_(l(10, 20));
        assertEquals(DType.INT32, i.dtype());
        assertArrayEquals(new int[] {11, 22}, i.toIntArray());
    }

    // ------------------------------------------------------------ layouts and size

    @Test
    void nonContiguousInputsMatchContiguousCopies() {
        Tensor base = Kindling.tensor(new float[][] {{1, -2, 3, 4}, {5, 6, -7, 8}, {9, 10, 11, -12}});
        Tensor other = Kindling.tensor(new float[][] {{2, 1, 0.5f}, {3, -1, 2}, {1, 1, 1}, {4, 2, -3}});
        Tensor t = base.t(); // [4, 3] transposed
        Tensor sl = base.slice(1, 0, 4, 2); // [3, 2] stepped
        Tensor ex = Kindling.tensor(new float[] {1, 2, 3}).expand(4, 3);
        for (UnaryOperator<Tensor> op : java.util.List.<UnaryOperator<Tensor>>of(
                Tensor::exp, Tensor::neg, Tensor::abs, Tensor::sigmoid, Tensor::relu, v -> v.mul(other),
                v -> v.add(2.0), v -> other.sub(v), v -> v.gt(other).to(DType.FLOAT32), v -> v.clamp(0, 5))) {
            assertArrayEquals(op.apply(t.contiguous()).toFloatArray(), op.apply(t).toFloatArray());
            assertArrayEquals(op.apply(ex.contiguous()).toFloatArray(), op.apply(ex).toFloatArray());
        }
        assertArrayEquals(sl.contiguous().mul(sl.contiguous()).toFloatArray(), sl.mul(sl).toFloatArray());
        assertArrayEquals(new float[] {1, 3, 5, -7, 9, 11}, sl.toFloatArray());
        assertArrayEquals(sl.contiguous().round().toFloatArray(), sl.round().toFloatArray());
        Tensor dt = base.to(DType.FLOAT64).t();
        assertArrayEquals(dt.contiguous().exp().toDoubleArray(), dt.exp().toDoubleArray());
        Tensor it = Kindling.arange(12).reshape(3, 4).t();
        assertArrayEquals(it.contiguous().mul(3L).toLongArray(), it.mul(3L).toLongArray());
    }

    @Test
    void largeInputsMatchReferenceLoops() {
        int n = 100_000;
        float[] a = random(n, 1);
        float[] b = random(n, 2);
        Tensor ta = Kindling.fromArray(a, n);
        Tensor tb = Kindling.fromArray(b, n);
        float[] add = ta.add(tb).toFloatArray();
        float[] mul = ta.mul(tb).toFloatArray();
        float[] div = ta.div(tb).toFloatArray();
        float[] exp = ta.exp().toFloatArray();
        float[] sc = ta.mul(3.0).toFloatArray();
        for (int i = 0; i < n; i++) {
            assertEquals(a[i] + b[i], add[i], 0f);
            assertEquals(a[i] * b[i], mul[i], 0f);
            assertEquals(a[i] / b[i], div[i], 0f);
            assertEquals(Math.exp(a[i]), exp[i], 2e-6 * Math.exp(a[i]));
            assertEquals(a[i] * 3f, sc[i], 0f);
        }
        // strided (transposed) large input through the row walker
        Tensor m = Kindling.fromArray(a, 400, 250).t();
        float[] r = m.sub(1.0).toFloatArray();
        for (int i = 0; i < 250; i++) {
            for (int j = 0; j < 400; j++) assertEquals(a[j * 250 + i] - 1f, r[i * 400 + j], 0f);
        }
        // in place, large
        Tensor c = ta.clone();
        c.add_(tb);
        assertArrayEquals(add, c.toFloatArray());
        // float64 and int64 large
        double[] da = new double[n];
        long[] la = new long[n];
        for (int i = 0; i < n; i++) {
            da[i] = a[i];
            la[i] = i - 50_000;
        }
        double[] dr = Kindling.fromArray(da, n).mul(Kindling.fromArray(da, n)).toDoubleArray();
        long[] lr = Kindling.fromArray(la, n).floorDivide(7L).toLongArray();
        boolean[] cmp = ta.lt(tb).toBooleanArray();
        for (int i = 0; i < n; i++) {
            assertEquals(da[i] * da[i], dr[i], 0.0);
            assertEquals(Math.floorDiv(la[i], 7L), lr[i]);
            assertEquals(a[i] < b[i], cmp[i]);
        }
    }

    @Test
    void emptyAndZeroDimTensors() {
        Tensor e = Kindling.zeros(0, 3);
        assertArrayEquals(new int[] {0, 3}, e.add(f(1, 2, 3)).shape().toArray());
        assertEquals(0, e.exp().numel());
        Tensor s = Kindling.scalar(2.0);
        Tensor r = s.mul(Kindling.scalar(3.0));
        assertEquals(0, r.dim());
        assertEquals(6.0, r.item());
        assertEquals(0, s.exp().dim());
    }
}
