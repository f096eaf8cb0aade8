package org.kindling.bench.compare;

import java.util.List;

/** One row of the comparison: an op and its operand shapes. */
record Case(String id, Kind kind, int[] shape) {
    enum Kind { SGEMM, ADD, SUM, SOFTMAX, TRANSPOSE }

    /** The rows the issue asks for, in print order. */
    static List<Case> all() {
        return List.of(
                new Case("sgemm-256", Kind.SGEMM, new int[] {256, 256}),
                new Case("sgemm-512", Kind.SGEMM, new int[] {512, 512}),
                new Case("sgemm-1024", Kind.SGEMM, new int[] {1024, 1024}),
                new Case("sgemm-2048", Kind.SGEMM, new int[] {2048, 2048}),
                new Case("add-1e3", Kind.ADD, new int[] {1000}),
                new Case("add-1e6", Kind.ADD, new int[] {1_000_000}),
                new Case("sum-1e6", Kind.SUM, new int[] {1_000_000}),
                new Case("softmax-1024x1024", Kind.SOFTMAX, new int[] {1024, 1024}),
                new Case("transpose-1024x1024", Kind.TRANSPOSE, new int[] {1024, 1024}));
    }

    int numel() {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Number of operands (two for matmul and add). */
    int arity() {
        return kind == Kind.SGEMM || kind == Kind.ADD ? 2 : 1;
    }

    /** Floating-point operations of one call, for sgemm only (2 n^3). */
    double flops() {
        double n = shape[0];
        return kind == Kind.SGEMM ? 2 * n * n * n : Double.NaN;
    }
}
