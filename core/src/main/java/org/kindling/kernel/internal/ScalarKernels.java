package org.kindling.kernel.internal;

/** Plain-Java reference implementation of {@link Kernels}: the living definition of every primitive. */
public class ScalarKernels implements Kernels {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void binary(BinaryOp op, int n, float[] a, int ao, int as, float[] b, int bo, int bs,
                       float[] out, int oo, int os) {
        for (int i = 0; i < n; i++) {
            out[oo + i * os] = op.apply(a[ao + i * as], b[bo + i * bs]);
        }
    }

    @Override
    public void unary(UnaryOp op, int n, float[] a, int ao, int as, float[] out, int oo, int os) {
        for (int i = 0; i < n; i++) {
            out[oo + i * os] = op.apply(a[ao + i * as]);
        }
    }

    @Override
    public float sum(int n, float[] a, int ao, int as) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += a[ao + i * as];
        return s;
    }

    @Override
    public float max(int n, float[] a, int ao, int as) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float v = a[ao + i * as];
            if (v != v) return Float.NaN;
            if (v > m) m = v;
        }
        return m;
    }

    @Override
    public float min(int n, float[] a, int ao, int as) {
        float m = Float.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float v = a[ao + i * as];
            if (v != v) return Float.NaN;
            if (v < m) m = v;
        }
        return m;
    }

    @Override
    public float dot(int n, float[] a, int ao, int as, float[] b, int bo, int bs) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += a[ao + i * as] * b[bo + i * bs];
        return s;
    }

    @Override
    public void softmax(int n, float[] a, int ao, float[] out, int oo, boolean log) {
        float m = max(n, a, ao, 1);
        if (m == Float.NEGATIVE_INFINITY) m = 0f;
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.exp(a[ao + i] - m);
        if (log) {
            float ls = (float) Math.log(s);
            for (int i = 0; i < n; i++) out[oo + i] = a[ao + i] - m - ls;
        } else {
            float inv = (float) (1.0 / s);
            for (int i = 0; i < n; i++) out[oo + i] = (float) Math.exp(a[ao + i] - m) * inv;
        }
    }

    @Override
    public void sgemm(int m, int n, int k, float alpha, float[] a, int ao, int ars, int acs,
                      float[] b, int bo, int brs, int bcs, float beta, float[] c, int co, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) s += a[ao + i * ars + p * acs] * b[bo + p * brs + j * bcs];
                int ci = co + i * ldc + j;
                c[ci] = beta == 0f ? alpha * s : alpha * s + beta * c[ci];
            }
        }
    }

    /** The reference keeps B as a dense row-major copy. */
    private record DenseRhs(int k, int n, float[] values) implements PackedRhs {}

    @Override
    public PackedRhs packRhs(int k, int n, float[] b, int bo, int brs, int bcs) {
        float[] v = new float[k * n];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) v[p * n + j] = b[bo + p * brs + j * bcs];
        }
        return new DenseRhs(k, n, v);
    }

    @Override
    public void sgemmPacked(int m, float alpha, float[] a, int ao, int ars, int acs, PackedRhs b,
                            float beta, float[] c, int co, int ldc) {
        if (!(b instanceof DenseRhs d)) {
            throw new IllegalArgumentException("operand was not packed by the scalar kernels: " + b);
        }
        sgemm(m, d.n(), d.k(), alpha, a, ao, ars, acs, d.values(), 0, d.n(), 1, beta, c, co, ldc);
    }

    private record DenseLhs(int m, int k, float[] values) implements PackedLhs {}

    @Override
    public PackedLhs packLhs(int m, int k, float[] a, int ao, int ars, int acs) {
        float[] v = new float[m * k];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) v[i * k + p] = a[ao + i * ars + p * acs];
        }
        return new DenseLhs(m, k, v);
    }

    @Override
    public void sgemmPackedLhs(PackedLhs a, int n, float alpha, float[] b, int bo, int brs, int bcs,
                               float beta, float[] c, int co, int ldc) {
        if (!(a instanceof DenseLhs d)) {
            throw new IllegalArgumentException("operand was not packed by the scalar kernels: " + a);
        }
        sgemm(d.m(), n, d.k(), alpha, d.values(), 0, d.k(), 1, b, bo, brs, bcs, beta, c, co, ldc);
    }

    @Override
    public void sgemmSmallK(int m, int n, int k, float[] a, int ao, float[] b, int bo, int ldb, float[] bias, int biaso,
                            boolean relu, float[] c, int co, int ldc) {
        smallKColumns(0, m, n, k, a, ao, b, bo, ldb, bias, biaso, relu, c, co, ldc);
    }

    /** {@link #sgemmSmallK} for columns {@code j >= from} only (the vector kernel's tail). */
    static void smallKColumns(int from, int m, int n, int k, float[] a, int ao, float[] b, int bo, int ldb,
                              float[] bias, int biaso, boolean relu, float[] c, int co, int ldc) {
        for (int i = 0; i < m; i++) {
            float b0 = bias == null ? 0f : bias[biaso + i];
            for (int j = from; j < n; j++) {
                float s = b0;
                for (int p = 0; p < k; p++) s = Math.fma(a[ao + i * k + p], b[bo + p * ldb + j], s);
                c[co + i * ldc + j] = relu ? Math.max(s, 0f) : s;
            }
        }
    }

    @Override
    public void rowMax(int n, float[] a, int ao, float[] b, int bo, float[] out, int oo) {
        for (int i = 0; i < n; i++) out[oo + i] = Math.max(a[ao + i], b[bo + i]);
    }

    @Override
    public void pairMax(int n, float[] a, int ao, float[] out, int oo) {
        pairMaxFrom(0, n, a, ao, out, oo);
    }

    /** {@link #pairMax} for {@code i >= from} only (the vector kernel's tail). */
    static void pairMaxFrom(int from, int n, float[] a, int ao, float[] out, int oo) {
        for (int i = from; i < n; i++) out[oo + i] = Math.max(a[ao + 2 * i], a[ao + 2 * i + 1]);
    }

    @Override
    public void lstmCell(int h, float[] gates, int go, float[] cPrev, int cpo, float[] c, int co,
                         float[] tanhC, int tco, float[] hOut, int ho) {
        lstmCellFrom(0, h, gates, go, cPrev, cpo, c, co, tanhC, tco, hOut, ho);
    }

    /** {@link #lstmCell} for units {@code j >= from} only (the vector kernels' tail). */
    static void lstmCellFrom(int from, int h, float[] gates, int go, float[] cPrev, int cpo, float[] c, int co,
                             float[] tanhC, int tco, float[] hOut, int ho) {
        for (int j = from; j < h; j++) {
            float i = sigmoid(gates[go + j]);
            float f = sigmoid(gates[go + h + j]);
            float g = (float) Math.tanh(gates[go + 2 * h + j]);
            float o = sigmoid(gates[go + 3 * h + j]);
            gates[go + j] = i;
            gates[go + h + j] = f;
            gates[go + 2 * h + j] = g;
            gates[go + 3 * h + j] = o;
            float cv = f * cPrev[cpo + j] + i * g;
            float tc = (float) Math.tanh(cv);
            c[co + j] = cv;
            tanhC[tco + j] = tc;
            hOut[ho + j] = o * tc;
        }
    }

    @Override
    public void lstmCellBackward(int h, float[] gates, int go, float[] cPrev, int cpo, float[] tanhC, int tco,
                                 float[] dh, int dho, float[] dc, int dco, float[] dGates, int dgo) {
        lstmCellBackwardFrom(0, h, gates, go, cPrev, cpo, tanhC, tco, dh, dho, dc, dco, dGates, dgo);
    }

    /** {@link #lstmCellBackward} for units {@code j >= from} only (the vector kernels' tail). */
    static void lstmCellBackwardFrom(int from, int h, float[] gates, int go, float[] cPrev, int cpo, float[] tanhC,
                                     int tco, float[] dh, int dho, float[] dc, int dco, float[] dGates, int dgo) {
        for (int j = from; j < h; j++) {
            float i = gates[go + j], f = gates[go + h + j], g = gates[go + 2 * h + j], o = gates[go + 3 * h + j];
            float tc = tanhC[tco + j];
            float d = dh[dho + j];
            float dcv = dc[dco + j] + d * o * (1 - tc * tc);
            dGates[dgo + j] = dcv * g * i * (1 - i);
            dGates[dgo + h + j] = dcv * cPrev[cpo + j] * f * (1 - f);
            dGates[dgo + 2 * h + j] = dcv * i * (1 - g * g);
            dGates[dgo + 3 * h + j] = d * tc * o * (1 - o);
            dc[dco + j] = dcv * f;
        }
    }

    private static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    @Override
    public void sigmoidInPlace(double[] x, int off, int n) {
        for (int i = off; i < off + n; i++) x[i] = 1 / (1 + Math.exp(-x[i]));
    }

    @Override
    public void tanhInPlace(double[] x, int off, int n) {
        for (int i = off; i < off + n; i++) x[i] = Math.tanh(x[i]);
    }

    @Override
    public void reluBackward(int n, float[] g, int go, float[] y, int yo, float[] out, int oo) {
        for (int i = 0; i < n; i++) out[oo + i] = y[yo + i] <= 0f ? 0f : g[go + i];
    }

    @Override
    public void copy2d(int rows, int cols, float[] src, int so, int srs, int scs, float[] dst, int dOff,
                       int drs, int dcs) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                dst[dOff + i * drs + j * dcs] = src[so + i * srs + j * scs];
            }
        }
    }
}
