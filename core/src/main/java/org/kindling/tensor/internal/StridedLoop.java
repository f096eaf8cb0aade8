package org.kindling.tensor.internal;

import org.kindling.kernel.internal.Parallel;

/**
 * Iterates an n-dimensional index space over one to three strided operands, calling a row
 * callback for each run along the innermost dimension. Adjacent dimensions that are contiguous
 * for every operand are merged first, so a contiguous tensor is one long row and kernels see
 * long, unit-stride rows whenever the layout allows.
 */
public final class StridedLoop {
    private StridedLoop() {}

    @FunctionalInterface
    public interface Row1 {
        void row(int n, int o0, int s0);
    }

    @FunctionalInterface
    public interface Row2 {
        void row(int n, int o0, int s0, int o1, int s1);
    }

    @FunctionalInterface
    public interface Row3 {
        void row(int n, int o0, int s0, int o1, int s1, int o2, int s2);
    }

    /** Shape and per-operand strides after merging dims; sizes-1 dims dropped. */
    private static final class Plan {
        final int[] shape;
        final int[][] strides;

        Plan(int[] shape, int[][] strides) {
            this.shape = shape;
            this.strides = strides;
        }

        int rows() {
            int r = 1;
            for (int i = 0; i < shape.length - 1; i++) r *= shape[i];
            return r;
        }

        int inner() {
            return shape.length == 0 ? 1 : shape[shape.length - 1];
        }

        /** Storage offset of operand k at the start of row {@code row}. */
        int rowOffset(int k, int base, int row) {
            int off = base;
            int[] st = strides[k];
            for (int d = shape.length - 2; d >= 0 && row > 0; d--) {
                int s = shape[d];
                off += (row % s) * st[d];
                row /= s;
            }
            return off;
        }
    }

    private static Plan plan(int[] shape, int[]... strides) {
        int ops = strides.length;
        for (int s : shape) {
            if (s == 0) return null;
        }
        int[] sh = new int[shape.length];
        int[][] st = new int[ops][shape.length];
        int n = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            if (n > 0) {
                boolean merge = true;
                for (int k = 0; k < ops; k++) {
                    if (st[k][n - 1] != strides[k][d] * shape[d]) {
                        merge = false;
                        break;
                    }
                }
                if (merge) {
                    sh[n - 1] *= shape[d];
                    for (int k = 0; k < ops; k++) st[k][n - 1] = strides[k][d];
                    continue;
                }
            }
            sh[n] = shape[d];
            for (int k = 0; k < ops; k++) st[k][n] = strides[k][d];
            n++;
        }
        int[] fs = java.util.Arrays.copyOf(sh, n);
        int[][] fst = new int[ops][];
        for (int k = 0; k < ops; k++) fst[k] = java.util.Arrays.copyOf(st[k], n);
        return new Plan(fs, fst);
    }

    /** Walks rows {@code [from, to)} of the plan, keeping a running index instead of dividing. */
    private static void walk(Plan p, int[] bases, int from, int to, RowN body) {
        int rank = p.shape.length;
        int inner = p.inner();
        int ops = bases.length;
        int[] innerStride = new int[ops];
        int[] offs = new int[ops];
        for (int k = 0; k < ops; k++) {
            innerStride[k] = rank == 0 ? 1 : p.strides[k][rank - 1];
            offs[k] = p.rowOffset(k, bases[k], from);
        }
        int outer = rank - 1;
        int[] idx = new int[Math.max(outer, 0)];
        int r = from;
        for (int d = outer - 1; d >= 0; d--) {
            idx[d] = r % p.shape[d];
            r /= p.shape[d];
        }
        for (int row = from; row < to; row++) {
            body.row(inner, offs, innerStride);
            for (int d = outer - 1; d >= 0; d--) {
                idx[d]++;
                for (int k = 0; k < ops; k++) offs[k] += p.strides[k][d];
                if (idx[d] < p.shape[d]) break;
                for (int k = 0; k < ops; k++) offs[k] -= p.strides[k][d] * p.shape[d];
                idx[d] = 0;
            }
        }
    }

    @FunctionalInterface
    private interface RowN {
        void row(int n, int[] offs, int[] strides);
    }

    private static void run(int[] shape, int[][] strides, int[] bases, boolean parallel, RowN body) {
        Plan p = plan(shape, strides);
        if (p == null) return;
        int rows = p.rows();
        int inner = p.inner();
        long total = (long) rows * inner;
        if (!parallel || total < Parallel.ELEMENTWISE_GRAIN || Parallel.numThreads() <= 1) {
            walk(p, bases, 0, rows, body);
        } else if (rows == 1) {
            int rank = p.shape.length;
            int ops = bases.length;
            int[] st = new int[ops];
            for (int k = 0; k < ops; k++) st[k] = rank == 0 ? 1 : p.strides[k][rank - 1];
            Parallel.parallelFor(0, inner, Parallel.ELEMENTWISE_GRAIN, (from, to) -> {
                int[] offs = new int[ops];
                for (int k = 0; k < ops; k++) offs[k] = bases[k] + from * st[k];
                body.row(to - from, offs, st);
            });
        } else {
            int grainRows = Math.max(1, Parallel.ELEMENTWISE_GRAIN / Math.max(inner, 1));
            Parallel.parallelFor(0, rows, grainRows, (from, to) -> walk(p, bases, from, to, body));
        }
    }

    public static void forEachRow(int[] shape, int[] s0, int o0, Row1 body) {
        run(shape, new int[][] {s0}, new int[] {o0}, false, (n, o, s) -> body.row(n, o[0], s[0]));
    }

    public static void forEachRow(int[] shape, int[] s0, int o0, int[] s1, int o1, Row2 body) {
        run(shape, new int[][] {s0, s1}, new int[] {o0, o1}, false,
                (n, o, s) -> body.row(n, o[0], s[0], o[1], s[1]));
    }

    public static void forEachRow(int[] shape, int[] s0, int o0, int[] s1, int o1, int[] s2, int o2, Row3 body) {
        run(shape, new int[][] {s0, s1, s2}, new int[] {o0, o1, o2}, false,
                (n, o, s) -> body.row(n, o[0], s[0], o[1], s[1], o[2], s[2]));
    }

    /** As {@link #forEachRow(int[], int[], int, Row1)}, split across threads for large work. Rows must not overlap in writes. */
    public static void parallelForEachRow(int[] shape, int[] s0, int o0, Row1 body) {
        run(shape, new int[][] {s0}, new int[] {o0}, true, (n, o, s) -> body.row(n, o[0], s[0]));
    }

    public static void parallelForEachRow(int[] shape, int[] s0, int o0, int[] s1, int o1, Row2 body) {
        run(shape, new int[][] {s0, s1}, new int[] {o0, o1}, true,
                (n, o, s) -> body.row(n, o[0], s[0], o[1], s[1]));
    }

    public static void parallelForEachRow(int[] shape, int[] s0, int o0, int[] s1, int o1, int[] s2, int o2,
                                          Row3 body) {
        run(shape, new int[][] {s0, s1, s2}, new int[] {o0, o1, o2}, true,
                (n, o, s) -> body.row(n, o[0], s[0], o[1], s[1], o[2], s[2]));
    }
}
