package org.kindling.tensor.internal;

import java.util.Arrays;
import org.kindling.kernel.internal.BinaryOp;
import org.kindling.kernel.internal.KernelProvider;
import org.kindling.kernel.internal.Kernels;
import org.kindling.kernel.internal.Parallel;
import org.kindling.kernel.internal.UnaryOp;
import org.kindling.tensor.DType;
import org.kindling.tensor.Shape;

/**
 * Elementwise ops on Buffers with NumPy/PyTorch broadcasting and type promotion. Float32 work
 * goes through {@link org.kindling.kernel.internal.KernelProvider#get()} row by row (see
 * {@link StridedLoop}); other dtypes through generic double/long loops. Every method names the
 * op in its errors (the {@code op} argument is the public name, e.g. "add").
 *
 * <p>Operands are first converted to the computation dtype (a copy only when the dtype differs;
 * 0-dim scalars make that free), then broadcast with stride-0 views, then walked row by row.
 * Contiguous same-shape float32 operands skip the row planning altogether and go straight to the
 * kernel over the whole array, split across threads when large.
 */
public final class ElementwiseOps {
    private ElementwiseOps() {}

    private static final Kernels K = KernelProvider.get();

    // ================================================================ type rules

    /** 0 for bool, 1 for integers, 2 for floating point: PyTorch's promotion categories. */
    static int category(DType d) {
        return d == DType.BOOL ? 0 : d.isIntegral() ? 1 : 2;
    }

    /** PyTorch's scalar-type name ("Float", "Long", ...), as used in its error messages. */
    static String torchName(DType d) {
        return switch (d) {
            case FLOAT32 -> "Float";
            case FLOAT64 -> "Double";
            case INT64 -> "Long";
            case INT32 -> "Int";
            case BOOL -> "Bool";
        };
    }

    /**
     * PyTorch's result type for two operands: categories bool &lt; integer &lt; float; a 0-dim operand
     * only raises the result's category, never its width within a category (so float32[3] + float64
     * 0-dim is float32, int32[3] + float64 0-dim is float64).
     */
    public static DType resultType(Buffer a, Buffer b) {
        DType da = a.dtype();
        DType db = b.dtype();
        if (da == db) return da;
        boolean za = a.shape.length == 0;
        boolean zb = b.shape.length == 0;
        if (za == zb) return DType.promote(da, db);
        DType dimmed = za ? db : da;
        DType zero = za ? da : db;
        return category(zero) > category(dimmed) ? zero : dimmed;
    }

    private static DType computeType(BinaryOp op, Buffer a, Buffer b, String name) {
        DType rt = resultType(a, b);
        if (op == BinaryOp.DIV && !rt.isFloatingPoint()) return DType.FLOAT32;
        if (rt == DType.BOOL && op == BinaryOp.SUB) {
            throw new IllegalArgumentException(name + ": subtraction, the `-` operator, with two bool tensors is not "
                    + "supported. Use the `^` or `logicalXor()` operator instead.");
        }
        return rt;
    }

    private static Buffer as(Buffer b, DType t) {
        return b.dtype() == t ? b : b.castCopy(t);
    }

    private static int[] broadcastShape(Buffer a, Buffer b, String name) {
        return Arrays.equals(a.shape, b.shape) ? a.shape : Shape.broadcast(a.shape, b.shape, name);
    }

    /** Rejects writes through views where several elements share one memory location (expanded dims). */
    static void checkNoInternalOverlap(Buffer self, String name) {
        for (int d = 0; d < self.shape.length; d++) {
            if (self.shape[d] > 1 && self.strides[d] == 0) {
                throw new IllegalArgumentException(name + ": unsupported operation: more than one element of the "
                        + "written-to tensor refers to a single memory location (shape " + Arrays.toString(self.shape)
                        + ", strides " + Arrays.toString(self.strides) + "). Please clone() the tensor before "
                        + "performing the operation.");
            }
        }
    }

    /** Same memory positions for every index (dims of size 1 ignored). */
    private static boolean sameLayout(Buffer x, Buffer y) {
        if (x.offset != y.offset || x.shape.length != y.shape.length) return false;
        for (int d = 0; d < x.shape.length; d++) {
            if (x.shape[d] != y.shape[d]) return false;
            if (x.shape[d] > 1 && x.strides[d] != y.strides[d]) return false;
        }
        return true;
    }

