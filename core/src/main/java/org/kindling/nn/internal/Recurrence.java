package org.kindling.nn.internal;

import java.util.List;
import org.kindling.kernel.internal.BinaryOp;
import org.kindling.kernel.internal.KernelProvider;
import org.kindling.kernel.internal.Kernels;
import org.kindling.tensor.DType;
import org.kindling.tensor.Function;
import org.kindling.tensor.FunctionCtx;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.Buffer;
import org.kindling.tensor.internal.trace.TraceEmitter;
import org.kindling.tensor.internal.trace.TraceOps;
import org.kindling.tensor.internal.trace.Traceable;

/**
 * Fused recurrences over a whole sequence for one layer and direction (the speed path of RNN, LSTM
 * and GRU). The input projection {@code x W_ih^T + b} is computed beforehand for all time steps in
 * one matrix product; these Functions run the time loop, one {@code h W_hh^T} product per step
 * (sgemm for float32), and backpropagate through time in their backward. The pointwise math is
 * done in double; float32 inputs only change the matrix products.
 *
 * <p>Time-major layouts: {@code xg [T, B, G*H]}, states {@code [B, H]}, {@code W_hh [G*H, H]}.
 */
public final class Recurrence {
    private Recurrence() {}

    /** {@code h W^T} and {@code g W} for one fixed W, with W converted once. */
    static final class Hw {
        final boolean f32;
        final int rows;
        final int cols;
        final float[] wf;
        final double[] wd;
        float[] a;
        float[] c;
        /** W^T and W prepared once for the per-step products (packing is most of a small sgemm). */
        private Kernels.PackedRhs wt;
        private Kernels.PackedRhs wn;

        Hw(Tensor w) {
            rows = w.size(0);
            cols = w.size(1);
            f32 = w.dtype() == DType.FLOAT32;
            Buffer b = Arrs.dense(w);
            if (f32) {
                wf = b.offset == 0 && b.storage.size == rows * cols ? b.storage.f32 : copy(b.storage.f32, b.offset, rows * cols);
                wd = null;
            } else {
                wf = null;
                wd = copy(b.storage.f64, b.offset, rows * cols);
            }
        }

        static float[] copy(float[] s, int off, int n) {
            float[] d = new float[n];
            System.arraycopy(s, off, d, 0, n);
            return d;
        }

        static double[] copy(double[] s, int off, int n) {
            double[] d = new double[n];
            System.arraycopy(s, off, d, 0, n);
            return d;
        }

        /** {@code out[m, rows] = h[m, cols] . W^T}, h from {@code ho}. */
        void hWt(double[] h, int ho, int m, double[] out) {
            if (f32) {
                float[] af = scratchA(m * cols), cf = scratchC(m * rows);
                for (int i = 0; i < m * cols; i++) af[i] = (float) h[ho + i];
                Kernels k = KernelProvider.get();
                if (wt == null) wt = k.packRhs(cols, rows, wf, 0, 1, cols);
                k.sgemmPacked(m, 1f, af, 0, cols, 1, wt, 0f, cf, 0, rows);
                for (int i = 0; i < m * rows; i++) out[i] = cf[i];
            } else {
                java.util.Arrays.fill(out, 0, m * rows, 0);
                ConvKernels.dgemm(m, rows, cols, h, ho, cols, 1, wd, 0, 1, cols, out, 0, rows);
            }
        }

        /** {@code out[m, cols] = g[m, rows] . W}. */
        void gW(double[] g, int go, int m, double[] out) {
            if (f32) {
                float[] af = scratchA(m * rows), cf = scratchC(m * cols);
                for (int i = 0; i < m * rows; i++) af[i] = (float) g[go + i];
                Kernels k = KernelProvider.get();
                if (wn == null) wn = k.packRhs(rows, cols, wf, 0, cols, 1);
                k.sgemmPacked(m, 1f, af, 0, rows, 1, wn, 0f, cf, 0, cols);
                for (int i = 0; i < m * cols; i++) out[i] = cf[i];
            } else {
                java.util.Arrays.fill(out, 0, m * cols, 0);
                ConvKernels.dgemm(m, cols, rows, g, go, rows, 1, wd, 0, cols, 1, out, 0, cols);
            }
        }

