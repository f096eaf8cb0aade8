package org.kindling.nn.internal;

import org.kindling.kernel.internal.KernelProvider;
import org.kindling.kernel.internal.Kernels;
import org.kindling.kernel.internal.Parallel;
import org.kindling.tensor.DType;
import org.kindling.tensor.Function;
import org.kindling.tensor.FunctionCtx;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.Buffer;
import org.kindling.tensor.internal.trace.TraceHook;

/**
 * Training-mode batch normalization of float32 {@code (N, C, *)} input as one Function
 * ({@code native_batch_norm}): per channel, the batch mean and biased variance in two vector
 * passes over the contiguous planes, then {@code y = (x - mean) * invstd * weight + bias} in a
 * third; backward in two passes per channel. The composition of elementwise ops and strided
 * reductions that {@code F.batchNorm} uses otherwise builds about ten graph nodes and makes
 * twice as many passes over the activations.
 *
 * <p>The batch statistics of the last forward ({@link #batchMean()}, {@link #batchVar()}) are
 * for the running-statistics update. Under {@code backward(createGraph=true)} the gradient is
 * built from Tensor ops, so that it can be differentiated again.
 */
public final class FusedBatchNorm extends Function {
    private final double eps;
    private double[] mean;
    private double[] var;

    public FusedBatchNorm(double eps) {
        this.eps = eps;
    }

    /** Whether the fused path handles these operands (float32 with spatial dims, not being traced). */
    public static boolean applies(Tensor input, Tensor weight, Tensor bias) {
        return input.dim() >= 3 && input.dtype() == DType.FLOAT32
                && (weight == null || weight.dtype() == DType.FLOAT32)
                && (bias == null || bias.dtype() == DType.FLOAT32)
                && input.size(0) * input.size(1) > 0 && !TraceHook.tracing();
    }

    /** Per-channel mean of the batch seen by the last forward. */
    public double[] batchMean() {
        return mean;
    }

    /** Per-channel biased variance of the batch seen by the last forward. */
    public double[] batchVar() {
        return var;
    }

    @Override
    public String name() {
        return "NativeBatchNorm";
    }

