package org.kindling.kernel.internal;

/**
 * The float32 kernel SPI: loops over Java arrays with explicit offsets and strides (in
 * elements). {@link ScalarKernels} is the reference; {@link SimdKernels} is the Vector API twin
 * of the hot paths. {@link KernelProvider#get()} picks one at start-up.
 *
 * <p>Strides may be 0 (a broadcast operand) or any positive value; implementations are expected
 * to be fast for unit strides and correct for all.
 */
public interface Kernels {
    /** "simd" or "scalar". */
    String name();

    /** {@code out[oo + i*os] = op(a[ao + i*as], b[bo + i*bs])} for {@code i < n}. */
    void binary(BinaryOp op, int n, float[] a, int ao, int as, float[] b, int bo, int bs, float[] out, int oo, int os);

    /** {@code out[oo + i*os] = op(a[ao + i*as])} for {@code i < n}. */
    void unary(UnaryOp op, int n, float[] a, int ao, int as, float[] out, int oo, int os);

    /** Sum of {@code a[ao + i*as]}, {@code i < n}, accumulated in float lanes (like PyTorch's float sum). */
    float sum(int n, float[] a, int ao, int as);

    /** Largest element (NaN if any is NaN); -Infinity when n == 0. */
    float max(int n, float[] a, int ao, int as);

    /** Smallest element (NaN if any is NaN); +Infinity when n == 0. */
    float min(int n, float[] a, int ao, int as);

    /** Dot product of two strided vectors. */
    float dot(int n, float[] a, int ao, int as, float[] b, int bo, int bs);

    /**
     * Softmax (or log-softmax when {@code log}) over one contiguous row of n elements,
     * numerically stable (max subtracted).
     */
    void softmax(int n, float[] a, int ao, float[] out, int oo, boolean log);

    /**
     * {@code C = alpha * A.B + beta * C}, where A is m x k with element (i, p) at
     * {@code a[ao + i*ars + p*acs]}, B is k x n with (p, j) at {@code b[bo + p*brs + j*bcs]}, and C is m x n
     * row-major with leading dimension ldc. Strides make transposed operands free. When beta is 0, C is
     * not read (NaN in C does not leak). Blocked, packed and register-tiled in the real implementations;
     * may use {@link Parallel} for large problems.
     */
    void sgemm(int m, int n, int k, float alpha,
               float[] a, int ao, int ars, int acs,
               float[] b, int bo, int brs, int bcs,
               float beta, float[] c, int co, int ldc);

    /** A right-hand GEMM operand prepared once by {@link #packRhs} for many {@link #sgemmPacked} calls. */
    interface PackedRhs {
        /** Rows of B (the shared dimension). */
        int k();

        /** Columns of B. */
        int n();
    }

    /** Prepares B (k x n, element (p, j) at {@code b[bo + p*brs + j*bcs]}) for repeated products. */
    PackedRhs packRhs(int k, int n, float[] b, int bo, int brs, int bcs);

    /** {@link #sgemm} with a B prepared by this provider's {@link #packRhs}. */
    void sgemmPacked(int m, float alpha, float[] a, int ao, int ars, int acs, PackedRhs b,
                     float beta, float[] c, int co, int ldc);

    /** A left-hand GEMM operand prepared once by {@link #packLhs} for many {@link #sgemmPackedLhs} calls. */
    interface PackedLhs {
        /** Rows of A. */
        int m();

        /** Columns of A (the shared dimension). */
        int k();
    }

    /** Prepares A (m x k, element (i, p) at {@code a[ao + i*ars + p*acs]}) for repeated products. */
    PackedLhs packLhs(int m, int k, float[] a, int ao, int ars, int acs);

    /**
     * {@link #sgemm} with an A prepared by this provider's {@link #packLhs}, in the calling thread only (for
     * callers that already split their work over the threads, such as a convolution's samples).
     */
    void sgemmPackedLhs(PackedLhs a, int n, float alpha, float[] b, int bo, int brs, int bcs,
                        float beta, float[] c, int co, int ldc);

    /**
     * One LSTM time step of one batch row. {@code gates[go..go+4h)} holds the pre-activations of
     * the gates i, f, g, o and is overwritten with their activations (sigmoid, sigmoid, tanh,
     * sigmoid); then {@code c = f*cPrev + i*g}, {@code tanhC = tanh(c)} and {@code hOut = o*tanhC},
     * each h long.
     */
    void lstmCell(int h, float[] gates, int go, float[] cPrev, int cpo, float[] c, int co,
                  float[] tanhC, int tco, float[] hOut, int ho);

    /**
     * Backward of {@link #lstmCell} for one row, from its saved activated gates, {@code cPrev} and
     * {@code tanhC}: {@code dh} is the gradient reaching h, {@code dc} the one reaching c from the
     * next step (replaced by the gradient of cPrev); writes the 4h pre-activation gradients.
     */
    void lstmCellBackward(int h, float[] gates, int go, float[] cPrev, int cpo, float[] tanhC, int tco,
                          float[] dh, int dho, float[] dc, int dco, float[] dGates, int dgo);

    /**
     * {@code C = A.B}, then {@code + bias[i]} on row i when bias is given, then ReLU when asked (NaN kept), for a
     * short shared dimension: A is m x k row-major at {@code ao}, B is k x n with leading dimension ldb, C is m x n
     * with leading dimension ldc. The first convolution of an image network has k = channels x kernel area (9 or
     * 27), where a blocked GEMM spends its time merging tiles rather than multiplying.
     */
    void sgemmSmallK(int m, int n, int k, float[] a, int ao, float[] b, int bo, int ldb, float[] bias, int biaso,
                     boolean relu, float[] c, int co, int ldc);

    /**
     * Elementwise maximum of two rows, the rows step of 2-high max pooling:
     * {@code out[oo + i] = max(a[ao + i], b[bo + i])} for {@code i < n}; NaN if either is NaN. {@code out} may
     * not overlap {@code a} or {@code b}.
     */
    void rowMax(int n, float[] a, int ao, float[] b, int bo, float[] out, int oo);

    /**
     * Maximum of adjacent pairs, the columns step of 2-wide max pooling:
     * {@code out[oo + i] = max(a[ao + 2i], a[ao + 2i + 1])} for {@code i < n}; NaN if either is NaN.
     */
    void pairMax(int n, float[] a, int ao, float[] out, int oo);

    /** In place {@code x[off + i] = 1 / (1 + exp(-x[off + i]))} for {@code i < n}, in double (recurrent gates). */
    void sigmoidInPlace(double[] x, int off, int n);

    /** In place {@code x[off + i] = tanh(x[off + i])} for {@code i < n}, in double. */
    void tanhInPlace(double[] x, int off, int n);

    /**
     * ReLU's backward over contiguous rows: {@code out[i] = y[i] <= 0 ? 0 : g[i]}, where y is the
     * ReLU's output (NaN in y lets the gradient through, as PyTorch's threshold_backward).
     */
    void reluBackward(int n, float[] g, int go, float[] y, int yo, float[] out, int oo);

    /**
     * Copies a 2-D strided block: {@code dst[do + i*drs + j*dcs] = src[so + i*srs + j*scs]} for
     * {@code i < rows, j < cols}, tiled so that transposes stay in cache.
     */
    void copy2d(int rows, int cols, float[] src, int so, int srs, int scs, float[] dst, int dOff, int drs, int dcs);
}
