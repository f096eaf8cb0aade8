package org.kindling.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;

class ReductionTest {

    private static Tensor f(float... v) {
        return Kindling.tensor(v);
    }

    /** [2, 3, 4] float32 with values 0..23. */
    private static Tensor cube() {
        return Kindling.arange(24).reshape(2, 3, 4).to(DType.FLOAT32);
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    private static void assertShape(Tensor t, int... shape) {
        assertArrayEquals(shape, t.shape().toArray(), "shape");
    }

    // ------------------------------------------------------------ sum, mean, prod

    @Test
    void sumOverDims() {
        Tensor x = cube();
        assertEquals(276.0, x.sum().item());
        assertEquals(0, x.sum().dim());
        Tensor s0 = x.sum(0);
        assertShape(s0, 3, 4);
        assertArrayEquals(new float[] {12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34}, s0.toFloatArray());
        Tensor s1 = x.sum(1, true);
        assertShape(s1, 2, 1, 4);
        assertArrayEquals(new float[] {12, 15, 18, 21, 48, 51, 54, 57}, s1.toFloatArray());
        Tensor sLast = x.sum(-1);
        assertShape(sLast, 2, 3);
        assertArrayEquals(new float[] {6, 22, 38, 54, 70, 86}, sLast.toFloatArray());
        Tensor s02 = x.sum(new int[] {0, -1}, false);
        assertShape(s02, 3);
        assertArrayEquals(new float[] {60, 92, 124}, s02.toFloatArray());
        Tensor s02k = x.sum(new int[] {2, 0}, true);
        assertShape(s02k, 1, 3, 1);
        assertArrayEquals(new float[] {60, 92, 124}, s02k.toFloatArray());
        Tensor all = x.sum(new int[] {0, 1, 2}, true);
        assertShape(all, 1, 1, 1);
        assertEquals(276.0, all.item());
    }

    @Test
    void sumErrorsAndDtypes() {
        Tensor x = cube();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> x.sum(new int[] {1, -2}, false));
        assertTrue(e.getMessage().contains("sum") && e.getMessage().contains("multiple times"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> x.sum(3));
        Tensor i = Kindling.tensor(new int[][] {{1, 2}, {3, Integer.MAX_VALUE}});
        Tensor si = i.sum(0);
        assertEquals(DType.INT64, si.dtype());
        assertArrayEquals(new long[] {4, 2L + Integer.MAX_VALUE}, si.toLongArray());
        Tensor b = Kindling.tensor(new boolean[] {true, false, true});
        assertEquals(2L, b.sum().itemLong());
        long big = (1L << 60) + 1;
        assertEquals(2 * big, Kindling.tensor(new long[] {big, big}).sum().itemLong(), "int64 sums are exact");
        Tensor d = Kindling.tensor(new double[] {0.1, 0.2, 0.3});
        assertEquals(DType.FLOAT64, d.sum().dtype());
        assertEquals(0.1 + 0.2 + 0.3, d.sum().item(), 1e-16);
    }

    @Test
    void largeFloat32SumIsAccurate() {
        float[] v = new float[1_000_000];
        Arrays.fill(v, 0.1f);
        Tensor t = Kindling.fromArray(v, v.length);
        double s = t.sum().item();
        assertEquals(100000.0, s, 1e-6 * 100000, "sum of 1e6 x 0.1f");
        assertEquals(0.1, t.mean().item(), 1e-7);
        // same through a non-unit stride and through a 2-D full reduction
        assertEquals(50000.0, t.slice(0, 0, v.length, 2).sum().item(), 1e-6 * 50000);
        assertEquals(100000.0, t.reshape(1000, 1000).t().sum().item(), 1e-6 * 100000);
    }

    @Test
    void largeSumsMatchReference() {
        int rows = 300;
        int cols = 400;
        float[] x = random(rows * cols, 7);
        Tensor t = Kindling.fromArray(x, rows, cols);
        double[] col = new double[cols];
        double[] row = new double[rows];
        double total = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                col[j] += x[i * cols + j];
                row[i] += x[i * cols + j];
                total += x[i * cols + j];
            }
        }
        float[] s0 = t.sum(0).toFloatArray();
        float[] s1 = t.sum(1).toFloatArray();
        float[] m0 = t.mean(0).toFloatArray();
        float[] tS0 = t.t().sum(1).toFloatArray(); // same numbers through a transposed view
        for (int j = 0; j < cols; j++) {
            assertEquals(col[j], s0[j], 1e-4);
            assertEquals(col[j] / rows, m0[j], 1e-6);
            assertEquals(col[j], tS0[j], 1e-4);
        }
        for (int i = 0; i < rows; i++) assertEquals(row[i], s1[i], 1e-4);
        assertEquals(total, t.sum().item(), 1e-3);
        // int64, large
        long[] li = new long[rows * cols];
        long ltotal = 0;
        for (int i = 0; i < li.length; i++) {
            li[i] = (long) (x[i] * 1000);
            ltotal += li[i];
        }
        assertEquals(ltotal, Kindling.fromArray(li, rows, cols).sum().itemLong());
    }

    @Test
    void nonContiguousReductionsMatchContiguousCopies() {
        Tensor x = cube();
        Tensor p = x.permute(2, 0, 1); // [4, 2, 3]
        Tensor pc = p.contiguous();
        for (int[] dims : new int[][] {{0}, {1}, {2}, {0, 2}, {1, 2}, {0, 1}}) {
            assertArrayEquals(pc.sum(dims, false).toFloatArray(), p.sum(dims, false).toFloatArray());
            assertArrayEquals(pc.amax(dims, true).toFloatArray(), p.amax(dims, true).toFloatArray());
            assertArrayEquals(pc.var(dims, 1, false).toFloatArray(), p.var(dims, 1, false).toFloatArray(), 1e-5f);
        }
        Tensor ex = f(1, 2, 3).expand(4, 3);
        assertArrayEquals(new float[] {4, 8, 12}, ex.sum(0).toFloatArray());
        assertEquals(24.0, ex.sum().item());
        Tensor stepped = cube().slice(2, 0, 4, 3); // columns 0 and 3
        assertArrayEquals(stepped.contiguous().sum(-1).toFloatArray(), stepped.sum(-1).toFloatArray());
        assertArrayEquals(stepped.contiguous().argmax(0).toLongArray(), stepped.argmax(0).toLongArray());
    }

    @Test
    void meanProd() {
        Tensor x = cube();
        assertEquals(11.5, x.mean().item(), 1e-6);
        assertArrayEquals(new float[] {1.5f, 5.5f, 9.5f, 13.5f, 17.5f, 21.5f}, x.mean(-1).toFloatArray());
        assertShape(x.mean(1, true), 2, 1, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kindling.arange(3).mean());
        assertTrue(e.getMessage().contains("mean") && e.getMessage().contains("Long"), e.getMessage());
        assertEquals(24.0, f(1, 2, 3, 4).prod().item());
        assertArrayEquals(new float[] {2, 12}, Kindling.tensor(new float[][] {{1, 2}, {3, 4}}).prod(1, false)
                .toFloatArray());
        Tensor ip = Kindling.tensor(new int[] {2, 3, -4}).prod();
        assertEquals(DType.INT64, ip.dtype());
        assertEquals(-24L, ip.itemLong());
        assertEquals(DType.FLOAT64, Kindling.tensor(new double[] {2, 3}).mean().dtype());
    }

    @Test
    void emptyReductions() {
        Tensor e = Kindling.zeros(0);
        assertEquals(0.0, e.sum().item());
        assertEquals(1.0, e.prod().item());
        assertTrue(Double.isNaN(e.mean().item()));
        Tensor e2 = Kindling.zeros(0, 3);
        assertArrayEquals(new float[] {0, 0, 0}, e2.sum(0).toFloatArray());
        assertShape(e2.sum(1), 0);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e::max);
        assertTrue(ex.getMessage().contains("Expected reduction dim to be specified for input.numel() == 0"),
                ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> e2.amax(0));
        assertTrue(ex.getMessage().contains("reduction dim 0") && ex.getMessage().contains("non-zero size"),
                ex.getMessage());
        assertShape(e2.amax(1), 0); // reducing the non-empty dim of an empty tensor is fine
        assertThrows(IllegalArgumentException.class, () -> e2.max(0));
        assertThrows(IllegalArgumentException.class, e::argmax);
        assertEquals(true, e.all().item() != 0);
        assertEquals(false, e.any().item() != 0);
        assertEquals(Double.NEGATIVE_INFINITY, e.logsumexp(0, false).item());
        assertEquals(0.0, e.norm().item());
    }

    @Test
    void zeroDimReductions() {
        Tensor s = Kindling.scalar(3.0);
        assertEquals(3.0, s.sum().item());
        assertEquals(3.0, s.sum(0).item());
        assertEquals(0, s.sum(0, true).dim());
        assertEquals(3.0, s.max().item());
        assertEquals(0L, s.argmax().itemLong());
        assertEquals(0L, s.max(0).indices().itemLong());
        assertEquals(1.0, s.softmax(0).item());
        assertEquals(3.0, s.cumsum(0).item());
        assertThrows(IndexOutOfBoundsException.class, () -> s.sum(1));
    }

    // ------------------------------------------------------------ max, min, argmax

    @Test
    void amaxAmin() {
        Tensor x = Kindling.tensor(new float[][] {{1, 5, -2}, {7, 0, 3}});
        assertEquals(7.0, x.max().item());
        assertEquals(-2.0, x.min().item());
        assertArrayEquals(new float[] {5, 7}, x.amax(1).toFloatArray());
        assertArrayEquals(new float[] {1, 0, -2}, x.amin(0).toFloatArray());
        assertShape(x.amax(new int[] {0, 1}, true), 1, 1);
        Tensor n = f(1, Float.NaN, 3);
        assertTrue(Double.isNaN(n.max().item()));
        assertTrue(Double.isNaN(n.min().item()));
        Tensor i = Kindling.tensor(new long[] {Long.MIN_VALUE, 5, Long.MAX_VALUE});
        assertEquals(Long.MAX_VALUE, i.max().itemLong());
        assertEquals(Long.MIN_VALUE, i.min().itemLong());
        assertEquals(DType.INT64, i.max().dtype());
    }

    @Test
    void maxMinAlongDimWithIndices() {
        Tensor x = Kindling.tensor(new float[][] {{1, 5, 5, -2}, {7, 0, 7, 3}, {2, 2, 2, 2}});
        Tensor.ValuesIndices mx = x.max(1);
        assertArrayEquals(new float[] {5, 7, 2}, mx.values().toFloatArray());
        assertArrayEquals(new long[] {1, 0, 0}, mx.indices().toLongArray(), "ties give the first index");
        assertEquals(DType.INT64, mx.indices().dtype());
        Tensor.ValuesIndices mn = x.min(0, true);
        assertShape(mn.values(), 1, 4);
        assertArrayEquals(new float[] {1, 0, 2, -2}, mn.values().toFloatArray());
        assertArrayEquals(new long[] {0, 1, 2, 0}, mn.indices().toLongArray());
        Tensor withNan = f(1, Float.NaN, 9, Float.NaN);
        assertTrue(Double.isNaN(withNan.max(0).values().item()));
        assertEquals(1L, withNan.max(0).indices().itemLong());
        assertEquals(1L, withNan.min(0).indices().itemLong());
        Tensor.ValuesIndices neg = x.max(-2);
        assertArrayEquals(new float[] {7, 5, 7, 3}, neg.values().toFloatArray());
        assertArrayEquals(new long[] {1, 0, 1, 1}, neg.indices().toLongArray());
        Tensor i = Kindling.tensor(new int[][] {{3, 9}, {9, 1}});
        assertEquals(DType.INT32, i.max(0).values().dtype());
        assertArrayEquals(new int[] {9, 9}, i.max(0).values().toIntArray());
        assertArrayEquals(new long[] {1, 0}, i.max(0).indices().toLongArray());
    }

    @Test
    void argmaxArgmin() {
        Tensor x = Kindling.tensor(new float[][] {{1, 8, 3}, {8, 0, 3}});
        assertEquals(1L, x.argmax().itemLong(), "flattened, first occurrence");
        assertEquals(4L, x.argmin().itemLong());
        assertEquals(0, x.argmax().dim());
        assertArrayEquals(new long[] {1, 0, 0}, x.argmax(0).toLongArray());
        assertArrayEquals(new long[] {0, 1}, x.argmin(1).toLongArray());
        Tensor keep = x.argmax(1, true);
        assertShape(keep, 2, 1);
        // flattened index is over the row-major order of the (transposed) view
        Tensor t = x.t(); // [[1, 8], [8, 0], [3, 3]]
        assertEquals(1L, t.argmax().itemLong());
        assertEquals(3L, t.argmin().itemLong());
        assertEquals(1L, f(2, Float.NaN, 5).argmax().itemLong());
    }

    // ------------------------------------------------------------ statistics

    @Test
    void varianceAndStd() {
        Tensor x = f(1, 2, 3, 4);
        assertEquals(1.6666666, x.var().item(), 1e-6);
        assertEquals(1.25, x.var(new int[] {0}, 0, false).item(), 1e-7);
        assertEquals(Math.sqrt(5.0 / 3), x.std().item(), 1e-6);
        assertEquals(Math.sqrt(1.25), x.std(new int[] {0}, 0, false).item(), 1e-6);
        assertTrue(Double.isNaN(f(5).var().item()), "var of one element with correction 1 is NaN");
        assertEquals(Double.POSITIVE_INFINITY, f(1, 2).var(new int[] {0}, 2, false).item());
        Tensor m = Kindling.tensor(new float[][] {{1, 2, 3}, {2, 4, 9}});
        assertArrayEquals(new float[] {1, 13}, m.var(1).toFloatArray(), 1e-5f);
        assertArrayEquals(new float[] {1, 13}, m.var(new int[] {-1}, 1, false).toFloatArray(), 1e-5f);
        assertArrayEquals(new float[] {0.5f, 2, 18}, m.var(0).toFloatArray(), 1e-5f);
        assertShape(m.var(new int[] {0}, 1, true), 1, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kindling.arange(3).var());
        assertTrue(e.getMessage().contains("var"), e.getMessage());
        Tensor big = Kindling.fromArray(random(200_000, 11), 200_000);
        assertEquals(1.0, big.var().item(), 0.02);
        double[] v = big.toDoubleArray();
        double mean = 0;
        for (double d : v) mean += d;
        mean /= v.length;
        double m2 = 0;
        for (double d : v) m2 += (d - mean) * (d - mean);
        assertEquals(m2 / (v.length - 1), big.var().item(), 1e-6);
    }

    @Test
    void logsumexpIsStable() {
        assertEquals(3.4076059644443806, f(1, 2, 3).logsumexp(0, false).item(), 1e-6);
        assertEquals(1000 + Math.log(2), f(1000, 1000).logsumexp(0, false).item(), 1e-3);
        assertEquals(-1000 + Math.log(2), f(-1000, -1000).logsumexp(0, false).item(), 1e-3);
        float ninf = Float.NEGATIVE_INFINITY;
        assertEquals(Double.NEGATIVE_INFINITY, f(ninf, ninf).logsumexp(0, false).item());
        assertEquals(Double.POSITIVE_INFINITY, f(1, Float.POSITIVE_INFINITY).logsumexp(0, false).item());
        Tensor m = Kindling.tensor(new float[][] {{0, 0}, {1, 2}});
        assertArrayEquals(new float[] {(float) Math.log(2), (float) (2 + Math.log(1 + Math.exp(-1)))},
                m.logsumexp(1, false).toFloatArray(), 1e-6f);
        assertShape(m.logsumexp(new int[] {0, 1}, true), 1, 1);
        assertEquals(DType.FLOAT32, Kindling.arange(3).logsumexp(0, false).dtype());
    }

    @Test
    void norms() {
        Tensor x = f(3, -4);
        assertEquals(5.0, x.norm().item(), 1e-6);
        assertEquals(7.0, x.norm(1).item(), 1e-6);
        assertEquals(Math.cbrt(91), x.norm(3).item(), 1e-5);
        assertEquals(4.0, x.norm(Double.POSITIVE_INFINITY).item());
        assertEquals(3.0, x.norm(Double.NEGATIVE_INFINITY).item());
        assertEquals(2.0, f(0, 3, 0, -1).norm(0).item());
        Tensor m = Kindling.tensor(new float[][] {{3, 4}, {6, 8}});
        assertArrayEquals(new float[] {5, 10}, m.norm(2, new int[] {1}, false).toFloatArray(), 1e-6f);
        assertShape(m.norm(2, new int[] {0}, true), 1, 2);
        assertEquals(DType.FLOAT32, Kindling.arange(3).norm().dtype());
        assertEquals(Math.sqrt(5), Kindling.arange(3).norm().item(), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> Kindling.zeros(0).norm(Double.POSITIVE_INFINITY));
    }

    @Test
    void allAny() {
        Tensor x = Kindling.tensor(new float[][] {{1, 0, 2}, {3, 4, Float.NaN}});
        assertEquals(DType.BOOL, x.all().dtype());
        assertEquals(0.0, x.all().item());
        assertEquals(1.0, x.any().item());
        assertArrayEquals(new boolean[] {false, true}, x.all(1, false).toBooleanArray());
        assertArrayEquals(new boolean[] {true, false, true}, x.all(0, false).toBooleanArray());
        assertArrayEquals(new boolean[] {true, true, true}, x.any(0, false).toBooleanArray());
        assertShape(x.any(-1, true), 2, 1);
        assertArrayEquals(new boolean[] {false, true}, Kindling.tensor(new long[][] {{0, 0}, {0, 7}}).any(1, false)
                .toBooleanArray());
    }

    // ------------------------------------------------------------ scans, softmax

    @Test
    void cumulative() {
        assertArrayEquals(new float[] {1, 3, 6, 10}, f(1, 2, 3, 4).cumsum(0).toFloatArray());
        assertArrayEquals(new float[] {1, 2, 6, 24}, f(1, 2, 3, 4).cumprod(0).toFloatArray());
        Tensor m = Kindling.tensor(new int[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor c0 = m.cumsum(0);
        assertEquals(DType.INT64, c0.dtype());
        assertArrayEquals(new long[] {1, 2, 3, 5, 7, 9}, c0.toLongArray());
        assertArrayEquals(new long[] {1, 3, 6, 4, 9, 15}, m.cumsum(-1).toLongArray());
        assertArrayEquals(new long[] {1, 2, 6, 4, 20, 120}, m.cumprod(1).toLongArray());
        Tensor t = m.t(); // [[1,4],[2,5],[3,6]]
        assertArrayEquals(new long[] {1, 5, 2, 7, 3, 9}, t.cumsum(1).toLongArray());
        assertArrayEquals(new long[] {1, 1, 2}, Kindling.tensor(new boolean[] {true, false, true}).cumsum(0)
                .toLongArray());
        assertEquals(DType.FLOAT64, Kindling.tensor(new double[] {1}).cumsum(0).dtype());
    }

    @Test
    void softmaxValues() {
        Tensor x = f(1, 2, 3);
        assertArrayEquals(new float[] {0.09003057f, 0.24472847f, 0.66524096f}, x.softmax(0).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {-2.40760596f, -1.40760596f, -0.40760596f}, x.logSoftmax(-1).toFloatArray(),
                1e-6f);
        Tensor m = Kindling.tensor(new float[][] {{1, 2, 3}, {1, 1, 1}});
        float[] s0 = m.softmax(0).toFloatArray();
        float e = (float) (1 / (1 + Math.exp(-1)));
        assertArrayEquals(new float[] {0.5f, e, (float) (1 / (1 + Math.exp(-2))), 0.5f, 1 - e,
            (float) (1 - 1 / (1 + Math.exp(-2)))}, s0, 1e-6f);
        // along a non-last dim equals the transposed last-dim softmax
        assertArrayEquals(m.t().contiguous().softmax(1).t().contiguous().toFloatArray(), s0, 1e-6f);
        assertArrayEquals(m.t().contiguous().logSoftmax(1).t().contiguous().toFloatArray(),
                m.logSoftmax(0).toFloatArray(), 1e-6f);
        // huge values stay finite, int input gives float32, float64 stays float64
        assertArrayEquals(new float[] {0.5f, 0.5f}, f(1e30f, 1e30f).softmax(0).toFloatArray(), 1e-6f);
        assertEquals(DType.FLOAT32, Kindling.arange(3).softmax(0).dtype());
        Tensor dd = Kindling.tensor(new double[] {1, 2, 3}).softmax(0);
        assertEquals(DType.FLOAT64, dd.dtype());
        assertEquals(0.66524096, dd.toDoubleArray()[2], 1e-8);
        assertTrue(Float.isNaN(f(1, Float.NaN).softmax(0).toFloatArray()[0]));
        // strided input along a non-last dim, and float64 along dim 0
        Tensor mt = m.t();
        assertArrayEquals(mt.contiguous().softmax(0).toFloatArray(), mt.softmax(0).toFloatArray(), 1e-6f);
        assertArrayEquals(mt.contiguous().logSoftmax(0).toFloatArray(), mt.logSoftmax(0).toFloatArray(), 1e-6f);
        Tensor d0 = Kindling.tensor(new double[][] {{1, 1}, {2, 1}, {3, 1}}).softmax(0);
        assertArrayEquals(new double[] {0.09003057317038046, 1.0 / 3, 0.24472847105479764, 1.0 / 3,
            0.6652409557748219, 1.0 / 3}, d0.toDoubleArray(), 1e-12);
        // NaN poisons its own column only; an all -inf column gives NaN as PyTorch
        float ninf = Float.NEGATIVE_INFINITY;
        float[] nanCol = Kindling.tensor(new float[][] {{1, Float.NaN, ninf}, {1, 0, ninf}}).softmax(0).toFloatArray();
        assertEquals(0.5f, nanCol[0], 1e-7f);
        assertTrue(Float.isNaN(nanCol[1]) && Float.isNaN(nanCol[4]) && Float.isNaN(nanCol[2]));
        // a middle dim with several outer blocks, float32 and float64
        Tensor c3 = Kindling.fromArray(random(3 * 40 * 5, 21), 3, 40, 5);
        for (Tensor c : new Tensor[] {c3, c3.to(DType.FLOAT64)}) {
            for (boolean lg : new boolean[] {false, true}) {
                Tensor viaLast = (lg ? c.transpose(1, 2).contiguous().logSoftmax(-1)
                        : c.transpose(1, 2).contiguous().softmax(-1)).transpose(1, 2).contiguous();
                assertArrayEquals(viaLast.toDoubleArray(), (lg ? c.logSoftmax(1) : c.softmax(1)).toDoubleArray(),
                        1e-6);
            }
        }
        Tensor strided = Kindling.tensor(new float[][] {{1, 9, 2, 9, 3}}).slice(1, 0, 5, 2);
        assertArrayEquals(new float[] {0.09003057f, 0.24472847f, 0.66524096f}, strided.softmax(1).toFloatArray(),
                1e-6f);
    }

    @Test
    void largeSoftmaxRowsSumToOne() {
        int n = 1024;
        float[] x = random(n * n, 5);
        Tensor t = Kindling.fromArray(x, n, n);
        Tensor s = t.softmax(-1);
        assertShape(s, n, n);
        float[] sv = s.toFloatArray();
        for (int r = 0; r < n; r += 97) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) max = Math.max(max, x[r * n + j]);
            double sum = 0;
            for (int j = 0; j < n; j++) sum += Math.exp(x[r * n + j] - max);
            double rowSum = 0;
            for (int j = 0; j < n; j++) {
                double ref = Math.exp(x[r * n + j] - max) / sum;
                assertEquals(ref, sv[r * n + j], 1e-6 + 1e-5 * ref);
                rowSum += sv[r * n + j];
            }
            assertEquals(1.0, rowSum, 1e-4);
        }
        float[] ls = t.logSoftmax(0).toFloatArray();
        float[] s0 = t.softmax(0).toFloatArray();
        for (int k = 0; k < ls.length; k += 4099) assertEquals(Math.log(s0[k]), ls[k], 1e-4);
    }
}
