package org.kindling.tensor.internal;

import java.util.Arrays;
import org.kindling.kernel.internal.KernelProvider;
import org.kindling.tensor.DType;
import org.kindling.tensor.Shape;

/** Matrix products. Float32 goes through the kernels' blocked sgemm; other dtypes through plain loops. */
public final class LinalgOps {
    private LinalgOps() {}

    // ================================================================ checks and messages

    private static void requireSameDtype(Buffer a, Buffer b, String op) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": expected both operands to have the same dtype, but got "
                    + a.dtype().pytorchName() + " and " + b.dtype().pytorchName());
        }
        if (a.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(op + ": not implemented for dtype bool");
        }
    }

    private static String mat(int r, int c) {
        return r + "x" + c;
    }

    private static IllegalArgumentException cannotMultiply(String op, int m, int k, int k2, int n) {
        return new IllegalArgumentException(op + ": mat1 and mat2 shapes cannot be multiplied (" + mat(m, k)
                + " and " + mat(k2, n) + ")");
    }

    // ================================================================ the GEMM core

    /**
     * True when an r x c matrix with these strides is row- or column-major with some leading dimension,
     * after ignoring the stride of a size-1 dim, so sgemm can read it in place.
     */
    private static boolean gemmFriendly(int rows, int cols, int rs, int cs) {
        return cols <= 1 || rows <= 1 || rs == 1 || cs == 1;
    }

    /** Float32 operands whose matrix dims are not row/column-major are copied contiguous; others pass through. */
    static Buffer gemmOperand(Buffer x) {
        if (x.dtype() != DType.FLOAT32) return x;
        int r = x.rank();
        if (gemmFriendly(x.shape[r - 2], x.shape[r - 1], x.strides[r - 2], x.strides[r - 1])) return x;
        return x.copy();
    }

    /**
     * {@code C[cOff + i*ldc + j] = sum_p A(i,p) B(p,j)} for one matrix; C must be zero-initialised (it is
     * overwritten for float32, accumulated into for the plain loops).
     */
    private static void gemm2d(int m, int n, int k,
                               Storage a, int ao, int ars, int acs,
                               Storage b, int bo, int brs, int bcs,
                               Storage c, int co, int ldc) {
        if (m == 0 || n == 0 || k == 0) return;
        switch (c.dtype) {
            case FLOAT32 -> {
                // Normalise the stride of size-1 dims so the kernel always sees a unit stride on one side.
                if (k <= 1) acs = 1;
                else if (m <= 1) ars = 1;
                if (n <= 1) bcs = 1;
                else if (k <= 1) brs = 1;
                KernelProvider.get().sgemm(m, n, k, 1f, a.f32, ao, ars, acs, b.f32, bo, brs, bcs, 0f, c.f32, co, ldc);
            }
            case FLOAT64 -> {
                double[] A = a.f64;
                double[] B = b.f64;
                double[] C = c.f64;
                for (int i = 0; i < m; i++) {
                    int ci = co + i * ldc;
                    int ai = ao + i * ars;
                    for (int p = 0; p < k; p++) {
                        double av = A[ai + p * acs];
                        int bp = bo + p * brs;
                        if (bcs == 1) {
                            for (int j = 0; j < n; j++) C[ci + j] += av * B[bp + j];
                        } else {
                            for (int j = 0; j < n; j++) C[ci + j] += av * B[bp + j * bcs];
                        }
                    }
                }
            }
            case INT64, INT32 -> {
                long[] acc = new long[n];
                for (int i = 0; i < m; i++) {
                    Arrays.fill(acc, 0L);
                    int ai = ao + i * ars;
                    for (int p = 0; p < k; p++) {
                        long av = a.getLong(ai + p * acs);
                        int bp = bo + p * brs;
                        for (int j = 0; j < n; j++) acc[j] += av * b.getLong(bp + j * bcs);
                    }
                    int ci = co + i * ldc;
                    for (int j = 0; j < n; j++) c.setLong(ci + j, acc[j]);
                }
            }
            case BOOL -> throw new IllegalArgumentException("matmul: not implemented for dtype bool");
        }
    }

    /**
     * Batched product of {@code a} (shape batch + [m, k]) and {@code b} (batch + [k, n]), both already
     * expanded to the same batch shape, with any strides. Result contiguous, shape batch + [m, n].
     */
    static Buffer batchedMatmul(Buffer a, Buffer b) {
        a = gemmOperand(a);
        b = gemmOperand(b);
        int r = a.rank();
        int nb = r - 2;
        int m = a.shape[r - 2];
        int k = a.shape[r - 1];
        int n = b.shape[r - 1];
        int[] outShape = Arrays.copyOf(a.shape, r);
        outShape[r - 1] = n;
        Buffer out = Buffer.allocate(a.dtype(), outShape);
        int batches = Shape.numel(Arrays.copyOf(a.shape, nb));
        if (batches == 0 || m == 0 || n == 0) return out;
        int ars = a.strides[r - 2];
        int acs = a.strides[r - 1];
        int brs = b.strides[r - 2];
        int bcs = b.strides[r - 1];
        int[] bc = new int[nb];
        int mn = m * n;
        for (int t = 0; t < batches; t++) {
            int ao = a.offset;
            int bo = b.offset;
            for (int d = 0; d < nb; d++) {
                ao += bc[d] * a.strides[d];
                bo += bc[d] * b.strides[d];
            }
            gemm2d(m, n, k, a.storage, ao, ars, acs, b.storage, bo, brs, bcs, out.storage, t * mn, n);
            for (int d = nb - 1; d >= 0; d--) {
                if (++bc[d] < a.shape[d]) break;
                bc[d] = 0;
            }
        }
        return out;
    }

    private static Buffer withShape(Buffer contiguousFresh, int[] shape) {
        return new Buffer(contiguousFresh.storage, contiguousFresh.offset, shape.clone(),
                Buffer.contiguousStrides(shape));
    }

    private static Buffer mmImpl(Buffer a, Buffer b, String op) {
        int m = a.shape[0];
        int k = a.shape[1];
        int k2 = b.shape[0];
        int n = b.shape[1];
        if (k != k2) throw cannotMultiply(op, m, k, k2, n);
        return batchedMatmul(a, b);
    }

    private static Buffer dotImpl(Buffer a, Buffer b, String op) {
        int n = a.shape[0];
        if (b.shape[0] != n) {
            throw new IllegalArgumentException(op + ": inconsistent tensor size, expected tensor [" + n
                    + "] and src [" + b.shape[0] + "] to have the same number of elements, but got " + n + " and "
                    + b.shape[0] + " elements respectively");
        }
        Buffer out = Buffer.allocate(a.dtype(), new int[0]);
        Storage as = a.storage;
        Storage bs = b.storage;
        int ao = a.offset;
        int bo = b.offset;
        int ast = a.strides[0];
        int bst = b.strides[0];
        switch (a.dtype()) {
            case FLOAT32 -> out.storage.f32[0] = n == 0 ? 0f
                    : KernelProvider.get().dot(n, as.f32, ao, ast, bs.f32, bo, bst);
            case FLOAT64 -> {
                double s = 0;
                for (int i = 0; i < n; i++) s += as.f64[ao + i * ast] * bs.f64[bo + i * bst];
                out.storage.f64[0] = s;
            }
            default -> {
                long s = 0;
                for (int i = 0; i < n; i++) s += as.getLong(ao + i * ast) * bs.getLong(bo + i * bst);
                out.storage.setLong(0, s);
            }
        }
        return out;
    }

    // ================================================================ public ops

    /** {@code torch.matmul} with every case: 1-D x 1-D dot, 2-D, 1-D promoted and removed, batched with broadcast batch dims. */
    public static Buffer matmul(Buffer a, Buffer b) {
        String op = "matmul";
        int ra = a.rank();
        int rb = b.rank();
        if (ra == 0 || rb == 0) {
            throw new IllegalArgumentException(op + ": both arguments to matmul need to be at least 1D, but they are "
                    + ra + "D and " + rb + "D");
        }
        requireSameDtype(a, b, op);
        if (ra == 1 && rb == 1) return dotImpl(a, b, op);
        Buffer a2 = ra == 1 ? a.unsqueeze(0, op) : a;
        Buffer b2 = rb == 1 ? b.unsqueeze(1, op) : b;
        int r2a = a2.rank();
        int r2b = b2.rank();
        int m = a2.shape[r2a - 2];
        int k = a2.shape[r2a - 1];
        int k2 = b2.shape[r2b - 2];
        int n = b2.shape[r2b - 1];
        if (k != k2) {
            IllegalArgumentException e = cannotMultiply(op, m, k, k2, n);
            if (ra <= 2 && rb <= 2) throw e;
            throw new IllegalArgumentException(e.getMessage() + " for operands of shapes " + Arrays.toString(a.shape)
                    + " and " + Arrays.toString(b.shape));
        }
        // Final shape: broadcast batch + [m] (unless a was 1-D) + [n] (unless b was 1-D).
        int[] batchA = Arrays.copyOf(a2.shape, r2a - 2);
        int[] batchB = Arrays.copyOf(b2.shape, r2b - 2);
        int[] batch;
        try {
            batch = Shape.broadcast(batchA, batchB, op);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": batch dimensions of shapes " + Arrays.toString(a.shape) + " and "
                    + Arrays.toString(b.shape) + " cannot be broadcast: " + e.getMessage(), e);
        }
        int nb = batch.length;
        int[] finalShape = new int[nb + (ra == 1 ? 0 : 1) + (rb == 1 ? 0 : 1)];
        System.arraycopy(batch, 0, finalShape, 0, nb);
        int fi = nb;
        if (ra != 1) finalShape[fi++] = m;
        if (rb != 1) finalShape[fi] = n;

        // N-D x 2-D (or 1-D): fold the batch into the rows and run one big GEMM when a view allows it.
        if (r2b == 2 && r2a >= 3) {
            int rows = Shape.numel(Arrays.copyOf(a2.shape, r2a - 1));
            Buffer folded = a2.viewOrNull(new int[] {rows, k});
            if (folded != null) return withShape(batchedMatmul(folded, b2), finalShape);
        }
        Buffer ae = gemmOperand(a2);
        Buffer be = gemmOperand(b2);
        int[] fa = Arrays.copyOf(batch, nb + 2);
        fa[nb] = m;
        fa[nb + 1] = k;
        int[] fb = Arrays.copyOf(batch, nb + 2);
        fb[nb] = k;
        fb[nb + 1] = n;
        Buffer out = batchedMatmul(ae.expandTo(fa, op), be.expandTo(fb, op));
        return withShape(out, finalShape);
    }

    /** 2-D x 2-D only. */
    public static Buffer mm(Buffer a, Buffer b) {
        String op = "mm";
        if (a.rank() != 2) {
            throw new IllegalArgumentException(op + ": self must be a matrix, got a " + a.rank() + "-D tensor of shape "
                    + Arrays.toString(a.shape));
        }
        if (b.rank() != 2) {
            throw new IllegalArgumentException(op + ": mat2 must be a matrix, got a " + b.rank() + "-D tensor of shape "
                    + Arrays.toString(b.shape));
        }
        requireSameDtype(a, b, op);
        return mmImpl(a, b, op);
    }

    /** 3-D x 3-D with equal batch size. */
    public static Buffer bmm(Buffer a, Buffer b) {
        String op = "bmm";
        if (a.rank() != 3) {
            throw new IllegalArgumentException(op + ": batch1 must be a 3D tensor, got shape " + Arrays.toString(a.shape));
        }
        if (b.rank() != 3) {
            throw new IllegalArgumentException(op + ": batch2 must be a 3D tensor, got shape " + Arrays.toString(b.shape));
        }
        requireSameDtype(a, b, op);
        if (a.shape[0] != b.shape[0]) {
            throw new IllegalArgumentException(op + ": batch1 and batch2 must have same number of batches, got "
                    + a.shape[0] + " and " + b.shape[0]);
        }
        if (a.shape[2] != b.shape[1]) {
            throw new IllegalArgumentException(cannotMultiply(op, a.shape[1], a.shape[2], b.shape[1], b.shape[2])
                    .getMessage() + " for batches of shapes " + Arrays.toString(a.shape) + " and "
                    + Arrays.toString(b.shape));
        }
        return batchedMatmul(a, b);
    }

    public static Buffer mv(Buffer a, Buffer v) {
        String op = "mv";
        if (a.rank() != 2 || v.rank() != 1) {
            throw new IllegalArgumentException(op + ": expected a 2-D matrix and a 1-D vector, got shapes "
                    + Arrays.toString(a.shape) + " and " + Arrays.toString(v.shape));
        }
        requireSameDtype(a, v, op);
        if (a.shape[1] != v.shape[0]) {
            throw new IllegalArgumentException(op + ": size mismatch, got mat (" + mat(a.shape[0], a.shape[1])
                    + ") and vec (" + v.shape[0] + ")");
        }
        Buffer out = mmImpl(a, v.unsqueeze(1, op), op);
        return withShape(out, new int[] {a.shape[0]});
    }

    public static Buffer dot(Buffer a, Buffer b) {
        String op = "dot";
        if (a.rank() != 1 || b.rank() != 1) {
            throw new IllegalArgumentException(op + ": 1D tensors expected, but got " + a.rank() + "D and " + b.rank()
                    + "D tensors");
        }
        requireSameDtype(a, b, op);
        return dotImpl(a, b, op);
    }

    public static Buffer outer(Buffer a, Buffer b) {
        String op = "outer";
        if (a.rank() != 1 || b.rank() != 1) {
            throw new IllegalArgumentException(op + ": expected 1-D tensors, but got " + a.rank() + "-D and "
                    + b.rank() + "-D");
        }
        DType dt = DType.promote(a.dtype(), b.dtype());
        int m = a.shape[0];
        int n = b.shape[0];
        Buffer out = Buffer.allocate(dt, new int[] {m, n});
        Storage os = out.storage;
        Storage as = a.storage;
        Storage bs = b.storage;
        for (int i = 0; i < m; i++) {
            int ai = a.offset + i * a.strides[0];
            for (int j = 0; j < n; j++) {
                int bj = b.offset + j * b.strides[0];
                int o = i * n + j;
                switch (dt) {
                    case FLOAT32 -> os.f32[o] = (float) as.getDouble(ai) * (float) bs.getDouble(bj);
                    case FLOAT64 -> os.f64[o] = as.getDouble(ai) * bs.getDouble(bj);
                    default -> os.setLong(o, as.getLong(ai) * bs.getLong(bj));
                }
            }
        }
        return out;
    }

    /** {@code beta * input + alpha * (m1 @ m2)}, input broadcast to the product's shape. */
    public static Buffer addmm(Buffer input, Buffer m1, Buffer m2, double beta, double alpha) {
        String op = "addmm";
        if (m1.rank() != 2) {
            throw new IllegalArgumentException(op + ": mat1 must be a matrix, got a " + m1.rank()
                    + "-D tensor of shape " + Arrays.toString(m1.shape));
        }
        if (m2.rank() != 2) {
            throw new IllegalArgumentException(op + ": mat2 must be a matrix, got a " + m2.rank()
                    + "-D tensor of shape " + Arrays.toString(m2.shape));
        }
        requireSameDtype(m1, m2, op);
        if (input.dtype() != m1.dtype()) {
            throw new IllegalArgumentException(op + ": self and mat2 must have the same dtype, but got "
                    + input.dtype().pytorchName() + " and " + m2.dtype().pytorchName());
        }
        int m = m1.shape[0];
        int k = m1.shape[1];
        int n = m2.shape[1];
        if (k != m2.shape[0]) throw cannotMultiply(op, m, k, m2.shape[0], n);
        DType dt = m1.dtype();
        if (dt.isIntegral() && (beta != Math.rint(beta) || alpha != Math.rint(alpha))) {
            throw new IllegalArgumentException(op + ": for integral input tensors, arguments beta and alpha must not"
                    + " be floating point numbers, got beta=" + beta + " and alpha=" + alpha);
        }
        int[] shape = {m, n};
        Buffer in;
        try {
            in = input.expandTo(shape, op);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": input of shape " + Arrays.toString(input.shape)
                    + " cannot be broadcast to the product's shape " + Arrays.toString(shape), e);
        }
        Buffer out = Buffer.allocate(dt, shape);
        if (dt == DType.FLOAT32 && m > 0 && n > 0 && k > 0) {
            Buffer a = gemmOperand(m1);
            Buffer b = gemmOperand(m2);
            if (beta != 0) Buffer.copyInto(in, out);
            int ars = a.strides[0];
            int acs = a.strides[1];
            int brs = b.strides[0];
            int bcs = b.strides[1];
            if (k <= 1) acs = 1;
            else if (m <= 1) ars = 1;
            if (n <= 1) bcs = 1;
            else if (k <= 1) brs = 1;
            KernelProvider.get().sgemm(m, n, k, (float) alpha, a.storage.f32, a.offset, ars, acs,
                    b.storage.f32, b.offset, brs, bcs, beta == 0 ? 0f : (float) beta, out.storage.f32, 0, n);
            return out;
        }
        Buffer prod = mmImpl(m1, m2, op);
        Storage ps = prod.storage;
        Storage os = out.storage;
        Storage is = in.storage;
        StridedLoop.forEachRow(shape, out.strides, 0, in.strides, in.offset, (cnt, o0, s0, o1, s1) -> {
            for (int i = 0; i < cnt; i++) {
                int o = o0 + i * s0;
                int q = o1 + i * s1;
                if (dt.isFloatingPoint()) {
                    double pv = alpha * ps.getDouble(o);
                    os.setDouble(o, beta == 0 ? pv : beta * is.getDouble(q) + pv);
                } else {
                    long pv = (long) alpha * ps.getLong(o);
                    os.setLong(o, beta == 0 ? pv : (long) beta * is.getLong(q) + pv);
                }
            }
        });
        return out;
    }

    /** {@code torch.einsum} for explicit ("ij,jk->ik") and implicit ("ij,jk") forms, any number of operands, "..." allowed. */
    public static Buffer einsum(String equation, Buffer[] operands) {
        return Einsum.einsum(equation, operands);
    }
}
