package org.kindling.nn.internal;

import java.util.ArrayList;
import java.util.List;
import org.kindling.Kindling;
import org.kindling.kernel.internal.KernelProvider;
import org.kindling.tensor.DType;
import org.kindling.tensor.Function;
import org.kindling.tensor.FunctionCtx;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.Buffer;
import org.kindling.tensor.internal.trace.TraceEmitter;
import org.kindling.tensor.internal.trace.TraceOps;
import org.kindling.tensor.internal.trace.Traceable;

/**
 * Building blocks of the recurrent and attention layers: a fused linear map and batched product
 * over the last dims (sgemm for float32, one Function each), and contiguous narrow, cat and
 * transpose on top of the differentiable core ops.
 */
public final class Fused {
    private Fused() {}

    // ------------------------------------------------------------------ linear

    /** {@code x . w^T + b} over the last dim of x; {@code b} may be null. */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        if (x.size(x.dim() - 1) != w.size(1)) {
            throw new IllegalArgumentException("linear: input " + x.shape() + " does not match weight " + w.shape()
                    + " (expected last dim " + w.size(1) + ")");
        }
        return b == null ? new LinearFn().apply(x, w) : new LinearFn().apply(x, w, b);
    }

    static final class LinearFn extends Function implements Traceable {
        @Override
        public String name() {
            return "AddmmBackward";
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor x = in[0], w = in[1];
            int k = w.size(1), n = w.size(0), m = x.numel() / k;
            ctx.saveForBackward(x, w);
            ctx.put("nin", in.length);
            int[] shape = x.shape().toArray();
            shape[shape.length - 1] = n;
            Tensor y = mm(x, false, w, true, m, n, k, shape);
            if (in.length > 2) y = y.add(in[2]);
            return y;
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor gy) {
            Tensor[] s = ctx.savedTensors();
            Tensor x = s[0], w = s[1];
            int k = w.size(1), n = w.size(0), m = x.numel() / k;
            int nin = ctx.get("nin");
            Tensor[] g = new Tensor[nin];
            if (ctx.needsInputGrad(0)) g[0] = mm(gy, false, w, false, m, k, n, x.shape().toArray());
            if (ctx.needsInputGrad(1)) g[1] = mm(gy, true, x, false, n, k, m, new int[] {n, k});
            if (nin > 2 && ctx.needsInputGrad(2)) g[2] = gy.reshape(m, n).sum(0, false);
            return g;
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.linear(e, e.input(0), e.input(1), e.inputCount() > 2 ? e.input(2) : null, e.inputTensor(0).dim());
        }
    }

    /**
     * {@code op(A) . op(B)} where A holds rows of length (transA ? m : k) and B rows of (transB ? k : n),
     * both taken as contiguous 2-D matrices, result reshaped to {@code shape}.
     */
    static Tensor mm(Tensor a, boolean transA, Tensor b, boolean transB, int m, int n, int k, int[] shape) {
        Buffer ab = Arrs.dense(a), bb = Arrs.dense(b.dtype() == a.dtype() ? b : b.to(a.dtype()));
        int ars = transA ? 1 : k, acs = transA ? m : 1;
        int brs = transB ? 1 : n, bcs = transB ? k : 1;
        if (a.dtype() == DType.FLOAT64) {
            double[] c = new double[m * n];
            ConvKernels.dgemm(m, n, k, ab.storage.f64, ab.offset, ars, acs, bb.storage.f64, bb.offset, brs, bcs, c, 0, n);
            return Arrs.wrap(c, shape);
        }
        float[] c = new float[m * n];
        KernelProvider.get().sgemm(m, n, k, 1f, ab.storage.f32, ab.offset, ars, acs, bb.storage.f32, bb.offset, brs,
                bcs, 0f, c, 0, n);
        return Arrs.wrap(c, shape);
    }

    /** Batched {@code a . b} for [batch, m, k] x [batch, k, n] (transposes folded in by the flags). */
    public static Tensor bmm(Tensor a, boolean transA, Tensor b, boolean transB) {
        return new BmmFn(transA, transB).apply(a, b);
    }

    static final class BmmFn extends Function implements Traceable {
        private final boolean ta;
        private final boolean tb;

        BmmFn(boolean ta, boolean tb) {
            this.ta = ta;
            this.tb = tb;
        }

        @Override
        public String name() {
            return "BmmBackward";
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            return bmmRaw(in[0], ta, in[1], tb);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor gy) {
            Tensor[] s = ctx.savedTensors();
            Tensor a = s[0], b = s[1];
            Tensor[] g = new Tensor[2];
            // C = op(A) op(B); dop(A) = G op(B)^T; dop(B) = op(A)^T G
            if (ctx.needsInputGrad(0)) g[0] = ta ? bmmRaw(b, tb, gy, true) : bmmRaw(gy, false, b, !tb);
            if (ctx.needsInputGrad(1)) g[1] = tb ? bmmRaw(gy, true, a, ta) : bmmRaw(a, !ta, gy, false);
            return g;
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            V a = ta ? TraceOps.transpose(e, e.input(0), 0, 2, 1) : e.input(0);
            V b = tb ? TraceOps.transpose(e, e.input(1), 0, 2, 1) : e.input(1);
            return e.op("MatMul").in(a).in(b).out();
        }
    }

    static Tensor bmmRaw(Tensor a, boolean ta, Tensor b, boolean tb) {
        int batch = a.size(0);
        int m = ta ? a.size(2) : a.size(1), k = ta ? a.size(1) : a.size(2);
        int n = tb ? b.size(1) : b.size(2);
        Buffer ab = Arrs.dense(a), bb = Arrs.dense(b);
        int ars = ta ? 1 : k, acs = ta ? m : 1, brs = tb ? 1 : n, bcs = tb ? k : 1;
        int aStep = m * k, bStep = k * n;
        if (a.dtype() == DType.FLOAT64) {
            double[] c = new double[batch * m * n];
            for (int i = 0; i < batch; i++) {
                ConvKernels.dgemm(m, n, k, ab.storage.f64, ab.offset + i * aStep, ars, acs, bb.storage.f64,
                        bb.offset + i * bStep, brs, bcs, c, i * m * n, n);
            }
            return Arrs.wrap(c, batch, m, n);
        }
        float[] c = new float[batch * m * n];
        for (int i = 0; i < batch; i++) {
            KernelProvider.get().sgemm(m, n, k, 1f, ab.storage.f32, ab.offset + i * aStep, ars, acs, bb.storage.f32,
                    bb.offset + i * bStep, brs, bcs, 0f, c, i * m * n, n);
        }
        return Arrs.wrap(c, batch, m, n);
    }

    // ------------------------------------------------------------------ movement
    // The core ops are differentiable (twice, too); these keep the contiguous results the
    // recurrent and attention code expects.

    /** A contiguous copy of {@code t.narrow(dim, start, length)}. */
    public static Tensor narrow(Tensor t, int dim, int start, int length) {
        return t.narrow(dim, start, length).contiguous();
    }

    /** Concatenation along {@code dim}. */
    public static Tensor cat(List<Tensor> parts, int dim) {
        if (parts.size() == 1) return parts.get(0);
        return Kindling.cat(parts, dim);
    }

    /** A contiguous copy of {@code t.transpose(d0, d1)}. */
    public static Tensor transpose(Tensor t, int d0, int d1) {
        return t.transpose(d0, d1).contiguous();
    }

    /** Splits {@code t} into {@code n} equal parts along {@code dim}. */
    public static List<Tensor> chunk(Tensor t, int n, int dim) {
        List<Tensor> out = new ArrayList<>();
        int size = t.size(dim) / n;
        for (int i = 0; i < n; i++) out.add(narrow(t, dim, i * size, size));
        return out;
    }
}
