package org.kindling.tensor.internal;

/** Matrix products. Float32 goes through the kernels' blocked sgemm; other dtypes through plain loops. */
public final class LinalgOps {
    private LinalgOps() {}

    /** {@code torch.matmul} with every case: 1-D x 1-D dot, 2-D, 1-D promoted and removed, batched with broadcast batch dims. */
    public static Buffer matmul(Buffer a, Buffer b) {
        throw new UnsupportedOperationException("matmul");
    }

    /** 2-D x 2-D only. */
    public static Buffer mm(Buffer a, Buffer b) {
        throw new UnsupportedOperationException("mm");
    }

    /** 3-D x 3-D with equal batch size. */
    public static Buffer bmm(Buffer a, Buffer b) {
        throw new UnsupportedOperationException("bmm");
    }

    public static Buffer mv(Buffer a, Buffer v) {
        throw new UnsupportedOperationException("mv");
    }

    public static Buffer dot(Buffer a, Buffer b) {
        throw new UnsupportedOperationException("dot");
    }

    public static Buffer outer(Buffer a, Buffer b) {
        throw new UnsupportedOperationException("outer");
    }

    /** {@code beta * input + alpha * (m1 @ m2)}, input broadcast to the product's shape. */
    public static Buffer addmm(Buffer input, Buffer m1, Buffer m2, double beta, double alpha) {
        throw new UnsupportedOperationException("addmm");
    }

    /** {@code torch.einsum} for explicit ("ij,jk->ik") and implicit ("ij,jk") forms, any number of operands, "..." allowed. */
    public static Buffer einsum(String equation, Buffer[] operands) {
        throw new UnsupportedOperationException("einsum");
    }
}