    private static boolean large(long n) {
        return n >= Parallel.ELEMENTWISE_GRAIN && Parallel.numThreads() > 1;
    }

    // ================================================================ binary

    /** New buffer {@code op(a, b)} broadcast; DIV always yields floating point (int/int -> float32). */
    public static Buffer binary(BinaryOp op, Buffer a, Buffer b, String name) {
        DType ct = computeType(op, a, b, name);
        if (ct == DType.FLOAT32 && a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32) {
            Buffer fast = binaryF32Fast(op, a, b);
            if (fast != null) return fast;
        }
        int[] shape = broadcastShape(a, b, name);
        Buffer ac = as(a, ct).expandTo(shape, name);
        Buffer bc = as(b, ct).expandTo(shape, name);
        Buffer out = Buffer.allocate(ct, shape);
        applyBinary(op, out, ac, bc);
        return out;
    }

    /** Whole-array kernel calls for contiguous float32 operands; null when the layout needs the row walk. */
    private static Buffer binaryF32Fast(BinaryOp op, Buffer a, Buffer b) {
        boolean sameShape = Arrays.equals(a.shape, b.shape);
        if (sameShape) {
            if (!a.isContiguous() || !b.isContiguous()) return null;
            Buffer out = Buffer.allocate(DType.FLOAT32, a.shape);
            binaryF32(op, a.numel(), a.storage.f32, a.offset, 1, b.storage.f32, b.offset, 1, out.storage.f32, 0);
            return out;
        }
        // One side a single element broadcast over the other (x * 2.0, x + bias[1]).
        if (b.numel() == 1 && a.isContiguous() && a.shape.length >= b.shape.length) {
            Buffer out = Buffer.allocate(DType.FLOAT32, a.shape);
            binaryF32(op, a.numel(), a.storage.f32, a.offset, 1, b.storage.f32, b.offset, 0, out.storage.f32, 0);
            return out;
        }
        if (a.numel() == 1 && b.isContiguous() && b.shape.length >= a.shape.length) {
            Buffer out = Buffer.allocate(DType.FLOAT32, b.shape);
            binaryF32(op, b.numel(), a.storage.f32, a.offset, 0, b.storage.f32, b.offset, 1, out.storage.f32, 0);
            return out;
        }
        return null;
    }

    /** Kernel over {@code n} elements with unit-stride output; a/b strides are 0 or 1. */
    private static void binaryF32(BinaryOp op, int n, float[] a, int ao, int as, float[] b, int bo, int bs,
                                  float[] out, int oo) {
        if (!large(n)) {
            K.binary(op, n, a, ao, as, b, bo, bs, out, oo, 1);
            return;
        }
        Parallel.parallelFor(0, n, Parallel.ELEMENTWISE_GRAIN, (from, to) ->
                K.binary(op, to - from, a, ao + from * as, as, b, bo + from * bs, bs, out, oo + from, 1));
    }