    @Override
    public Tensor forward(FunctionCtx ctx, Tensor... in) {
        Tensor x = in[0];
        int n = x.size(0), c = x.size(1), plane = x.numel() / (n * c);
        double count = (double) n * plane;
        Buffer xb = Arrs.dense(x);
        float[] xs = xb.storage.f32;
        int xo = xb.offset;
        float[] w = in[1] == null ? null : floats(in[1]);
        float[] b = in[2] == null ? null : floats(in[2]);
        float[] out = new float[x.numel()];
        double[] m = new double[c], v = new double[c];
        float[] invstd = new float[c];
        Kernels k = KernelProvider.get();
        Parallel.parallelFor(0, c, 1, (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                double s = 0;
                for (int i = 0; i < n; i++) s += k.sum(plane, xs, xo + (i * c + ch) * plane, 1);
                double mu = s / count;
                float muf = (float) mu;
                // Centred values go to the output first, so the variance is a sum of squares of
                // small numbers (no cancellation) and the last pass only scales them.
                double ss = 0;
                for (int i = 0; i < n; i++) {
                    int src = xo + (i * c + ch) * plane, dst = (i * c + ch) * plane;
                    for (int j = 0; j < plane; j++) out[dst + j] = xs[src + j] - muf;
                    ss += k.dot(plane, out, dst, 1, out, dst, 1);
                }
                double va = ss / count;
                float is = (float) (1 / Math.sqrt(va + eps));
                float scale = w == null ? is : is * w[ch];
                float shift = b == null ? 0f : b[ch];
                for (int i = 0; i < n; i++) {
                    int dst = (i * c + ch) * plane;
                    for (int j = 0; j < plane; j++) out[dst + j] = out[dst + j] * scale + shift;
                }
                m[ch] = mu;
                v[ch] = va;
                invstd[ch] = is;
            }
        });
        mean = m;
        var = v;
        ctx.saveForBackward(x, in[1]);
        ctx.put("mean", m);
        ctx.put("invstd", invstd);
        return Arrs.wrap(out, x.shape().toArray());
    }

    @Override
    public Tensor[] backward(FunctionCtx ctx, Tensor gy) {
        Tensor[] saved = ctx.savedTensors();
        Tensor x = saved[0], weight = saved[1];
        if (GradMode.isEnabled()) return differentiableBackward(ctx, gy, x, weight);
        double[] m = ctx.get("mean");
        float[] invstd = ctx.get("invstd");
        int n = x.size(0), c = x.size(1), plane = x.numel() / (n * c);
        float count = (float) n * plane;
        Buffer xb = Arrs.dense(x), gb = Arrs.dense(gy.dtype() == DType.FLOAT32 ? gy : gy.to(DType.FLOAT32));
        float[] xs = xb.storage.f32, gs = gb.storage.f32;
        int xo = xb.offset, go = gb.offset;
        float[] w = weight == null ? null : floats(weight);
        float[] dx = new float[x.numel()];
        float[] dw = new float[c], db = new float[c];
        Kernels k = KernelProvider.get();
        Parallel.parallelFor(0, c, 1, (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                float muf = (float) m[ch], is = invstd[ch];
                double sg = 0, sgc = 0;
                for (int i = 0; i < n; i++) {
                    int off = (i * c + ch) * plane, src = xo + off;
                    // dx holds x - mean until the last pass.
                    for (int j = 0; j < plane; j++) dx[off + j] = xs[src + j] - muf;
                    sg += k.sum(plane, gs, go + off, 1);
                    sgc += k.dot(plane, gs, go + off, 1, dx, off, 1);
                }
                float sgxhat = (float) (sgc * is);
                db[ch] = (float) sg;
                dw[ch] = sgxhat;
                float scale = (w == null ? 1f : w[ch]) * is;
                float meanG = (float) (sg / count), meanGx = sgxhat / count * is;
                for (int i = 0; i < n; i++) {
                    int off = (i * c + ch) * plane;
                    for (int j = 0; j < plane; j++) {
                        dx[off + j] = scale * (gs[go + off + j] - meanG - dx[off + j] * meanGx);
                    }
                }
            }
        });
        return new Tensor[] {
            ctx.needsInputGrad(0) ? Arrs.wrap(dx, x.shape().toArray()) : null,
            ctx.needsInputGrad(1) ? Arrs.wrap(dw, c) : null,
            ctx.needsInputGrad(2) ? Arrs.wrap(db, c) : null
        };
    }

    /**
     * The same gradients from Tensor ops, for {@code createGraph}; the statistics are recomputed
     * from x so that their own dependence on x is part of the new graph.
     */
    private Tensor[] differentiableBackward(FunctionCtx ctx, Tensor gy, Tensor x, Tensor weight) {
        int c = x.size(1);
        int[] bshape = new int[x.dim()];
        java.util.Arrays.fill(bshape, 1);
        bshape[1] = c;
        int[] dims = new int[x.dim() - 1];
        for (int i = 1; i < dims.length; i++) dims[i] = i + 1;
        Tensor centred = x.sub(x.mean(dims, true));
        Tensor is = centred.mul(centred).mean(dims, true).add(eps).rsqrt();
        Tensor xhat = centred.mul(is);
        Tensor g = weight == null ? gy : gy.mul(weight.reshape(bshape));
        Tensor dx = g.sub(g.mean(dims, true)).sub(xhat.mul(g.mul(xhat).mean(dims, true))).mul(is);
        return new Tensor[] {
            ctx.needsInputGrad(0) ? dx : null,
            ctx.needsInputGrad(1) ? gy.mul(xhat).sum(dims, false) : null,
            ctx.needsInputGrad(2) ? gy.sum(dims, false) : null
        };
    }

    private static float[] floats(Tensor t) {
        Buffer b = Arrs.dense(t);
        float[] f = new float[t.numel()];
        System.arraycopy(b.storage.f32, b.offset, f, 0, f.length);
        return f;
    }
}
