package org.kindling.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SimdKernels} against the {@link ScalarKernels} reference, on lengths that exercise the
 * scalar fallback (1, 7: shorter than one vector), the vector loop plus a tail (1021, 4099: not
 * multiples of any vector width) and on unit, broadcast (0) and other strides with offsets.
 *
 * <p>Tolerances: the plain IEEE operations (add, sub, mul, div, max, min, neg, abs, x*x, sqrt,
 * 1/x, relu) are correctly rounded in float either way (the reference rounds a double result,
 * which for these operations gives the same float), so they must match bit for bit. The
 * transcendentals go through the Vector API's vectorised exp/log/tanh, which are accurate to a
 * few float ulps rather than correctly rounded like (float) Math.exp(double): they are compared
 * to within {@link #TRANSCENDENTAL_ULPS} ulps (about 5e-7 relative). Sums and dot products are
 * re-associated (several vector accumulators), so they are compared with the float summation
 * error bound n * 2^-24 * sum|terms|.
 */
class SimdKernelsTest {
    private static final Kernels SIMD = new SimdKernels();
    private static final Kernels SCALAR = new ScalarKernels();
    private static final int[] LENGTHS = {1, 7, 1021, 4099};
    private static final float SENTINEL = -777.25f;
    /** Allowed error of the vectorised exp/log/tanh-based ops, in ulps of the reference result. */
    private static final int TRANSCENDENTAL_ULPS = 4;

    /** Values in [-scale, scale] with NaN, infinities, signed zeros and tiny values sprinkled in. */
    private static float[] data(Random r, int len, float scale, boolean specials) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (r.nextFloat() * 2 - 1) * scale;
        if (specials && len > 20) {
            float[] sp = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 1e-30f, -1e-30f,
                Float.MIN_VALUE, 1f, -1f};
            for (int s = 0; s < sp.length; s++) x[r.nextInt(len)] = sp[s];
            x[len - 1] = Float.NaN; // in the scalar tail of the vector loop
        }
        return x;
    }

    private static float[] sentinels(int len) {
        float[] x = new float[len];
        Arrays.fill(x, SENTINEL);
        return x;
    }

    private static boolean same(float a, float b) {
        return (Float.isNaN(a) && Float.isNaN(b)) || Float.floatToRawIntBits(a) == Float.floatToRawIntBits(b);
    }

    private static void assertSame(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            if (!same(expected[i], actual[i])) {
                fail(what + ": index " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    private static void assertUlps(String what, float[] expected, float[] actual, int ulps) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            if (same(e, a)) continue;
            boolean ok = Float.isFinite(e) && Float.isFinite(a) && Math.abs(e - a) <= ulps * Math.ulp(e);
            if (!ok) fail(what + ": index " + i + " expected " + e + " but was " + a + " (" + ulps + " ulps allowed)");
        }
    }

    // ------------------------------------------------------------------ binary

    /** {as, bs, os}: unit, broadcast on either side or both, other strides. */
    private static final int[][] BINARY_STRIDES = {{1, 1, 1}, {1, 0, 1}, {0, 1, 1}, {0, 0, 1}, {2, 1, 1}, {1, 3, 1},
        {1, 1, 2}, {0, 2, 3}};

    @Test
    void binaryMatchesReferenceExactly() {
        Random r = new Random(1);
        for (BinaryOp op : BinaryOp.values()) {
            for (int n : LENGTHS) {
                for (int[] st : BINARY_STRIDES) {
                    int ao = 3, bo = 5, oo = 2;
                    float[] a = data(r, ao + n * Math.max(st[0], 1) + 1, 4f, true);
                    float[] b = data(r, bo + n * Math.max(st[1], 1) + 1, 4f, true);
                    if (op == BinaryOp.DIV || op == BinaryOp.REMAINDER || op == BinaryOp.FLOOR_DIVIDE) {
                        b[bo] = 0f; // division by zero, including as the broadcast operand
                    }
                    float[] want = sentinels(oo + n * st[2] + 3);
                    float[] got = want.clone();
                    SCALAR.binary(op, n, a, ao, st[0], b, bo, st[1], want, oo, st[2]);
                    SIMD.binary(op, n, a, ao, st[0], b, bo, st[1], got, oo, st[2]);
                    assertSame(op + " n=" + n + " strides=" + Arrays.toString(st), want, got);
                }
            }
        }
    }

    @Test
    void maxAndMinPropagateNaNOnEitherSide() {
        int n = 37;
        float[] a = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
            b[i] = n - i;
        }
        a[3] = Float.NaN;   // vector part, left operand
        b[20] = Float.NaN;  // vector part, right operand
        b[n - 1] = Float.NaN; // tail
        for (BinaryOp op : new BinaryOp[] {BinaryOp.MAX, BinaryOp.MIN}) {
            float[] out = new float[n];
            SIMD.binary(op, n, a, 0, 1, b, 0, 1, out, 0, 1);
            for (int i = 0; i < n; i++) {
                boolean nan = i == 3 || i == 20 || i == n - 1;
                if (nan) {
                    assertTrue(Float.isNaN(out[i]), op + " at " + i);
                } else {
                    assertEquals(op == BinaryOp.MAX ? Math.max(a[i], b[i]) : Math.min(a[i], b[i]), out[i], 0f);
                }
            }
            // A NaN broadcast operand makes every lane NaN.
            SIMD.binary(op, n, a, 0, 1, new float[] {Float.NaN}, 0, 0, out, 0, 1);
            for (float v : out) assertTrue(Float.isNaN(v), op + " with a NaN scalar");
        }
    }

    @Test
    void inPlaceOps() {
        Random r = new Random(2);
        float[] a = data(r, 1021, 3f, false);
        float[] b = data(r, 1021, 3f, false);
        float[] want = new float[1021];
        SCALAR.binary(BinaryOp.MUL, 1021, a, 0, 1, b, 0, 1, want, 0, 1);
        SIMD.binary(BinaryOp.MUL, 1021, a, 0, 1, b, 0, 1, a, 0, 1);
        assertSame("a *= b", want, a);
        // In place on a strided view longer than one gather block (every third element).
        float[] c = data(r, 3 * 2500, 3f, false);
        float[] cWant = c.clone();
        SCALAR.unary(UnaryOp.TANH, 2500, cWant, 1, 3, cWant, 1, 3);
        SIMD.unary(UnaryOp.TANH, 2500, c, 1, 3, c, 1, 3);
        assertUlps("tanh_ on a strided view", cWant, c, TRANSCENDENTAL_ULPS);
    }

    // ------------------------------------------------------------------ unary

    /** {as, os}. */
    private static final int[][] UNARY_STRIDES = {{1, 1}, {2, 1}, {1, 2}, {0, 1}, {3, 2}};

    private static boolean transcendental(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, TANH, SIGMOID, SILU, RSQRT -> true;
            default -> false;
        };
    }

    @Test
    void unaryMatchesReference() {
        Random r = new Random(3);
        for (UnaryOp op : UnaryOp.values()) {
            for (int n : LENGTHS) {
                for (int[] st : UNARY_STRIDES) {
                    int ao = 4, oo = 1;
                    // Wide enough for exp to underflow and overflow, and for log of negatives.
                    float[] a = data(r, ao + n * Math.max(st[0], 1) + 1, op == UnaryOp.EXP ? 100f : 12f, true);
                    float[] want = sentinels(oo + n * st[1] + 2);
                    float[] got = want.clone();
                    SCALAR.unary(op, n, a, ao, st[0], want, oo, st[1]);
                    SIMD.unary(op, n, a, ao, st[0], got, oo, st[1]);
                    String what = op + " n=" + n + " strides=" + Arrays.toString(st);
                    // RSQRT is 1/sqrt rounded twice in float (<= 1.5 ulps off the reference's single rounding).
                    if (transcendental(op)) {
                        assertUlps(what, want, got, op == UnaryOp.RSQRT ? 2 : TRANSCENDENTAL_ULPS);
                    } else {
                        assertSame(what, want, got);
                    }
                }
            }
        }
    }

    @Test
    void transcendentalsOnTheVectorPathAreAccurate() {
        // Dense sweeps through the vector loop (long unit-stride runs) against double precision.
        int n = 1 << 12;
        float[] x = new float[n];
        float[] out = new float[n];
        for (UnaryOp op : new UnaryOp[] {UnaryOp.EXP, UnaryOp.LOG, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.SILU}) {
            for (int i = 0; i < n; i++) {
                double t = (i + 0.5) / n;
                x[i] = op == UnaryOp.LOG ? (float) Math.exp(-80 + 160 * t) : (float) (-85 + 170 * t);
            }
            SIMD.unary(op, n, x, 0, 1, out, 0, 1);
            for (int i = 0; i < n; i++) {
                double ref = op.apply((double) x[i]);
                float rf = (float) ref;
                // (The sweep keeps results in the normal range, where ulps are meaningful.)
                assertTrue(Math.abs(rf) >= Float.MIN_NORMAL, op + "(" + x[i] + ") left the normal range");
                assertTrue(Math.abs(out[i] - ref) <= TRANSCENDENTAL_ULPS * Math.ulp(rf),
                        op + "(" + x[i] + ") = " + out[i] + ", expected " + ref);
            }
        }
    }

    @Test
    void reluKeepsNaNAndZeroesNegatives() {
        float[] a = new float[40];
        for (int i = 0; i < a.length; i++) a[i] = i % 2 == 0 ? -i - 1 : i;
        a[5] = Float.NaN;
        a[6] = -0f;
        a[39] = Float.NaN;
        float[] out = new float[40];
        SIMD.unary(UnaryOp.RELU, 40, a, 0, 1, out, 0, 1);
        for (int i = 0; i < 40; i++) {
            if (i == 5 || i == 39) {
                assertTrue(Float.isNaN(out[i]));
            } else if (i == 6 || i % 2 == 0) {
                assertEquals(0, Float.floatToRawIntBits(out[i]), "relu(" + a[i] + ") must be +0");
            } else {
                assertEquals(a[i], out[i], 0f);
            }
        }
    }

    @Test
    void nanPropagatesThroughEveryVectorisedUnaryOp() {
        // (Ops without a vector path, such as SIGN, follow the reference, checked above.)
        float[] a = new float[33];
        Arrays.fill(a, 0.5f);
        a[0] = Float.NaN;
        a[17] = Float.NaN;
        a[32] = Float.NaN;
        float[] out = new float[33];
        for (UnaryOp op : new UnaryOp[] {UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SQUARE, UnaryOp.SQRT, UnaryOp.RSQRT,
                UnaryOp.RECIPROCAL, UnaryOp.RELU, UnaryOp.EXP, UnaryOp.LOG, UnaryOp.TANH, UnaryOp.SIGMOID,
                UnaryOp.SILU}) {
            SIMD.unary(op, 33, a, 0, 1, out, 0, 1);
            assertTrue(Float.isNaN(out[0]) && Float.isNaN(out[17]) && Float.isNaN(out[32]), op.toString());
            assertTrue(!Float.isNaN(out[1]), op.toString());
        }
    }

    // ------------------------------------------------------------------ reductions

    @Test
    void sumAndDotWithinFloatSummationBound() {
        Random r = new Random(4);
        for (int n : LENGTHS) {
            for (int[] st : new int[][] {{1, 1}, {2, 1}, {0, 1}, {1, 3}, {1, 0}}) {
                for (boolean positive : new boolean[] {true, false}) {
                    float[] a = data(r, 2 + n * Math.max(st[0], 1), 1f, false);
                    float[] b = data(r, 3 + n * Math.max(st[1], 1), 1f, false);
                    if (positive) {
                        for (int i = 0; i < a.length; i++) a[i] = Math.abs(a[i]) + 0.5f;
                        for (int i = 0; i < b.length; i++) b[i] = Math.abs(b[i]) + 0.5f;
                    }
                    double exactSum = 0, absSum = 0, exactDot = 0, absDot = 0;
                    for (int i = 0; i < n; i++) {
                        float x = a[2 + i * st[0]];
                        float y = b[3 + i * st[1]];
                        exactSum += x;
                        absSum += Math.abs(x);
                        exactDot += (double) x * y;
                        absDot += Math.abs((double) x * y);
                    }
                    String what = "n=" + n + " strides=" + Arrays.toString(st) + " positive=" + positive;
                    float s = SIMD.sum(n, a, 2, st[0]);
                    float d = SIMD.dot(n, a, 2, st[0], b, 3, st[1]);
                    assertTrue(Math.abs(s - exactSum) <= n * 0x1p-24 * absSum, what + " sum " + s + " vs " + exactSum);
                    assertTrue(Math.abs(d - exactDot) <= n * 0x1p-24 * absDot, what + " dot " + d + " vs " + exactDot);
                    if (positive) {
                        // No cancellation: both implementations are within 1e-5 relative.
                        assertEquals(1.0, SCALAR.sum(n, a, 2, st[0]) / s, 1e-5, what);
                        assertEquals(1.0, SCALAR.dot(n, a, 2, st[0], b, 3, st[1]) / d, 1e-5, what);
                    }
                }
            }
        }
    }

    @Test
    void sumAndDotPropagateNaNAndInfinity() {
        float[] a = new float[100];
        Arrays.fill(a, 1f);
        assertEquals(100f, SIMD.sum(100, a, 0, 1), 0f);
        assertEquals(100f, SIMD.dot(100, a, 0, 1, a, 0, 1), 0f);
        a[50] = Float.POSITIVE_INFINITY;
        assertEquals(Float.POSITIVE_INFINITY, SIMD.sum(100, a, 0, 1), 0f);
        a[99] = Float.NEGATIVE_INFINITY;
        assertTrue(Float.isNaN(SIMD.sum(100, a, 0, 1)));
        a[50] = 1f;
        a[99] = 1f;
        a[7] = Float.NaN;
        assertTrue(Float.isNaN(SIMD.sum(100, a, 0, 1)));
        assertTrue(Float.isNaN(SIMD.dot(100, a, 0, 1, a, 0, 1)));
        assertEquals(0f, SIMD.sum(0, a, 0, 1), 0f);
    }

    @Test
    void maxMinMatchReferenceExactly() {
        Random r = new Random(5);
        for (int n : LENGTHS) {
            for (int as : new int[] {1, 2, 0}) {
                float[] a = data(r, 1 + n * Math.max(as, 1), 50f, false);
                String what = "n=" + n + " stride=" + as;
                assertEquals(SCALAR.max(n, a, 1, as), SIMD.max(n, a, 1, as), 0f, what);
                assertEquals(SCALAR.min(n, a, 1, as), SIMD.min(n, a, 1, as), 0f, what);
            }
        }
    }

    @Test
    void maxMinNaNAnywhereAndEmpty() {
        int n = 1021;
        for (int pos : new int[] {0, 1, 500, 1008, 1020}) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) a[i] = (i * 37 % 101) - 50f;
            a[pos] = Float.NaN;
            assertTrue(Float.isNaN(SIMD.max(n, a, 0, 1)), "max, NaN at " + pos);
            assertTrue(Float.isNaN(SIMD.min(n, a, 0, 1)), "min, NaN at " + pos);
        }
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (i * 37 % 101) - 50f;
        a[1019] = 1000f; // extreme values in the tail
        a[1020] = -1000f;
        assertEquals(1000f, SIMD.max(n, a, 0, 1), 0f);
        assertEquals(-1000f, SIMD.min(n, a, 0, 1), 0f);
        Arrays.fill(a, Float.NEGATIVE_INFINITY);
        assertEquals(Float.NEGATIVE_INFINITY, SIMD.max(n, a, 0, 1), 0f);
        assertEquals(Float.NEGATIVE_INFINITY, SIMD.max(0, a, 0, 1), 0f);
        assertEquals(Float.POSITIVE_INFINITY, SIMD.min(0, a, 0, 1), 0f);
    }

    // ------------------------------------------------------------------ softmax

    @Test
    void softmaxMatchesReference() {
        Random r = new Random(6);
        for (int n : new int[] {1, 7, 16, 17, 1021, 4099}) {
            for (float scale : new float[] {3f, 90f}) {
                for (boolean log : new boolean[] {false, true}) {
                    int ao = 5, oo = 3;
                    float[] a = data(r, ao + n + 4, scale, false);
                    if (n > 10) a[ao + n / 2] = Float.NEGATIVE_INFINITY;
                    float[] want = sentinels(oo + n + 2);
                    float[] got = want.clone();
                    SCALAR.softmax(n, a, ao, want, oo, log);
                    SIMD.softmax(n, a, ao, got, oo, log);
                    String what = "n=" + n + " scale=" + scale + " log=" + log;
                    for (int i = 0; i < want.length; i++) {
                        float e = want[i];
                        float g = got[i];
                        if (same(e, g)) continue;
                        // softmax: ~1e-6 relative (plus underflowed tiny values); log-softmax: the error is
                        // absolute in the log domain, so relative to max(|value|, 1).
                        double tol = log ? 1e-6 * Math.max(Math.abs(e), 1) : 1e-6 * Math.abs(e) + 1e-37;
                        if (!(Math.abs(e - g) <= tol)) fail(what + ": index " + i + " expected " + e + " but was " + g);
                    }
                    if (!log) {
                        double total = 0;
                        for (int i = 0; i < n; i++) total += got[oo + i];
                        assertEquals(1.0, total, 1e-5, what + ": probabilities sum to 1");
                    }
                }
            }
        }
    }

    @Test
    void softmaxSpecialRows() {
        int n = 40;
        float[] out = new float[n];
        float[] a = new float[n];
        Arrays.fill(a, Float.NEGATIVE_INFINITY);
        a[33] = 2f; // one finite entry (in the tail): probability 1 there, 0 elsewhere
        SIMD.softmax(n, a, 0, out, 0, false);
        for (int i = 0; i < n; i++) assertEquals(i == 33 ? 1f : 0f, out[i], 0f);
        SIMD.softmax(n, a, 0, out, 0, true);
        assertEquals(0f, out[33], 0f);
        assertEquals(Float.NEGATIVE_INFINITY, out[0], 0f);
        a[10] = Float.NaN;
        SIMD.softmax(n, a, 0, out, 0, false);
        for (float v : out) assertTrue(Float.isNaN(v));
        // Large values do not overflow (max is subtracted first).
        Arrays.fill(a, 1e30f);
        SIMD.softmax(n, a, 0, out, 0, false);
        for (float v : out) assertEquals(1f / n, v, 1e-7f);
    }

    // ------------------------------------------------------------------ copy2d

    @Test
    void copy2dMatchesReferenceExactly() {
        Random r = new Random(7);
        int[][] shapes = {{1, 1}, {7, 13}, {33, 65}, {100, 37}, {256, 1024}, {1024, 1024}};
        for (int[] sh : shapes) {
            int rows = sh[0], cols = sh[1];
            // {srs, scs, drs, dcs}: contiguous, transposed source, transposed destination,
            // both spread out, and a broadcast (stride 0) source row.
            int[][] layouts = {{cols, 1, cols, 1}, {1, rows, cols, 1}, {cols, 1, 1, rows},
                {2 * cols + 1, 2, 1, rows + 3}, {0, 1, cols + 2, 1}};
            for (int[] lay : layouts) {
                if (rows * cols > 100_000 && lay[2] != cols && lay[1] != rows) continue; // keep it quick
                int so = 3, dOff = 2;
                int srcSpan = so + (rows - 1) * lay[0] + (cols - 1) * lay[1] + 2;
                int dstSpan = dOff + (rows - 1) * lay[2] + (cols - 1) * lay[3] + 2;
                float[] src = data(r, srcSpan, 10f, false);
                float[] want = sentinels(dstSpan);
                float[] got = want.clone();
                SCALAR.copy2d(rows, cols, src, so, lay[0], lay[1], want, dOff, lay[2], lay[3]);
                SIMD.copy2d(rows, cols, src, so, lay[0], lay[1], got, dOff, lay[2], lay[3]);
                assertSame("copy2d " + rows + "x" + cols + " " + Arrays.toString(lay), want, got);
            }
        }
    }
}
