package org.kindling.tensor.internal;

import org.kindling.tensor.DType;

/**
 * Reductions with PyTorch semantics. {@code dims == null} means all dimensions; dims may be
 * negative; {@code keepdim} keeps reduced dims as size 1. Float32 inner loops use the kernels.
 */
public final class ReduceOps {
    private ReduceOps() {}

    /** Sum; int and bool inputs sum to INT64 unless {@code dtype} is given. */
    public static Buffer sum(Buffer a, int[] dims, boolean keepdim, DType dtype) {
        throw new UnsupportedOperationException("sum");
    }

    /** Mean; floating inputs only (an integer input is an error naming the dtype, as PyTorch). */
    public static Buffer mean(Buffer a, int[] dims, boolean keepdim) {
        throw new UnsupportedOperationException("mean");
    }

    public static Buffer prod(Buffer a, int[] dims, boolean keepdim) {
        throw new UnsupportedOperationException("prod");
    }

    public static Buffer amax(Buffer a, int[] dims, boolean keepdim) {
        throw new UnsupportedOperationException("amax");
    }

    public static Buffer amin(Buffer a, int[] dims, boolean keepdim) {
        throw new UnsupportedOperationException("amin");
    }

    /** {values, indices (INT64)} of the max along dim; ties give the first index. */
    public static Buffer[] maxDim(Buffer a, int dim, boolean keepdim) {
        throw new UnsupportedOperationException("max");
    }

    public static Buffer[] minDim(Buffer a, int dim, boolean keepdim) {
        throw new UnsupportedOperationException("min");
    }

    /** Index of the max over the flattened tensor when dim is null. */
    public static Buffer argmax(Buffer a, Integer dim, boolean keepdim) {
        throw new UnsupportedOperationException("argmax");
    }

    public static Buffer argmin(Buffer a, Integer dim, boolean keepdim) {
        throw new UnsupportedOperationException("argmin");
    }

    /** Variance with Bessel-style correction (1 = unbiased, PyTorch's default). */
    public static Buffer var(Buffer a, int[] dims, double correction, boolean keepdim) {
        throw new UnsupportedOperationException("var");
    }

    public static Buffer std(Buffer a, int[] dims, double correction, boolean keepdim) {
        throw new UnsupportedOperationException("std");
    }

    public static Buffer logsumexp(Buffer a, int[] dims, boolean keepdim) {
        throw new UnsupportedOperationException("logsumexp");
    }

    /** Vector p-norm over dims: p = 1, 2, any positive p, +Infinity (max abs) or -Infinity (min abs). */
    public static Buffer norm(Buffer a, double p, int[] dims, boolean keepdim) {
        throw new UnsupportedOperationException("norm");
    }

    /** BOOL: true if every element (over dims) is non-zero. */
    public static Buffer all(Buffer a, int[] dims, boolean keepdim) {
        throw new UnsupportedOperationException("all");
    }

    public static Buffer any(Buffer a, int[] dims, boolean keepdim) {
        throw new UnsupportedOperationException("any");
    }

    /** Cumulative sum along dim (int/bool inputs give INT64). */
    public static Buffer cumsum(Buffer a, int dim) {
        throw new UnsupportedOperationException("cumsum");
    }

    public static Buffer cumprod(Buffer a, int dim) {
        throw new UnsupportedOperationException("cumprod");
    }

    /** Softmax (or log-softmax) along dim; integer inputs give float32. */
    public static Buffer softmax(Buffer a, int dim, boolean log) {
        throw new UnsupportedOperationException(log ? "logSoftmax" : "softmax");
    }

    /** {values, indices (INT64)}, stable sort along dim; NaN sorts as the largest value, like PyTorch. */
    public static Buffer[] sort(Buffer a, int dim, boolean descending) {
        throw new UnsupportedOperationException("sort");
    }

    /** {values, indices (INT64)} of the k largest (or smallest) along dim, in sorted order. */
    public static Buffer[] topk(Buffer a, int k, int dim, boolean largest) {
        throw new UnsupportedOperationException("topk");
    }
}