        /** {@code dW[rows, cols] = dG[n, rows]^T . hp[n, cols]} as a tensor of W's dtype. */
        Tensor dW(double[] dG, double[] hp, int n) {
            if (f32) {
                float[] a = new float[n * rows], b = new float[n * cols], c = new float[rows * cols];
                for (int i = 0; i < a.length; i++) a[i] = (float) dG[i];
                for (int i = 0; i < b.length; i++) b[i] = (float) hp[i];
                KernelProvider.get().sgemm(rows, cols, n, 1f, a, 0, 1, rows, b, 0, cols, 1, 0f, c, 0, cols);
                return Arrs.wrap(c, rows, cols);
            }
            double[] c = new double[rows * cols];
            ConvKernels.dgemm(rows, cols, n, dG, 0, 1, rows, hp, 0, cols, 1, c, 0, cols);
            return Arrs.wrap(c, rows, cols);
        }

        private float[] scratchA(int n) {
            if (a == null || a.length < n) a = new float[n];
            return a;
        }

        private float[] scratchC(int n) {
            if (c == null || c.length < n) c = new float[n];
            return c;
        }
    }

    static double[] doubles(Tensor t) {
        Buffer b = Arrs.dense(t);
        double[] d = new double[t.numel()];
        if (b.dtype() == DType.FLOAT64) {
            System.arraycopy(b.storage.f64, b.offset, d, 0, d.length);
        } else if (b.dtype() == DType.FLOAT32) {
            for (int i = 0; i < d.length; i++) d[i] = b.storage.f32[b.offset + i];
        } else {
            throw new IllegalArgumentException("expected a float tensor, got " + t.dtype());
        }
        return d;
    }

    static Tensor tensor(double[] d, DType dtype, int... shape) {
        if (dtype == DType.FLOAT64) return Arrs.wrap(d, shape);
        float[] f = new float[d.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) d[i];
        return Arrs.wrap(f, shape);
    }

