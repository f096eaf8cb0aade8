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