    /**
     * {@code out = op(a, b)} where all three have out's shape and dtype (a and b possibly strided or
     * expanded). Integer division-like ops run sequentially so their exceptions keep their messages.
     */
    private static void applyBinary(BinaryOp op, Buffer out, Buffer a, Buffer b) {
        DType t = out.dtype();
        Storage so = out.storage;
        Storage sa = a.storage;
        Storage sb = b.storage;
        StridedLoop.Row3 row = switch (t) {
            case FLOAT32 -> {
                float[] o = so.f32;
                float[] x = sa.f32;
                float[] y = sb.f32;
                yield (n, o0, s0, o1, s1, o2, s2) -> K.binary(op, n, x, o1, s1, y, o2, s2, o, o0, s0);
            }
            case FLOAT64 -> {
                double[] o = so.f64;
                double[] x = sa.f64;
                double[] y = sb.f64;
                yield (n, o0, s0, o1, s1, o2, s2) -> rowF64(op, n, x, o1, s1, y, o2, s2, o, o0, s0);
            }
            case INT64 -> {
                long[] o = so.i64;
                long[] x = sa.i64;
                long[] y = sb.i64;
                yield (n, o0, s0, o1, s1, o2, s2) -> rowI64(op, n, x, o1, s1, y, o2, s2, o, o0, s0);
            }
            case INT32 -> {
                int[] o = so.i32;
                int[] x = sa.i32;
                int[] y = sb.i32;
                yield (n, o0, s0, o1, s1, o2, s2) -> {
                    for (int i = 0; i < n; i++) o[o0 + i * s0] = (int) op.apply((long) x[o1 + i * s1], y[o2 + i * s2]);
                };
            }
            case BOOL -> {
                byte[] o = so.bool;
                byte[] x = sa.bool;
                byte[] y = sb.bool;
                yield (n, o0, s0, o1, s1, o2, s2) -> {
                    for (int i = 0; i < n; i++) {
                        o[o0 + i * s0] = (byte) (op.apply((long) x[o1 + i * s1], y[o2 + i * s2]) != 0 ? 1 : 0);
                    }
                };
            }
        };
        boolean mayThrow = !t.isFloatingPoint()
                && (op == BinaryOp.FLOOR_DIVIDE || op == BinaryOp.REMAINDER || op == BinaryOp.POW);
        if (mayThrow) {
            StridedLoop.forEachRow(out.shape, out.strides, out.offset, a.strides, a.offset, b.strides, b.offset, row);
        } else {
            StridedLoop.parallelForEachRow(out.shape, out.strides, out.offset, a.strides, a.offset, b.strides,
                    b.offset, row);
        }
    }