    /** tanh through one exp (Math.exp is an intrinsic, Math.tanh is not); accurate to a few ulps of 1. */
    static double tanh(double x) {
        double e = Math.exp(-2 * Math.abs(x));
        double t = (1 - e) / (1 + e);
        return x < 0 ? -t : t;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private record Saved(double[] acts, double[] hs, double[] cs) {}

    private record SavedF32(float[] acts, float[] hs, float[] cs, float[] tanhC) {}

    static boolean allFloat32(Tensor... in) {
        for (Tensor x : in) {
            if (x != null && x.dtype() != DType.FLOAT32) return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ LSTM

    /**
     * LSTM layer: inputs {@code (xg [T,B,4H], h0 [B,H], c0 [B,H], W_hh [4H,H])}, gate order i, f, g, o.
     * Output {@code [T+1, B, H]}: rows 0..T-1 are h_t in time order, row T is the final cell state.
     */
    public static final class LstmFn extends Function implements Traceable {
        private final boolean reverse;

        public LstmFn(boolean reverse) {
            this.reverse = reverse;
        }

        @Override
        public String name() {
            return "LstmBackward";
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            if (allFloat32(in)) return forwardF32(ctx, in);
            int t = in[0].size(0), b = in[0].size(1), h = in[1].size(1), bh = b * h, g4 = 4 * h;
            double[] xg = doubles(in[0]);
            Hw w = new Hw(in[3]);
            double[] hs = new double[(t + 1) * bh], cs = new double[(t + 1) * bh], acts = new double[t * b * g4];
            System.arraycopy(doubles(in[1]), 0, hs, 0, bh);
            System.arraycopy(doubles(in[2]), 0, cs, 0, bh);
            double[] gates = new double[b * g4];
            double[] out = new double[(t + 1) * bh];
            double[] tcs = new double[t * bh];
            Kernels k = KernelProvider.get();
            for (int s = 0; s < t; s++) {
                int tt = reverse ? t - 1 - s : s;
                w.hWt(hs, s * bh, b, gates);
                int ao = s * b * g4;
                // Pre-activations for all gates, then the nonlinearities in vectorised runs:
                // sigmoid over i and f (contiguous), tanh over g, sigmoid over o.
                for (int q = 0; q < b * g4; q++) acts[ao + q] = gates[q] + xg[tt * b * g4 + q];
                for (int bi = 0; bi < b; bi++) {
                    int go = ao + bi * g4;
                    k.sigmoidInPlace(acts, go, 2 * h);
                    k.tanhInPlace(acts, go + 2 * h, h);
                    k.sigmoidInPlace(acts, go + 3 * h, h);
                }
                int co = s * bh;
                for (int bi = 0; bi < b; bi++) {
                    int go = ao + bi * g4;
                    for (int j = 0; j < h; j++) {
                        tcs[co + bi * h + j] = acts[go + h + j] * cs[co + bi * h + j] + acts[go + j] * acts[go + 2 * h + j];
                    }
                }
                System.arraycopy(tcs, co, cs, co + bh, bh);
                k.tanhInPlace(tcs, co, bh);
                for (int bi = 0; bi < b; bi++) {
                    int go = ao + bi * g4;
                    for (int j = 0; j < h; j++) {
                        double hv = acts[go + 3 * h + j] * tcs[co + bi * h + j];
                        hs[(s + 1) * bh + bi * h + j] = hv;
                        out[tt * bh + bi * h + j] = hv;
                    }
                }
            }
            System.arraycopy(cs, t * bh, out, t * bh, bh);
            ctx.saveForBackward(in[3]);
            ctx.put("saved", new Saved(acts, hs, cs));
            ctx.put("tanhC", tcs);
            return tensor(out, in[0].dtype(), t + 1, b, h);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor gy) {
            Tensor wt = ctx.savedTensors()[0];
            if (ctx.get("saved") instanceof SavedF32 f32) return backwardF32(ctx, gy, wt, f32);
            Saved sv = ctx.get("saved");
            double[] tcs = ctx.get("tanhC");
            int h = wt.size(1), g4 = 4 * h, t = gy.size(0) - 1, b = gy.size(1), bh = b * h;
            double[] go = doubles(gy);
            Hw w = new Hw(wt);
            double[] dhRec = new double[bh], dc = new double[bh];
            System.arraycopy(go, t * bh, dc, 0, bh);
            double[] dG = new double[t * b * g4], dxg = new double[t * b * g4];
            for (int s = t - 1; s >= 0; s--) {
                int tt = reverse ? t - 1 - s : s;
                int ao = s * b * g4;
                for (int bi = 0; bi < b; bi++) {
                    for (int j = 0; j < h; j++) {
                        int k = bi * h + j, a = ao + bi * g4 + j;
                        double ig = sv.acts[a], fg = sv.acts[a + h], gg = sv.acts[a + 2 * h], og = sv.acts[a + 3 * h];
                        double cp = sv.cs[s * bh + k];
                        double dh = go[tt * bh + k] + dhRec[k];
                        double tc = tcs[s * bh + k];
                        double dcv = dc[k] + dh * og * (1 - tc * tc);
                        dG[a] = dcv * gg * ig * (1 - ig);
                        dG[a + h] = dcv * cp * fg * (1 - fg);
                        dG[a + 2 * h] = dcv * ig * (1 - gg * gg);
                        dG[a + 3 * h] = dh * tc * og * (1 - og);
                        dc[k] = dcv * fg;
                    }
                }
                System.arraycopy(dG, ao, dxg, tt * b * g4, b * g4);
                w.gW(dG, ao, b, dhRec);
            }
            DType dt = gy.dtype();
            Tensor[] g = new Tensor[4];
            if (ctx.needsInputGrad(0)) g[0] = tensor(dxg, dt, t, b, g4);
            if (ctx.needsInputGrad(1)) g[1] = tensor(dhRec, dt, b, h);
            if (ctx.needsInputGrad(2)) g[2] = tensor(dc, dt, b, h);
            if (ctx.needsInputGrad(3)) g[3] = w.dW(dG, sv.hs, t * b);
            return g;
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            int h = e.inputTensor(1).size(1);
            // PyTorch's gate order i, f, g, o against ONNX's i, o, f, c
            int[] order = {0, 3, 1, 2};
            RecurrentInput<V> in = recurrentInput(e, order, h);
            V r = TraceOps.reorderRows(e, e.input(3), order, h);
            V b = in.bias == null ? e.absent() : TraceOps.unsqueeze(e, e.op("Concat").in(in.bias)
                    .in(zeros(e, 4 * h)).attr("axis", 0).out(), 0);
            List<V> y = e.op("LSTM").in(in.x).in(in.w).in(r).in(b).in(e.absent())
                    .in(TraceOps.initialState(e, 1)).in(TraceOps.initialState(e, 2))
                    .attr("hidden_size", h).attr("direction", reverse ? "reverse" : "forward").outs(3);
            V seq = TraceOps.squeeze(e, y.get(0), 1);
            return e.op("Concat").in(seq).in(y.get(2)).attr("axis", 0).out();
        }

        /**
         * The float32 path: gates, states and products stay in float (as PyTorch computes them),
         * W_hh is packed once for all steps, and the cell math runs in the vector kernels.
         */
        private Tensor forwardF32(FunctionCtx ctx, Tensor... in) {
            int t = in[0].size(0), b = in[0].size(1), h = in[1].size(1), bh = b * h, g4 = 4 * h, bg = b * g4;
            Kernels k = KernelProvider.get();
            Buffer xg = Arrs.dense(in[0]);
            Buffer w = Arrs.dense(in[3]);
            Kernels.PackedRhs wt = k.packRhs(h, g4, w.storage.f32, w.offset, 1, h);
            float[] hs = new float[(t + 1) * bh], cs = new float[(t + 1) * bh];
            float[] acts = new float[t * bg], tanhC = new float[t * bh], out = new float[(t + 1) * bh];
            Buffer h0 = Arrs.dense(in[1]), c0 = Arrs.dense(in[2]);
            System.arraycopy(h0.storage.f32, h0.offset, hs, 0, bh);
            System.arraycopy(c0.storage.f32, c0.offset, cs, 0, bh);
            for (int s = 0; s < t; s++) {
                int tt = reverse ? t - 1 - s : s;
                System.arraycopy(xg.storage.f32, xg.offset + tt * bg, acts, s * bg, bg);
                k.sgemmPacked(b, 1f, hs, s * bh, h, 1, wt, 1f, acts, s * bg, g4);
                for (int bi = 0; bi < b; bi++) {
                    int r = bi * h;
                    k.lstmCell(h, acts, s * bg + bi * g4, cs, s * bh + r, cs, (s + 1) * bh + r,
                            tanhC, s * bh + r, hs, (s + 1) * bh + r);
                }
                System.arraycopy(hs, (s + 1) * bh, out, tt * bh, bh);
            }
            System.arraycopy(cs, t * bh, out, t * bh, bh);
            ctx.saveForBackward(in[3]);
            ctx.put("saved", new SavedF32(acts, hs, cs, tanhC));
            return Arrs.wrap(out, t + 1, b, h);
        }

        private Tensor[] backwardF32(FunctionCtx ctx, Tensor gy, Tensor wTensor, SavedF32 sv) {
            int h = wTensor.size(1), g4 = 4 * h, t = gy.size(0) - 1, b = gy.size(1), bh = b * h, bg = b * g4;
            Kernels k = KernelProvider.get();
            Buffer g = Arrs.dense(gy.dtype() == DType.FLOAT32 ? gy : gy.to(DType.FLOAT32));
            Buffer w = Arrs.dense(wTensor);
            Kernels.PackedRhs wn = k.packRhs(g4, h, w.storage.f32, w.offset, h, 1);
            float[] dhRec = new float[bh], dc = new float[bh], dh = new float[bh];
            System.arraycopy(g.storage.f32, g.offset + t * bh, dc, 0, bh);
            float[] dG = new float[t * bg];
            float[] dxg = reverse ? new float[t * bg] : dG;
            for (int s = t - 1; s >= 0; s--) {
                int tt = reverse ? t - 1 - s : s;
                k.binary(BinaryOp.ADD, bh, g.storage.f32, g.offset + tt * bh, 1,
                        dhRec, 0, 1, dh, 0, 1);
                for (int bi = 0; bi < b; bi++) {
                    int r = bi * h;
                    k.lstmCellBackward(h, sv.acts, s * bg + bi * g4, sv.cs, s * bh + r, sv.tanhC, s * bh + r,
                            dh, r, dc, r, dG, s * bg + bi * g4);
                }
                if (reverse) System.arraycopy(dG, s * bg, dxg, tt * bg, bg);
                k.sgemmPacked(b, 1f, dG, s * bg, g4, 1, wn, 0f, dhRec, 0, h);
            }
            Tensor[] grads = new Tensor[4];
            if (ctx.needsInputGrad(0)) grads[0] = Arrs.wrap(dxg, t, b, g4);
            if (ctx.needsInputGrad(1)) grads[1] = Arrs.wrap(dhRec, b, h);
            if (ctx.needsInputGrad(2)) grads[2] = Arrs.wrap(dc, b, h);
            if (ctx.needsInputGrad(3)) {
                // dW = sum over steps of dG_s^T h_{s-1}: one product over all T*B rows, computed as
                // its transpose hs^T dG, whose packed operands (hs^T, the small one, and dG, packed
                // row by row) cost a fraction of packing dG^T; then transposed back.
                float[] dwT = new float[h * g4];
                k.sgemm(h, g4, t * b, 1f, sv.hs, 0, 1, h, dG, 0, g4, 1, 0f, dwT, 0, g4);
                float[] dw = new float[g4 * h];
                k.copy2d(g4, h, dwT, 0, 1, g4, dw, 0, h, 1);
                grads[3] = Arrs.wrap(dw, g4, h);
            }
            return grads;
        }
    }

    // ------------------------------------------------------------------ GRU

    /**
     * GRU layer: inputs {@code (xg [T,B,3H] = x W_ih^T + b_ih, h0 [B,H], W_hh [3H,H], b_hh [3H])}, gate
     * order r, z, n with {@code n = tanh(xg_n + r * (W_hn h + b_hn))}. Output {@code [T, B, H]}.
     */
    public static final class GruFn extends Function implements Traceable {
        private final boolean reverse;

        public GruFn(boolean reverse) {
            this.reverse = reverse;
        }

        @Override
        public String name() {
            return "GruBackward";
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            int t = in[0].size(0), b = in[0].size(1), h = in[1].size(1), bh = b * h, g3 = 3 * h;
            double[] xg = doubles(in[0]), bhh = doubles(in[3]);
            Hw w = new Hw(in[2]);
            double[] hs = new double[(t + 1) * bh], acts = new double[t * b * 4 * h];
            System.arraycopy(doubles(in[1]), 0, hs, 0, bh);
            double[] hh = new double[b * g3];
            double[] out = new double[t * bh];
            for (int s = 0; s < t; s++) {
                int tt = reverse ? t - 1 - s : s;
                w.hWt(hs, s * bh, b, hh);
                for (int bi = 0; bi < b; bi++) {
                    int ho = bi * g3, xo = tt * b * g3 + bi * g3, ao = (s * b + bi) * 4 * h;
                    for (int j = 0; j < h; j++) {
                        double r = sigmoid(xg[xo + j] + hh[ho + j] + bhh[j]);
                        double z = sigmoid(xg[xo + h + j] + hh[ho + h + j] + bhh[h + j]);
                        double hn = hh[ho + 2 * h + j] + bhh[2 * h + j];
                        double n = tanh(xg[xo + 2 * h + j] + r * hn);
                        double hp = hs[s * bh + bi * h + j];
                        double hv = (1 - z) * n + z * hp;
                        hs[(s + 1) * bh + bi * h + j] = hv;
                        out[tt * bh + bi * h + j] = hv;
                        acts[ao + j] = r;
                        acts[ao + h + j] = z;
                        acts[ao + 2 * h + j] = n;
                        acts[ao + 3 * h + j] = hn;
                    }
                }
            }
            ctx.saveForBackward(in[2]);
            ctx.put("saved", new Saved(acts, hs, null));
            return tensor(out, in[0].dtype(), t, b, h);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor gy) {
            Tensor wt = ctx.savedTensors()[0];
            Saved sv = ctx.get("saved");
            int h = wt.size(1), g3 = 3 * h, t = gy.size(0), b = gy.size(1), bh = b * h;
            double[] go = doubles(gy);
            Hw w = new Hw(wt);
            double[] dhRec = new double[bh], dhh = new double[t * b * g3], dxg = new double[t * b * g3];
            double[] tmp = new double[bh];
            for (int s = t - 1; s >= 0; s--) {
                int tt = reverse ? t - 1 - s : s;
                for (int bi = 0; bi < b; bi++) {
                    int ao = (s * b + bi) * 4 * h, d = (s * b + bi) * g3, xo = (tt * b + bi) * g3;
                    for (int j = 0; j < h; j++) {
                        int k = bi * h + j;
                        double r = sv.acts[ao + j], z = sv.acts[ao + h + j], n = sv.acts[ao + 2 * h + j];
                        double hn = sv.acts[ao + 3 * h + j], hp = sv.hs[s * bh + k];
                        double dh = go[tt * bh + k] + dhRec[k];
                        double dAn = dh * (1 - z) * (1 - n * n);
                        double dAr = dAn * hn * r * (1 - r);
                        double dAz = dh * (hp - n) * z * (1 - z);
                        dxg[xo + j] = dAr;
                        dxg[xo + h + j] = dAz;
                        dxg[xo + 2 * h + j] = dAn;
                        dhh[d + j] = dAr;
                        dhh[d + h + j] = dAz;
                        dhh[d + 2 * h + j] = dAn * r;
                        tmp[k] = dh * z;
                    }
                }
                w.gW(dhh, s * b * g3, b, dhRec);
                for (int k = 0; k < bh; k++) dhRec[k] += tmp[k];
            }
            DType dt = gy.dtype();
            Tensor[] g = new Tensor[4];
            if (ctx.needsInputGrad(0)) g[0] = tensor(dxg, dt, t, b, g3);
            if (ctx.needsInputGrad(1)) g[1] = tensor(dhRec, dt, b, h);
            if (ctx.needsInputGrad(2)) g[2] = w.dW(dhh, sv.hs, t * b);
            if (ctx.needsInputGrad(3)) {
                double[] db = new double[g3];
                for (int r = 0; r < t * b; r++) {
                    for (int j = 0; j < g3; j++) db[j] += dhh[r * g3 + j];
                }
                g[3] = tensor(db, dt, g3);
            }
            return g;
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            int h = e.inputTensor(1).size(1);
            // PyTorch's r, z, n against ONNX's z, r, h; linear_before_reset=1 is PyTorch's formula
            int[] order = {1, 0, 2};
            RecurrentInput<V> in = recurrentInput(e, order, h);
            V r = TraceOps.reorderRows(e, e.input(2), order, h);
            V rb = TraceOps.squeeze(e, TraceOps.reorderRows(e, e.input(3), order, h), 0);
            V wb = in.bias == null ? zeros(e, 3 * h) : in.bias;
            V b = TraceOps.unsqueeze(e, e.op("Concat").in(wb).in(rb).attr("axis", 0).out(), 0);
            List<V> y = e.op("GRU").in(in.x).in(in.w).in(r).in(b).in(e.absent()).in(TraceOps.initialState(e, 1))
                    .attr("hidden_size", h).attr("linear_before_reset", 1)
                    .attr("direction", reverse ? "reverse" : "forward").outs(2);
            return TraceOps.squeeze(e, y.get(0), 1);
        }
    }

    // ------------------------------------------------------------------ Elman RNN

    /** Elman RNN layer: inputs {@code (xg [T,B,H] incl. both biases, h0 [B,H], W_hh [H,H])}; output {@code [T,B,H]}. */
    public static final class RnnFn extends Function implements Traceable {
        private final boolean reverse;
        private final boolean relu;

        public RnnFn(boolean reverse, boolean relu) {
            this.reverse = reverse;
            this.relu = relu;
        }

        @Override
        public String name() {
            return relu ? "RnnReluBackward" : "RnnTanhBackward";
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            int t = in[0].size(0), b = in[0].size(1), h = in[1].size(1), bh = b * h;
            double[] xg = doubles(in[0]);
            Hw w = new Hw(in[2]);
            double[] hs = new double[(t + 1) * bh], out = new double[t * bh], a = new double[bh];
            System.arraycopy(doubles(in[1]), 0, hs, 0, bh);
            for (int s = 0; s < t; s++) {
                int tt = reverse ? t - 1 - s : s;
                w.hWt(hs, s * bh, b, a);
                for (int k = 0; k < bh; k++) {
                    double v = a[k] + xg[tt * bh + k];
                    v = relu ? Math.max(v, 0) : tanh(v);
                    hs[(s + 1) * bh + k] = v;
                    out[tt * bh + k] = v;
                }
            }
            ctx.saveForBackward(in[2]);
            ctx.put("saved", new Saved(null, hs, null));
            return tensor(out, in[0].dtype(), t, b, h);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor gy) {
            Tensor wt = ctx.savedTensors()[0];
            Saved sv = ctx.get("saved");
            int h = wt.size(1), t = gy.size(0), b = gy.size(1), bh = b * h;
            double[] go = doubles(gy);
            Hw w = new Hw(wt);
            double[] dhRec = new double[bh], dA = new double[t * bh], dxg = new double[t * bh];
            for (int s = t - 1; s >= 0; s--) {
                int tt = reverse ? t - 1 - s : s;
                for (int k = 0; k < bh; k++) {
                    double hv = sv.hs[(s + 1) * bh + k];
                    double dh = go[tt * bh + k] + dhRec[k];
                    double d = relu ? (hv > 0 ? dh : 0) : dh * (1 - hv * hv);
                    dA[s * bh + k] = d;
                    dxg[tt * bh + k] = d;
                }
                w.gW(dA, s * bh, b, dhRec);
            }
            DType dt = gy.dtype();
            Tensor[] g = new Tensor[3];
            if (ctx.needsInputGrad(0)) g[0] = tensor(dxg, dt, t, b, h);
            if (ctx.needsInputGrad(1)) g[1] = tensor(dhRec, dt, b, h);
            if (ctx.needsInputGrad(2)) g[2] = w.dW(dA, sv.hs, t * b);
            return g;
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            int h = e.inputTensor(1).size(1);
            RecurrentInput<V> in = recurrentInput(e, new int[] {0}, h);
            V r = TraceOps.unsqueeze(e, e.input(2), 0);
            V b = in.bias == null ? e.absent() : TraceOps.unsqueeze(e, e.op("Concat").in(in.bias)
                    .in(zeros(e, h)).attr("axis", 0).out(), 0);
            List<V> y = e.op("RNN").in(in.x).in(in.w).in(r).in(b).in(e.absent()).in(TraceOps.initialState(e, 1))
                    .attr("hidden_size", h).attr("activations", new String[] {relu ? "Relu" : "Tanh"})
                    .attr("direction", reverse ? "reverse" : "forward").outs(2);
            return TraceOps.squeeze(e, y.get(0), 1);
        }
    }

    // ------------------------------------------------------------------ tracing

    /** X, W (gate blocks in ONNX's order) and the input bias (or null) of an ONNX recurrent op. */
    private record RecurrentInput<V>(V x, V w, V bias) {}

    /**
     * When the projected gates {@code xg} come from {@link Fused#linear}, the projection moves into
     * the ONNX op: X is the layer input and W the input weights with their gate blocks reordered
     * (the linear's nodes are then dropped). Otherwise X is {@code xg} and W a permutation matrix.
     */
    private static <V> RecurrentInput<V> recurrentInput(TraceEmitter<V> e, int[] order, int h) {
        Tensor[] lin = e.producedBy(e.inputTensor(0), Fused.LinearFn.class);
        if (lin != null && lin[0].dim() == 3) {
            V w = TraceOps.reorderRows(e, e.value(lin[1]), order, h);
            V bias = lin.length > 2 && lin[2] != null
                    ? TraceOps.squeeze(e, TraceOps.reorderRows(e, e.value(lin[2]), order, h), 0) : null;
            return new RecurrentInput<>(e.value(lin[0]), w, bias);
        }
        V w = e.constant("gate_order", TraceOps.gatePermutation(order, h, e.inputTensor(0).dtype()));
        return new RecurrentInput<>(e.input(0), w, null);
    }

    private static <V> V zeros(TraceEmitter<V> e, int n) {
        return e.op("Expand").in(e.scalar(0, e.inputTensor(1).dtype())).in(e.ints(n)).out();
    }
}
