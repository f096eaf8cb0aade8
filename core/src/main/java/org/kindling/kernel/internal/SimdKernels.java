package org.kindling.kernel.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twin of {@link ScalarKernels} for the hot paths: unit-stride (and broadcast) loops
 * run on {@link #F}-wide vectors (strided unary ops are gathered into blocks first), everything
 * else falls back to the scalar reference loops.
 *
 * <p>Every vector loop has the same shape: a "vectorized part" up to {@code F.loopBound(n)} and a
 * scalar "tail" for the last {@code n % F.length()} elements. Reductions keep four independent
 * accumulators (so the adds/FMAs pipeline instead of waiting on each other) and reduce lanes
 * once at the end. Only array-based loads and stores are used.
 *
 * <p>Transcendentals use the Vector API lanewise operators (EXP, LOG, TANH), which HotSpot 17
 * backs with vectorised SVML stubs on x86. Measured on the development machine (AMD EPYC Zen 5,
 * AVX-512, 16 float lanes, JDK 17.0.15, unit stride, n = 65536, ns per element, best runs; the
 * machine was shared, so +-30%):
 * <pre>
 *                lanewise   scalar reference (float) Math.f((double) x)
 *   EXP            0.26        15
 *   LOG            0.25-0.33   18-22
 *   TANH           0.50-0.56   36-72
 *   SIGMOID        0.48        19
 *   SILU           0.48        22
 *   softmax row    0.45        16      (rows of 1024, per element)
 * </pre>
 * so the lanewise operators are kept (the scalar loop is 30-70x slower). Their measured error is
 * at most ~0.56 ulp against the double-precision result (SIGMOID/SILU, built from several steps,
 * up to ~2.8 ulps); the tests allow 4 ulps.
 *
 * <p>JDK 17 pitfalls avoided here (each silently falls back to boxed pure-Java code, 10-100x
 * slower than even the scalar loop): the lanewise operator must be a compile-time constant
 * (hence one loop per operator rather than a {@code VectorOperators} variable), vectors must not
 * cross calls to methods that might not be inlined, and {@code test(IS_NAN)} is not intrinsified
 * ({@code compare(NE, self)} is used instead).
 */
public final class SimdKernels extends ScalarKernels {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    /** copy2d tile edge (a 32 x 32 float tile is 4 KiB: source and destination tiles sit in L1). */
    private static final int TILE = 32;
    /** copy2d tile edge when the source stride is a multiple of 1 KiB (cache-set conflicts). */
    private static final int SMALL_TILE = 8;

    @Override
    public String name() {
        return "simd";
    }

    // ------------------------------------------------------------------ binary

    @Override
    public void binary(BinaryOp op, int n, float[] a, int ao, int as, float[] b, int bo, int bs,
                       float[] out, int oo, int os) {
        if (n >= L && os == 1 && (as == 1 || as == 0) && (bs == 1 || bs == 0) && vectorBinary(op)) {
            if (as == 1 && bs == 1) {
                binaryVV(op, n, a, ao, b, bo, out, oo);
            } else if (as == 1) {
                binaryVS(op, n, a, ao, b[bo], out, oo);
            } else if (bs == 1) {
                binarySV(op, n, a[ao], b, bo, out, oo);
            } else {
                // Both operands broadcast: one value fills the output.
                java.util.Arrays.fill(out, oo, oo + n, op.apply(a[ao], b[bo]));
            }
            return;
        }
        super.binary(op, n, a, ao, as, b, bo, bs, out, oo, os);
    }

    private static boolean vectorBinary(BinaryOp op) {
        return switch (op) {
            case ADD, SUB, MUL, DIV, MAX, MIN -> true;
            default -> false;
        };
    }

    /*
     * One loop per operator: C2 only turns a lanewise operation into vector instructions when
     * the operator is a compile-time constant, so the operator must not be a variable (passing
     * a VectorOperators value down, or switching inside the loop, falls back to a slow boxed
     * implementation). lanewise MAX/MIN (x.max, x.min) follow Math.max/Math.min per lane, so a NaN
     * in either operand gives NaN, as the scalar reference does.
     */

    private static void binaryVV(BinaryOp op, int n, float[] a, int ao, float[] b, int bo, float[] out, int oo) {
        int ub = F.loopBound(n);
        int i = 0;
        // vectorized part
        switch (op) {
            case ADD -> {
                for (; i < ub; i += L) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    x.add(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
                }
            }
            case SUB -> {
                for (; i < ub; i += L) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    x.sub(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
                }
            }
            case MUL -> {
                for (; i < ub; i += L) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    x.mul(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
                }
            }
            case DIV -> {
                for (; i < ub; i += L) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    x.div(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
                }
            }
            case MAX -> {
                for (; i < ub; i += L) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    x.max(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
                }
            }
            case MIN -> {
                for (; i < ub; i += L) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    x.min(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
                }
            }
            default -> throw new IllegalArgumentException(op.toString());
        }
        // tail
        for (; i < n; i++) out[oo + i] = op.apply(a[ao + i], b[bo + i]);
    }

    /** {@code out[i] = op(a[i], s)}. */
    private static void binaryVS(BinaryOp op, int n, float[] a, int ao, float s, float[] out, int oo) {
        FloatVector v = FloatVector.broadcast(F, s);
        int ub = F.loopBound(n);
        int i = 0;
        // vectorized part
        switch (op) {
            case ADD -> {
                for (; i < ub; i += L) FloatVector.fromArray(F, a, ao + i).add(v).intoArray(out, oo + i);
            }
            case SUB -> {
                for (; i < ub; i += L) FloatVector.fromArray(F, a, ao + i).sub(v).intoArray(out, oo + i);
            }
            case MUL -> {
                for (; i < ub; i += L) FloatVector.fromArray(F, a, ao + i).mul(v).intoArray(out, oo + i);
            }
            case DIV -> {
                for (; i < ub; i += L) FloatVector.fromArray(F, a, ao + i).div(v).intoArray(out, oo + i);
            }
            case MAX -> {
                for (; i < ub; i += L) FloatVector.fromArray(F, a, ao + i).max(v).intoArray(out, oo + i);
            }
            case MIN -> {
                for (; i < ub; i += L) FloatVector.fromArray(F, a, ao + i).min(v).intoArray(out, oo + i);
            }
            default -> throw new IllegalArgumentException(op.toString());
        }
        // tail
        for (; i < n; i++) out[oo + i] = op.apply(a[ao + i], s);
    }

    /** {@code out[i] = op(s, b[i])}. */
    private static void binarySV(BinaryOp op, int n, float s, float[] b, int bo, float[] out, int oo) {
        FloatVector v = FloatVector.broadcast(F, s);
        int ub = F.loopBound(n);
        int i = 0;
        // vectorized part
        switch (op) {
            case ADD -> {
                for (; i < ub; i += L) v.add(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
            }
            case SUB -> {
                for (; i < ub; i += L) v.sub(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
            }
            case MUL -> {
                for (; i < ub; i += L) v.mul(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
            }
            case DIV -> {
                for (; i < ub; i += L) v.div(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
            }
            case MAX -> {
                for (; i < ub; i += L) v.max(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
            }
            case MIN -> {
                for (; i < ub; i += L) v.min(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
            }
            default -> throw new IllegalArgumentException(op.toString());
        }
        // tail
        for (; i < n; i++) out[oo + i] = op.apply(s, b[bo + i]);
    }

    // ------------------------------------------------------------------ unary

    /** Elements per gather/compute/scatter block of a strided unary op. */
    private static final int GATHER_BLOCK = 1024;
    private static final ThreadLocal<float[]> GATHER = ThreadLocal.withInitial(() -> new float[GATHER_BLOCK]);

    @Override
    public void unary(UnaryOp op, int n, float[] a, int ao, int as, float[] out, int oo, int os) {
        if (n >= L && vectorUnary(op)) {
            if (as == 1 && os == 1) {
                unaryUnit(op, n, a, ao, out, oo);
            } else if (as == 0) {
                // Broadcast input: one value.
                float v = op.apply(a[ao]);
                for (int i = 0; i < n; i++) out[oo + i * os] = v;
            } else {
                // Strided (a transposed or sliced view): gather a block into a contiguous buffer,
                // run the vector loop on it and scatter it back. The copies cost ~1 ns per element,
                // far less than the scalar reference's per-element op.apply (10-70 ns here).
                float[] t = GATHER.get();
                for (int s = 0; s < n; s += GATHER_BLOCK) {
                    int cnt = Math.min(GATHER_BLOCK, n - s);
                    int src = ao + s * as;
                    for (int i = 0; i < cnt; i++) t[i] = a[src + i * as];
                    unaryUnit(op, cnt, t, 0, t, 0);
                    int dst = oo + s * os;
                    for (int i = 0; i < cnt; i++) out[dst + i * os] = t[i];
                }
            }
            return;
        }
        super.unary(op, n, a, ao, as, out, oo, os);
    }

    private static boolean vectorUnary(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SQUARE, SQRT, RSQRT, RECIPROCAL, RELU, EXP, LOG, TANH, SIGMOID, SILU -> true;
            default -> false;
        };
    }

    /** Unit-stride unary ops, one loop per operator (see the note above binaryVV). */
    private static void unaryUnit(UnaryOp op, int n, float[] a, int ao, float[] out, int oo) {
        int ub = F.loopBound(n);
        int i = 0;
        FloatVector one = FloatVector.broadcast(F, 1f);
        // vectorized part
        switch (op) {
            case NEG -> {
                for (; i < ub; i += L) FloatVector.fromArray(F, a, ao + i).neg().intoArray(out, oo + i);
            }
            case ABS -> {
                for (; i < ub; i += L) FloatVector.fromArray(F, a, ao + i).abs().intoArray(out, oo + i);
            }
            case SQUARE -> {
                for (; i < ub; i += L) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    x.mul(x).intoArray(out, oo + i);
                }
            }
            case SQRT -> {
                for (; i < ub; i += L) FloatVector.fromArray(F, a, ao + i).sqrt().intoArray(out, oo + i);
            }
            case RSQRT -> {
                for (; i < ub; i += L) one.div(FloatVector.fromArray(F, a, ao + i).sqrt()).intoArray(out, oo + i);
            }
            case RECIPROCAL -> {
                for (; i < ub; i += L) one.div(FloatVector.fromArray(F, a, ao + i)).intoArray(out, oo + i);
            }
            case RELU -> {
                // max(x, 0) per Math.max: NaN stays NaN and -0 becomes +0, as x > 0 ? x : 0 does.
                for (; i < ub; i += L) FloatVector.fromArray(F, a, ao + i).max(0f).intoArray(out, oo + i);
            }
            case EXP -> {
                for (; i < ub; i += L) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    x.lanewise(VectorOperators.EXP).intoArray(out, oo + i);
                }
            }
            case LOG -> {
                for (; i < ub; i += L) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    x.lanewise(VectorOperators.LOG).intoArray(out, oo + i);
                }
            }
            case TANH -> {
                for (; i < ub; i += L) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    x.lanewise(VectorOperators.TANH).intoArray(out, oo + i);
                }
            }
            case SIGMOID -> {
                // exp only ever of -|x| (no overflow): e = exp(-|x|) gives 1 / (1 + e) for x >= 0
                // and e / (1 + e) for x < 0, as the reference does.
                for (; i < ub; i += L) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    FloatVector e = x.abs().neg().lanewise(VectorOperators.EXP);
                    one.blend(e, x.lt(0f)).div(one.add(e)).intoArray(out, oo + i);
                }
            }
            case SILU -> {
                // x * sigmoid(x), sigmoid as above.
                for (; i < ub; i += L) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    FloatVector e = x.abs().neg().lanewise(VectorOperators.EXP);
                    x.mul(one.blend(e, x.lt(0f)).div(one.add(e))).intoArray(out, oo + i);
                }
            }
            default -> throw new IllegalArgumentException(op.toString());
        }
        // tail
        for (; i < n; i++) out[oo + i] = op.apply(a[ao + i]);
    }

    // ------------------------------------------------------------------ reductions

    @Override
    public float sum(int n, float[] a, int ao, int as) {
        if (as != 1 || n < L) return super.sum(n, a, ao, as);
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        int ub4 = n - 4 * L;
        // vectorized part: four independent accumulators
        for (; i <= ub4; i += 4 * L) {
            s0 = s0.add(FloatVector.fromArray(F, a, ao + i));
            s1 = s1.add(FloatVector.fromArray(F, a, ao + i + L));
            s2 = s2.add(FloatVector.fromArray(F, a, ao + i + 2 * L));
            s3 = s3.add(FloatVector.fromArray(F, a, ao + i + 3 * L));
        }
        int ub = F.loopBound(n);
        for (; i < ub; i += L) s0 = s0.add(FloatVector.fromArray(F, a, ao + i));
        float s = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        // tail
        for (; i < n; i++) s += a[ao + i];
        return s;
    }

    @Override
    public float max(int n, float[] a, int ao, int as) {
        if (as != 1 || n < L) return super.max(n, a, ao, as);
        FloatVector m0 = FloatVector.fromArray(F, a, ao), m1 = m0, m2 = m0, m3 = m0;
        int i = L;
        int ub4 = n - 4 * L;
        // vectorized part: four independent accumulators; lanewise max propagates NaN
        for (; i <= ub4; i += 4 * L) {
            m0 = m0.max(FloatVector.fromArray(F, a, ao + i));
            m1 = m1.max(FloatVector.fromArray(F, a, ao + i + L));
            m2 = m2.max(FloatVector.fromArray(F, a, ao + i + 2 * L));
            m3 = m3.max(FloatVector.fromArray(F, a, ao + i + 3 * L));
        }
        int ub = F.loopBound(n);
        for (; i < ub; i += L) m0 = m0.max(FloatVector.fromArray(F, a, ao + i));
        FloatVector m = m0.max(m1).max(m2.max(m3));
        // reduceLanes(MAX) is not documented to propagate NaN, so look for one explicitly
        // (m != m; test(IS_NAN) is not intrinsified in JDK 17 and would box every vector).
        if (m.compare(VectorOperators.NE, m).anyTrue()) return Float.NaN;
        float r = m.reduceLanes(VectorOperators.MAX);
        // tail
        for (; i < n; i++) {
            float v = a[ao + i];
            if (v != v) return Float.NaN;
            if (v > r) r = v;
        }
        return r;
    }

    @Override
    public float min(int n, float[] a, int ao, int as) {
        if (as != 1 || n < L) return super.min(n, a, ao, as);
        FloatVector m0 = FloatVector.fromArray(F, a, ao), m1 = m0, m2 = m0, m3 = m0;
        int i = L;
        int ub4 = n - 4 * L;
        // vectorized part: four independent accumulators; lanewise min propagates NaN
        for (; i <= ub4; i += 4 * L) {
            m0 = m0.min(FloatVector.fromArray(F, a, ao + i));
            m1 = m1.min(FloatVector.fromArray(F, a, ao + i + L));
            m2 = m2.min(FloatVector.fromArray(F, a, ao + i + 2 * L));
            m3 = m3.min(FloatVector.fromArray(F, a, ao + i + 3 * L));
        }
        int ub = F.loopBound(n);
        for (; i < ub; i += L) m0 = m0.min(FloatVector.fromArray(F, a, ao + i));
        FloatVector m = m0.min(m1).min(m2.min(m3));
        if (m.compare(VectorOperators.NE, m).anyTrue()) return Float.NaN;
        float r = m.reduceLanes(VectorOperators.MIN);
        // tail
        for (; i < n; i++) {
            float v = a[ao + i];
            if (v != v) return Float.NaN;
            if (v < r) r = v;
        }
        return r;
    }

    @Override
    public float dot(int n, float[] a, int ao, int as, float[] b, int bo, int bs) {
        if (as != 1 || bs != 1 || n < L) return super.dot(n, a, ao, as, b, bo, bs);
        return Sgemm.dotUnit(n, a, ao, b, bo);
    }

    // ------------------------------------------------------------------ softmax

    /** Elements per partial exp-sum block (see {@link #expSum}). */
    private static final int SUM_BLOCK = 256;

    @Override
    public void softmax(int n, float[] a, int ao, float[] out, int oo, boolean log) {
        if (n < L) {
            super.softmax(n, a, ao, out, oo, log);
            return;
        }
        float m = max(n, a, ao, 1);
        if (m == Float.NEGATIVE_INFINITY) m = 0f;
        double s = expSum(n, a, ao, m, log ? null : out, oo);
        int ub = F.loopBound(n);
        if (log) {
            float ls = (float) Math.log(s);
            FloatVector vm = FloatVector.broadcast(F, m);
            FloatVector vls = FloatVector.broadcast(F, ls);
            int i = 0;
            // vectorized part: (a - m) - log(sum), the same two roundings as the scalar loop
            for (; i < ub; i += L) {
                FloatVector.fromArray(F, a, ao + i).sub(vm).sub(vls).intoArray(out, oo + i);
            }
            // tail
            for (; i < n; i++) out[oo + i] = a[ao + i] - m - ls;
        } else {
            float inv = (float) (1.0 / s);
            int i = 0;
            // vectorized part: scale the stored exponentials
            for (; i < ub; i += L) {
                FloatVector.fromArray(F, out, oo + i).mul(inv).intoArray(out, oo + i);
            }
            // tail
            for (; i < n; i++) out[oo + i] *= inv;
        }
    }

    /**
     * Sum of exp(a[i] - m), also storing the exponentials into {@code out} when it is not null.
     * The exponentials are added in float lanes over blocks of {@link #SUM_BLOCK} elements (two
     * accumulators, so at most 8 terms per lane per block) and the block totals are added in
     * double, which keeps the relative error of the sum near 1e-7 for any row length, matching
     * the double-accumulating scalar reference to ~1e-6.
     */
    private static double expSum(int n, float[] a, int ao, float m, float[] out, int oo) {
        FloatVector vm = FloatVector.broadcast(F, m);
        int ub = F.loopBound(n);
        double total = 0;
        int i = 0;
        // vectorized part
        while (i < ub) {
            int end = Math.min(ub, i + SUM_BLOCK);
            FloatVector s0 = FloatVector.zero(F), s1 = s0;
            for (; i + L < end; i += 2 * L) {
                FloatVector e0 = FloatVector.fromArray(F, a, ao + i).sub(vm).lanewise(VectorOperators.EXP);
                FloatVector e1 = FloatVector.fromArray(F, a, ao + i + L).sub(vm).lanewise(VectorOperators.EXP);
                if (out != null) {
                    e0.intoArray(out, oo + i);
                    e1.intoArray(out, oo + i + L);
                }
                s0 = s0.add(e0);
                s1 = s1.add(e1);
            }
            for (; i < end; i += L) {
                FloatVector e0 = FloatVector.fromArray(F, a, ao + i).sub(vm).lanewise(VectorOperators.EXP);
                if (out != null) e0.intoArray(out, oo + i);
                s0 = s0.add(e0);
            }
            total += s0.add(s1).reduceLanes(VectorOperators.ADD);
        }
        // tail
        for (; i < n; i++) {
            float e = (float) Math.exp(a[ao + i] - m);
            if (out != null) out[oo + i] = e;
            total += e;
        }
        return total;
    }

    // ------------------------------------------------------------------ sgemm, copy2d

    @Override
    public void sgemm(int m, int n, int k, float alpha, float[] a, int ao, int ars, int acs,
                      float[] b, int bo, int brs, int bcs, float beta, float[] c, int co, int ldc) {
        Sgemm.sgemm(m, n, k, alpha, a, ao, ars, acs, b, bo, brs, bcs, beta, c, co, ldc);
    }

    @Override
    public PackedRhs packRhs(int k, int n, float[] b, int bo, int brs, int bcs) {
        return Sgemm.pack(k, n, b, bo, brs, bcs);
    }

    @Override
    public void sgemmPacked(int m, float alpha, float[] a, int ao, int ars, int acs, PackedRhs b,
                            float beta, float[] c, int co, int ldc) {
        if (!(b instanceof Sgemm.Packed packed)) {
            throw new IllegalArgumentException("operand was not packed by the simd kernels: " + b);
        }
        Sgemm.sgemmPacked(m, alpha, a, ao, ars, acs, packed, beta, c, co, ldc);
    }

    @Override
    public PackedLhs packLhs(int m, int k, float[] a, int ao, int ars, int acs) {
        return Sgemm.packLhs(m, k, a, ao, ars, acs);
    }

    @Override
    public void sgemmPackedLhs(PackedLhs a, int n, float alpha, float[] b, int bo, int brs, int bcs,
                               float beta, float[] c, int co, int ldc) {
        if (!(a instanceof Sgemm.PackedA packed)) {
            throw new IllegalArgumentException("operand was not packed by the simd kernels: " + a);
        }
        Sgemm.sgemmPackedLhs(packed, n, alpha, b, bo, brs, bcs, beta, c, co, ldc);
    }

    @Override
    public void copy2d(int rows, int cols, float[] src, int so, int srs, int scs, float[] dst, int dOff,
                       int drs, int dcs) {
        if (rows <= 0 || cols <= 0) return;
        if (scs == 1 && dcs == 1) {
            if (srs == cols && drs == cols) {
                // Both sides one contiguous run.
                System.arraycopy(src, so, dst, dOff, rows * cols);
            } else {
                for (int i = 0; i < rows; i++) System.arraycopy(src, so + i * srs, dst, dOff + i * drs, cols);
            }
            return;
        }
        if (rows * (long) cols <= 64) {
            super.copy2d(rows, cols, src, so, srs, scs, dst, dOff, drs, dcs);
            return;
        }
        // Tiled, so that a transpose touches each cache line of the source and the destination
        // once per tile instead of once per element. The inner loop runs along the destination's
        // unit-stride dimension (writes stream). When the source's stride along that dimension
        // is a multiple of 256 floats (1 KiB), every line of a tile falls in the same few L1 sets
        // and large tiles thrash; small tiles avoid that (1024 x 1024 transpose measured at
        // ~1.1 ms with 8 x 8 tiles, ~1.7 ms with 32 x 32, ~4.5 ms untiled; for a 1000 x 1000
        // transpose 32 x 32 tiles were best at ~0.55 ms).
        boolean innerI = drs == 1 && dcs != 1;
        int srcStride = innerI ? srs : scs;
        int tile = (srcStride & 255) == 0 ? SMALL_TILE : TILE;
        for (int i0 = 0; i0 < rows; i0 += tile) {
            int i1 = Math.min(rows, i0 + tile);
            for (int j0 = 0; j0 < cols; j0 += tile) {
                int j1 = Math.min(cols, j0 + tile);
                if (innerI) {
                    for (int j = j0; j < j1; j++) {
                        int sj = so + j * scs;
                        int dj = dOff + j * dcs;
                        for (int i = i0; i < i1; i++) dst[dj + i * drs] = src[sj + i * srs];
                    }
                } else {
                    for (int i = i0; i < i1; i++) {
                        int si = so + i * srs;
                        int di = dOff + i * drs;
                        for (int j = j0; j < j1; j++) dst[di + j * dcs] = src[si + j * scs];
                    }
                }
            }
        }
    }

    @Override
    public void reluBackward(int n, float[] g, int go, float[] y, int yo, float[] out, int oo) {
        int i = 0;
        // vectorized part
        for (int bound = F.loopBound(n); i < bound; i += F.length()) {
            FloatVector gv = FloatVector.fromArray(F, g, go + i);
            FloatVector yv = FloatVector.fromArray(F, y, yo + i);
            gv.blend(0f, yv.compare(VectorOperators.LE, 0f)).intoArray(out, oo + i);
        }
        // tail
        for (; i < n; i++) out[oo + i] = y[yo + i] <= 0f ? 0f : g[go + i];
    }

    @Override
    public void sgemmSmallK(int m, int n, int k, float[] a, int ao, float[] b, int bo, int ldb, float[] bias, int biaso,
                            boolean relu, float[] c, int co, int ldc) {
        // Row by row of C, four vectors of columns at a time (four independent chains of FMAs: one chain would
        // wait out each FMA's latency): the k vectors of B are reloaded for each row from L1, and the
        // accumulators never leave their registers until bias and ReLU are applied.
        int ub = n - n % L, ub4 = n - n % (4 * L);
        FloatVector zero = FloatVector.zero(F);
        for (int i = 0; i < m; i++) {
            int ai = ao + i * k, ci = co + i * ldc;
            float b0 = bias == null ? 0f : bias[biaso + i];
            int j = 0;
            for (; j < ub4; j += 4 * L) {
                FloatVector acc0 = FloatVector.broadcast(F, b0), acc1 = acc0, acc2 = acc0, acc3 = acc0;
                for (int p = 0; p < k; p++) {
                    FloatVector ap = FloatVector.broadcast(F, a[ai + p]);
                    int bp = bo + p * ldb + j;
                    acc0 = FloatVector.fromArray(F, b, bp).fma(ap, acc0);
                    acc1 = FloatVector.fromArray(F, b, bp + L).fma(ap, acc1);
                    acc2 = FloatVector.fromArray(F, b, bp + 2 * L).fma(ap, acc2);
                    acc3 = FloatVector.fromArray(F, b, bp + 3 * L).fma(ap, acc3);
                }
                if (relu) {
                    acc0 = acc0.max(zero);
                    acc1 = acc1.max(zero);
                    acc2 = acc2.max(zero);
                    acc3 = acc3.max(zero);
                }
                acc0.intoArray(c, ci + j);
                acc1.intoArray(c, ci + j + L);
                acc2.intoArray(c, ci + j + 2 * L);
                acc3.intoArray(c, ci + j + 3 * L);
            }
            for (; j < ub; j += L) {
                FloatVector acc = FloatVector.broadcast(F, b0);
                for (int p = 0; p < k; p++) {
                    acc = FloatVector.fromArray(F, b, bo + p * ldb + j).fma(FloatVector.broadcast(F, a[ai + p]), acc);
                }
                if (relu) acc = acc.max(zero);
                acc.intoArray(c, ci + j);
            }
        }
        if (ub < n) ScalarKernels.smallKColumns(ub, m, n, k, a, ao, b, bo, ldb, bias, biaso, relu, c, co, ldc);
    }

    @Override
    public void rowMax(int n, float[] a, int ao, float[] b, int bo, float[] out, int oo) {
        // Rows of pooling are short (28, 14): the last vector overlaps the one before instead of a scalar
        // tail; lanes computed twice get the same value. One species only: a species chosen at run time
        // defeats the Vector API's intrinsics here and, through shared profiles, in the GEMM packing too.
        if (n < L) {
            for (int i = 0; i < n; i++) out[oo + i] = Math.max(a[ao + i], b[bo + i]);
            return;
        }
        for (int i = 0; ; i += L) {
            if (i > n - L) i = n - L;
            FloatVector.fromArray(F, a, ao + i).max(FloatVector.fromArray(F, b, bo + i)).intoArray(out, oo + i);
            if (i == n - L) return;
        }
    }

    private static final ThreadLocal<float[]> NEIGHBOURS = ThreadLocal.withInitial(() -> new float[0]);

    @Override
    public void pairMax(int n, float[] a, int ao, float[] out, int oo) {
        // The maximum of every element and its right neighbour, with the plain vector loop of rowMax, then every
        // other one picked by scalar copies. The vector ways to pick every other lane directly (convertShape
        // narrowing, pair-swapping rearrange) are not compiled to vector instructions on JDK 17: their Java
        // fallbacks were slow, and once hot and compiled on their own they kept the GEMM packing loops from
        // inlining the vector loads and stores they share (a CNN forward then took 20x longer, at random).
        if (2 * n - 1 < L) {
            ScalarKernels.pairMaxFrom(0, n, a, ao, out, oo);
            return;
        }
        float[] m = NEIGHBOURS.get();
        if (m.length < 2 * n) NEIGHBOURS.set(m = new float[2 * n]);
        rowMax(2 * n - 1, a, ao, a, ao + 1, m, 0);
        for (int i = 0; i < n; i++) out[oo + i] = m[2 * i];
    }

    @Override
    public void lstmCell(int h, float[] gates, int go, float[] cPrev, int cpo, float[] c, int co,
                         float[] tanhC, int tco, float[] hOut, int ho) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        int j = 0;
        for (int ub = F.loopBound(h); j < ub; j += L) {
            // sigmoid as in unary(SIGMOID): exp of -|x| only, so it never overflows.
            FloatVector xi = FloatVector.fromArray(F, gates, go + j);
            FloatVector ei = xi.abs().neg().lanewise(VectorOperators.EXP);
            FloatVector i = one.blend(ei, xi.lt(0f)).div(one.add(ei));
            FloatVector xf = FloatVector.fromArray(F, gates, go + h + j);
            FloatVector ef = xf.abs().neg().lanewise(VectorOperators.EXP);
            FloatVector f = one.blend(ef, xf.lt(0f)).div(one.add(ef));
            FloatVector g = FloatVector.fromArray(F, gates, go + 2 * h + j).lanewise(VectorOperators.TANH);
            FloatVector xo = FloatVector.fromArray(F, gates, go + 3 * h + j);
            FloatVector eo = xo.abs().neg().lanewise(VectorOperators.EXP);
            FloatVector o = one.blend(eo, xo.lt(0f)).div(one.add(eo));
            i.intoArray(gates, go + j);
            f.intoArray(gates, go + h + j);
            g.intoArray(gates, go + 2 * h + j);
            o.intoArray(gates, go + 3 * h + j);
            FloatVector cv = f.mul(FloatVector.fromArray(F, cPrev, cpo + j)).add(i.mul(g));
            FloatVector tc = cv.lanewise(VectorOperators.TANH);
            cv.intoArray(c, co + j);
            tc.intoArray(tanhC, tco + j);
            o.mul(tc).intoArray(hOut, ho + j);
        }
        if (j < h) {
            lstmCellFrom(j, h, gates, go, cPrev, cpo, c, co, tanhC, tco, hOut, ho);
        }
    }

    @Override
    public void lstmCellBackward(int h, float[] gates, int go, float[] cPrev, int cpo, float[] tanhC, int tco,
                                 float[] dh, int dho, float[] dc, int dco, float[] dGates, int dgo) {
        int j = 0;
        for (int ub = F.loopBound(h); j < ub; j += L) {
            FloatVector i = FloatVector.fromArray(F, gates, go + j);
            FloatVector f = FloatVector.fromArray(F, gates, go + h + j);
            FloatVector g = FloatVector.fromArray(F, gates, go + 2 * h + j);
            FloatVector o = FloatVector.fromArray(F, gates, go + 3 * h + j);
            FloatVector tc = FloatVector.fromArray(F, tanhC, tco + j);
            FloatVector d = FloatVector.fromArray(F, dh, dho + j);
            FloatVector dcv = FloatVector.fromArray(F, dc, dco + j).add(d.mul(o).mul(tc.mul(tc).neg().add(1f)));
            dcv.mul(g).mul(i).mul(i.neg().add(1f)).intoArray(dGates, dgo + j);
            dcv.mul(FloatVector.fromArray(F, cPrev, cpo + j)).mul(f).mul(f.neg().add(1f)).intoArray(dGates, dgo + h + j);
            dcv.mul(i).mul(g.mul(g).neg().add(1f)).intoArray(dGates, dgo + 2 * h + j);
            d.mul(tc).mul(o).mul(o.neg().add(1f)).intoArray(dGates, dgo + 3 * h + j);
            dcv.mul(f).intoArray(dc, dco + j);
        }
        if (j < h) {
            lstmCellBackwardFrom(j, h, gates, go, cPrev, cpo, tanhC, tco, dh, dho, dc, dco, dGates, dgo);
        }
    }

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    @Override
    public void sigmoidInPlace(double[] x, int off, int n) {
        int i = 0;
        // vectorized part
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector v = DoubleVector.fromArray(D, x, off + i);
            DoubleVector.broadcast(D, 1.0).div(v.neg().lanewise(VectorOperators.EXP).add(1.0)).intoArray(x, off + i);
        }
        // tail
        for (; i < n; i++) x[off + i] = 1 / (1 + Math.exp(-x[off + i]));
    }

    @Override
    public void tanhInPlace(double[] x, int off, int n) {
        int i = 0;
        // vectorized part
        for (int bound = D.loopBound(n); i < bound; i += D.length()) {
            DoubleVector.fromArray(D, x, off + i).lanewise(VectorOperators.TANH).intoArray(x, off + i);
        }
        // tail
        for (; i < n; i++) x[off + i] = Math.tanh(x[off + i]);
    }
}