    private static void rowF64(BinaryOp op, int n, double[] a, int ao, int as, double[] b, int bo, int bs,
                               double[] o, int oo, int os) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] + b[bo + i * bs];
            }
            case SUB -> {
                for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] - b[bo + i * bs];
            }
            case MUL -> {
                for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] * b[bo + i * bs];
            }
            case DIV -> {
                for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] / b[bo + i * bs];
            }
            default -> {
                for (int i = 0; i < n; i++) o[oo + i * os] = op.apply(a[ao + i * as], b[bo + i * bs]);
            }
        }
    }

    private static void rowI64(BinaryOp op, int n, long[] a, int ao, int as, long[] b, int bo, int bs,
                               long[] o, int oo, int os) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] + b[bo + i * bs];
            }
            case SUB -> {
                for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] - b[bo + i * bs];
            }
            case MUL -> {
                for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] * b[bo + i * bs];
            }
            default -> {
                for (int i = 0; i < n; i++) o[oo + i * os] = op.apply(a[ao + i * as], b[bo + i * bs]);
            }
        }
    }

    /**
     * In place: {@code self = op(self, other)}; other must broadcast to self's shape; the result type
     * must be castable to self's dtype (float into int is an error naming both dtypes, like PyTorch).
     */
    public static void binaryInPlace(BinaryOp op, Buffer self, Buffer other, String name) {
        DType ct = computeType(op, self, other, name);
        if (category(ct) > category(self.dtype())) {
            throw new IllegalArgumentException(name + ": result type " + torchName(ct)
                    + " can't be cast to the desired output type " + torchName(self.dtype()));
        }
        if (!Arrays.equals(self.shape, other.shape)) {
            int[] bs = Shape.broadcast(self.shape, other.shape, name);
            if (!Arrays.equals(bs, self.shape)) {
                throw new IllegalArgumentException(name + ": output with shape " + Arrays.toString(self.shape)
                        + " doesn't match the broadcast shape " + Arrays.toString(bs));
            }
        }
        checkNoInternalOverlap(self, name);
        if (ct != self.dtype()) {
            // e.g. float32 self with a float64 operand: compute in the wider type, store back converted.
            Buffer r = binary(op, self, other, name);
            Buffer.copyInto(r, self);
            return;
        }
        Buffer o = as(other, ct);
        if (o.storage == self.storage && !sameLayout(o.expandTo(self.shape, name), self)) {
            // Overlapping but differently laid out (x.add_(x.t()), x[1:].add_(x[:-1])): read a snapshot.
            o = o.copy();
        }
        if (ct == DType.FLOAT32 && self.isContiguous()) {
            int n = self.numel();
            float[] s = self.storage.f32;
            if (Arrays.equals(self.shape, o.shape) && o.isContiguous()) {
                inPlaceF32(op, n, s, self.offset, o.storage.f32, o.offset, 1);
                return;
            }
            if (o.numel() == 1) {
                inPlaceF32(op, n, s, self.offset, o.storage.f32, o.offset, 0);
                return;
            }
        }
        applyBinary(op, self, self, o.expandTo(self.shape, name));
    }

    private static void inPlaceF32(BinaryOp op, int n, float[] s, int so, float[] o, int oo, int os) {
        if (!large(n)) {
            K.binary(op, n, s, so, 1, o, oo, os, s, so, 1);
            return;
        }
        Parallel.parallelFor(0, n, Parallel.ELEMENTWISE_GRAIN, (from, to) ->
                K.binary(op, to - from, s, so + from, 1, o, oo + from * os, os, s, so + from, 1));
    }

    // ================================================================ unary

    private static boolean keepsIntegers(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SIGN, SQUARE, RELU, FLOOR, CEIL, ROUND -> true;
            default -> false;
        };
    }

    private static DType unaryResultType(UnaryOp op, DType in, String name) {
        if (in.isFloatingPoint()) return in;
        if (!keepsIntegers(op)) return DType.FLOAT32;
        if (in == DType.BOOL) {
            if (op == UnaryOp.NEG) {
                throw new IllegalArgumentException(name + ": negation, the `-` operator, on a bool tensor is not "
                        + "supported. If you are trying to invert a mask, use the `logicalNot()` operator instead.");
            }
            // square is pow(x, 2): bool with an integer promotes to int64, as PyTorch.
            if (op == UnaryOp.SQUARE) return DType.INT64;
        }
        return in;
    }

    /**
     * New buffer {@code op(a)}. Integer/bool inputs of float functions (exp, log, sqrt, sigmoid, ...) give
     * float32; NEG, ABS, SIGN, SQUARE, RELU, FLOOR, CEIL, ROUND keep integer dtypes.
     */
    public static Buffer unary(UnaryOp op, Buffer a, String name) {
        DType rt = unaryResultType(op, a.dtype(), name);
        Buffer src = as(a, rt);
        if (src.dtype() == DType.FLOAT32 && src.isContiguous()) {
            int n = src.numel();
            Buffer out = Buffer.allocate(DType.FLOAT32, src.shape);
            unaryF32(op, n, src.storage.f32, src.offset, out.storage.f32, 0);
            return out;
        }
        Buffer out = Buffer.allocate(rt, a.shape);
        applyUnary(op, src, out);
        return out;
    }

    private static void unaryF32(UnaryOp op, int n, float[] a, int ao, float[] out, int oo) {
        // Transcendental ops cost tens of cycles per element: split earlier than simple arithmetic.
        int grain = Parallel.ELEMENTWISE_GRAIN / 4;
        if (n < grain || Parallel.numThreads() <= 1) {
            K.unary(op, n, a, ao, 1, out, oo, 1);
            return;
        }
        Parallel.parallelFor(0, n, grain, (from, to) -> K.unary(op, to - from, a, ao + from, 1, out, oo + from, 1));
    }

    /** {@code out = op(src)}, both of out's dtype and shape; may alias when the layouts are identical. */
    private static void applyUnary(UnaryOp op, Buffer src, Buffer out) {
        Storage si = src.storage;
        Storage so = out.storage;
        StridedLoop.Row2 row = switch (out.dtype()) {
            case FLOAT32 -> (n, o0, s0, o1, s1) -> K.unary(op, n, si.f32, o1, s1, so.f32, o0, s0);
            case FLOAT64 -> {
                double[] x = si.f64;
                double[] o = so.f64;
                yield (n, o0, s0, o1, s1) -> {
                    for (int i = 0; i < n; i++) o[o0 + i * s0] = op.apply(x[o1 + i * s1]);
                };
            }
            case INT64 -> {
                long[] x = si.i64;
                long[] o = so.i64;
                yield (n, o0, s0, o1, s1) -> {
                    for (int i = 0; i < n; i++) o[o0 + i * s0] = unaryLong(op, x[o1 + i * s1]);
                };
            }
            case INT32 -> {
                int[] x = si.i32;
                int[] o = so.i32;
                yield (n, o0, s0, o1, s1) -> {
                    for (int i = 0; i < n; i++) o[o0 + i * s0] = (int) unaryLong(op, x[o1 + i * s1]);
                };
            }
            case BOOL -> {
                byte[] x = si.bool;
                byte[] o = so.bool;
                yield (n, o0, s0, o1, s1) -> {
                    for (int i = 0; i < n; i++) o[o0 + i * s0] = (byte) (unaryLong(op, x[o1 + i * s1]) != 0 ? 1 : 0);
                };
            }
        };
        StridedLoop.parallelForEachRow(out.shape, out.strides, out.offset, src.strides, src.offset, row);
    }

    private static long unaryLong(UnaryOp op, long x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Long.signum(x);
            case SQUARE -> x * x;
            case RELU -> Math.max(x, 0);
            case FLOOR, CEIL, ROUND -> x;
            default -> throw new IllegalStateException(op + " is not an integer op");
        };
    }

    public static void unaryInPlace(UnaryOp op, Buffer self, String name) {
        DType rt = unaryResultType(op, self.dtype(), name);
        if (category(rt) > category(self.dtype())) {
            throw new IllegalArgumentException(name + ": result type " + torchName(rt)
                    + " can't be cast to the desired output type " + torchName(self.dtype()));
        }
        checkNoInternalOverlap(self, name);
        if (rt != self.dtype()) {
            Buffer.copyInto(unary(op, self, name), self);
            return;
        }
        if (rt == DType.FLOAT32 && self.isContiguous()) {
            unaryF32(op, self.numel(), self.storage.f32, self.offset, self.storage.f32, self.offset);
            return;
        }
        applyUnary(op, self, self);
    }

    // ================================================================ comparison and logic

    /** BOOL buffer of {@code a op b} broadcast, compared in the promoted type. */
    public static Buffer compare(CompareOp op, Buffer a, Buffer b, String name) {
        DType ct = resultType(a, b);
        int[] shape = broadcastShape(a, b, name);
        Buffer ac = as(a, ct).expandTo(shape, name);
        Buffer bc = as(b, ct).expandTo(shape, name);
        Buffer out = Buffer.allocate(DType.BOOL, shape);
        byte[] o = out.storage.bool;
        Storage sa = ac.storage;
        Storage sb = bc.storage;
        StridedLoop.Row3 row = switch (ct) {
            case FLOAT32 -> (n, o0, s0, o1, s1, o2, s2) -> {
                float[] x = sa.f32;
                float[] y = sb.f32;
                for (int i = 0; i < n; i++) o[o0 + i * s0] = (byte) (op.test(x[o1 + i * s1], y[o2 + i * s2]) ? 1 : 0);
            };
            case FLOAT64 -> (n, o0, s0, o1, s1, o2, s2) -> {
                double[] x = sa.f64;
                double[] y = sb.f64;
                for (int i = 0; i < n; i++) o[o0 + i * s0] = (byte) (op.test(x[o1 + i * s1], y[o2 + i * s2]) ? 1 : 0);
            };
            case INT64 -> (n, o0, s0, o1, s1, o2, s2) -> {
                long[] x = sa.i64;
                long[] y = sb.i64;
                for (int i = 0; i < n; i++) o[o0 + i * s0] = (byte) (op.test(x[o1 + i * s1], y[o2 + i * s2]) ? 1 : 0);
            };
            case INT32 -> (n, o0, s0, o1, s1, o2, s2) -> {
                int[] x = sa.i32;
                int[] y = sb.i32;
                for (int i = 0; i < n; i++) {
                    o[o0 + i * s0] = (byte) (op.test((long) x[o1 + i * s1], (long) y[o2 + i * s2]) ? 1 : 0);
                }
            };
            case BOOL -> (n, o0, s0, o1, s1, o2, s2) -> {
                byte[] x = sa.bool;
                byte[] y = sb.bool;
                for (int i = 0; i < n; i++) {
                    o[o0 + i * s0] = (byte) (op.test((long) x[o1 + i * s1], (long) y[o2 + i * s2]) ? 1 : 0);
                }
            };
        };
        StridedLoop.parallelForEachRow(shape, out.strides, 0, ac.strides, ac.offset, bc.strides, bc.offset, row);
        return out;
    }

    public static Buffer logical(LogicalOp op, Buffer a, Buffer b, String name) {
        int[] shape = broadcastShape(a, b, name);
        Buffer ac = as(a, DType.BOOL).expandTo(shape, name);
        Buffer bc = as(b, DType.BOOL).expandTo(shape, name);
        Buffer out = Buffer.allocate(DType.BOOL, shape);
        byte[] o = out.storage.bool;
        byte[] x = ac.storage.bool;
        byte[] y = bc.storage.bool;
        StridedLoop.parallelForEachRow(shape, out.strides, 0, ac.strides, ac.offset, bc.strides, bc.offset,
                (n, o0, s0, o1, s1, o2, s2) -> {
                    for (int i = 0; i < n; i++) {
                        o[o0 + i * s0] = (byte) (op.test(x[o1 + i * s1] != 0, y[o2 + i * s2] != 0) ? 1 : 0);
                    }
                });
        return out;
    }

    public static Buffer logicalNot(Buffer a) {
        Buffer ac = as(a, DType.BOOL);
        Buffer out = Buffer.allocate(DType.BOOL, a.shape);
        byte[] o = out.storage.bool;
        byte[] x = ac.storage.bool;
        StridedLoop.parallelForEachRow(a.shape, out.strides, 0, ac.strides, ac.offset, (n, o0, s0, o1, s1) -> {
            for (int i = 0; i < n; i++) o[o0 + i * s0] = (byte) (x[o1 + i * s1] == 0 ? 1 : 0);
        });
        return out;
    }

    public static Buffer isnan(Buffer a) {
        return floatTest(a, false);
    }

    public static Buffer isinf(Buffer a) {
        return floatTest(a, true);
    }

    private static Buffer floatTest(Buffer a, boolean inf) {
        Buffer out = Buffer.allocate(DType.BOOL, a.shape);
        if (!a.dtype().isFloatingPoint()) return out; // integers are never NaN or infinite
        byte[] o = out.storage.bool;
        Storage s = a.storage;
        StridedLoop.parallelForEachRow(a.shape, out.strides, 0, a.strides, a.offset, (n, o0, s0, o1, s1) -> {
            if (s.dtype == DType.FLOAT32) {
                float[] x = s.f32;
                for (int i = 0; i < n; i++) {
                    float v = x[o1 + i * s1];
                    o[o0 + i * s0] = (byte) ((inf ? Float.isInfinite(v) : v != v) ? 1 : 0);
                }
            } else {
                double[] x = s.f64;
                for (int i = 0; i < n; i++) {
                    double v = x[o1 + i * s1];
                    o[o0 + i * s0] = (byte) ((inf ? Double.isInfinite(v) : v != v) ? 1 : 0);
                }
            }
        });
        return out;
    }

    // ================================================================ clamp, where, fill

    /** Clamp to [min, max]; either bound may be null (but not both). Keeps a's dtype. */
    public static Buffer clamp(Buffer a, Double min, Double max) {
        if (min == null && max == null) {
            throw new IllegalArgumentException("clamp: at least one of 'min' or 'max' must not be null");
        }
        Buffer out = Buffer.allocate(a.dtype(), a.shape);
        Storage si = a.storage;
        Storage so = out.storage;
        StridedLoop.Row2 row;
        if (a.dtype().isFloatingPoint()) {
            boolean nanBound = (min != null && min.isNaN()) || (max != null && max.isNaN());
            double lo = min == null ? Double.NEGATIVE_INFINITY : min;
            double hi = max == null ? Double.POSITIVE_INFINITY : max;
            if (a.dtype() == DType.FLOAT32) {
                float flo = (float) lo;
                float fhi = (float) hi;
                float[] x = si.f32;
                float[] o = so.f32;
                row = (n, o0, s0, o1, s1) -> {
                    for (int i = 0; i < n; i++) {
                        float v = x[o1 + i * s1];
                        if (v < flo) v = flo;
                        if (v > fhi) v = fhi;
                        o[o0 + i * s0] = nanBound ? Float.NaN : v;
                    }
                };
            } else {
                double[] x = si.f64;
                double[] o = so.f64;
                row = (n, o0, s0, o1, s1) -> {
                    for (int i = 0; i < n; i++) {
                        double v = x[o1 + i * s1];
                        if (v < lo) v = lo;
                        if (v > hi) v = hi;
                        o[o0 + i * s0] = nanBound ? Double.NaN : v;
                    }
                };
            }
        } else {
            // Bounds converted to the integer dtype first (truncation), as PyTorch's integer clamp.
            long lo = min == null ? Long.MIN_VALUE : (long) (double) min;
            long hi = max == null ? Long.MAX_VALUE : (long) (double) max;
            row = (n, o0, s0, o1, s1) -> {
                for (int i = 0; i < n; i++) {
                    long v = si.getLong(o1 + i * s1);
                    if (v < lo) v = lo;
                    if (v > hi) v = hi;
                    so.setLong(o0 + i * s0, v);
                }
            };
        }
        StridedLoop.parallelForEachRow(a.shape, out.strides, 0, a.strides, a.offset, row);
        return out;
    }

    /** {@code cond ? a : b} broadcast over all three; cond is BOOL; result dtype promote(a, b). */
    public static Buffer where(Buffer cond, Buffer a, Buffer b) {
        if (cond.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("where: expected condition to be a bool tensor, but got a tensor "
                    + "with dtype " + cond.dtype().pytorchName());
        }
        DType rt = resultType(a, b);
        int[] shape = Shape.broadcast(Shape.broadcast(cond.shape, a.shape, "where"), b.shape, "where");
        Buffer out = Buffer.allocate(rt, shape);
        Buffer.copyInto(as(a, rt).expandTo(shape, "where"), out);
        Buffer cc = cond.expandTo(shape, "where");
        Buffer bc = as(b, rt).expandTo(shape, "where");
        byte[] c = cc.storage.bool;
        Storage so = out.storage;
        Storage sb = bc.storage;
        StridedLoop.Row3 row = switch (rt) {
            case FLOAT32 -> (n, o0, s0, o1, s1, o2, s2) -> {
                float[] o = so.f32;
                float[] y = sb.f32;
                for (int i = 0; i < n; i++) if (c[o1 + i * s1] == 0) o[o0 + i * s0] = y[o2 + i * s2];
            };
            case FLOAT64 -> (n, o0, s0, o1, s1, o2, s2) -> {
                double[] o = so.f64;
                double[] y = sb.f64;
                for (int i = 0; i < n; i++) if (c[o1 + i * s1] == 0) o[o0 + i * s0] = y[o2 + i * s2];
            };
            case INT64 -> (n, o0, s0, o1, s1, o2, s2) -> {
                long[] o = so.i64;
                long[] y = sb.i64;
                for (int i = 0; i < n; i++) if (c[o1 + i * s1] == 0) o[o0 + i * s0] = y[o2 + i * s2];
            };
            case INT32 -> (n, o0, s0, o1, s1, o2, s2) -> {
                int[] o = so.i32;
                int[] y = sb.i32;
                for (int i = 0; i < n; i++) if (c[o1 + i * s1] == 0) o[o0 + i * s0] = y[o2 + i * s2];
            };
            case BOOL -> (n, o0, s0, o1, s1, o2, s2) -> {
                byte[] o = so.bool;
                byte[] y = sb.bool;
                for (int i = 0; i < n; i++) if (c[o1 + i * s1] == 0) o[o0 + i * s0] = y[o2 + i * s2];
            };
        };
        StridedLoop.parallelForEachRow(shape, out.strides, 0, cc.strides, cc.offset, bc.strides, bc.offset, row);
        return out;
    }

    /** Fills every element of self (a possibly strided view) with v converted to its dtype. */
    public static void fill(Buffer self, double v) {
        Storage s = self.storage;
        if (self.isContiguous()) {
            int from = self.offset;
            int to = from + self.numel();
            switch (s.dtype) {
                case FLOAT32 -> Arrays.fill(s.f32, from, to, (float) v);
                case FLOAT64 -> Arrays.fill(s.f64, from, to, v);
                case INT64 -> Arrays.fill(s.i64, from, to, (long) v);
                case INT32 -> Arrays.fill(s.i32, from, to, (int) (long) v);
                case BOOL -> Arrays.fill(s.bool, from, to, (byte) (v != 0 ? 1 : 0));
            }
            return;
        }
        StridedLoop.forEachRow(self.shape, self.strides, self.offset, (n, o, st) -> {
            for (int i = 0; i < n; i++) s.setDouble(o + i * st, v);
        });
    }
}
