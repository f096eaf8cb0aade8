package org.kindling.nn.pooling;

import java.util.Arrays;
import org.kindling.nn.internal.Arrs;
import org.kindling.nn.internal.PoolKernels;
import org.kindling.nn.internal.PoolKernels.AvgGeom;
import org.kindling.nn.internal.PoolKernels.MaxGeom;
import org.kindling.tensor.DType;
import org.kindling.tensor.Function;
import org.kindling.tensor.FunctionCtx;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.Buffer;
import org.kindling.tensor.internal.trace.TraceEmitter;
import org.kindling.tensor.internal.trace.TraceOps;
import org.kindling.tensor.internal.trace.Traceable;
import java.util.function.UnaryOperator;

/**
 * Functional pooling ({@code max_pool1d/2d}, {@code avg_pool1d/2d}, {@code adaptive_avg_pool2d})
 * as fused Functions: float32 loops parallel over the (batch x channel) planes, plus a float64
 * path for gradcheck. Max pooling's backward routes each gradient to the window's argmax.
 *
 * <pre>
 * Tensor y = PoolFunctions.maxPool2d(x, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, false);
 * Tensor z = PoolFunctions.adaptiveAvgPool2d(x, 1, 1);   // global average pooling
 * </pre>
 */
public final class PoolFunctions {
    private PoolFunctions() {}

    /** Output length of a pooling window along one axis (PyTorch's pooling_output_shape). */
    static int outSize(int in, int k, int p, int s, int d, boolean ceil) {
        int out = Math.floorDiv(in + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0), s) + 1;
        if (ceil && (long) (out - 1) * s >= in + p) out--;
        return out;
    }

    private static void checkInput(String op, Tensor x, int spatial) {
        if (x.dim() != spatial + 1 && x.dim() != spatial + 2) {
            String dims = spatial == 2 ? "[N, C, H, W] (or [C, H, W])" : "[N, C, L] (or [C, L])";
            throw new IllegalArgumentException(op + ": expected input with " + (spatial + 2) + " dims " + dims
                    + ", got " + x.shape());
        }
        Arrs.checkFloat(op, "input", x, null);
    }

    private static void checkWindow(String op, int[] k, int[] s, int[] p, int[] d) {
        for (int i = 0; i < 2; i++) {
            if (k[i] < 1 || s[i] < 1 || d[i] < 1 || p[i] < 0) {
                throw new IllegalArgumentException(op + ": kernel size, stride and dilation must be positive and "
                        + "padding >= 0, got kernel=" + Arrays.toString(k) + ", stride=" + Arrays.toString(s)
                        + ", padding=" + Arrays.toString(p) + ", dilation=" + Arrays.toString(d));
            }
            if (p[i] > k[i] / 2) {
                throw new IllegalArgumentException(op + ": pad should be at most half of effective kernel size, got "
                        + "padding=" + Arrays.toString(p) + " and kernel=" + Arrays.toString(k));
            }
        }
    }

    // ------------------------------------------------------------------ max pooling

    /** 2-D max pooling over the last two dims of {@code [N, C, H, W]} or {@code [C, H, W]}. */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation,
                                   boolean ceilMode) {
        checkInput("max_pool2d", x, 2);
        checkWindow("max_pool2d", kernel, stride, padding, dilation);
        int h = x.size(x.dim() - 2), w = x.size(x.dim() - 1);
        int oh = outSize(h, kernel[0], padding[0], stride[0], dilation[0], ceilMode);
        int ow = outSize(w, kernel[1], padding[1], stride[1], dilation[1], ceilMode);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("max_pool2d: output size is too small: input " + x.shape()
                    + " gives " + oh + "x" + ow);
        }
        MaxGeom g = new MaxGeom(x.numel() / (h * w), h, w, kernel[0], kernel[1], stride[0], stride[1], padding[0],
                padding[1], dilation[0], dilation[1], oh, ow);
        int[] shape = x.shape().toArray();
        shape[shape.length - 2] = oh;
        shape[shape.length - 1] = ow;
        return new MaxPoolFn(g, shape).apply(x);
    }

    /** 1-D max pooling over the last dim of {@code [N, C, L]} or {@code [C, L]}. */
    public static Tensor maxPool1d(Tensor x, int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        checkInput("max_pool1d", x, 1);
        Tensor y = maxPool2d(to2d(x), new int[] {1, kernel}, new int[] {1, stride}, new int[] {0, padding},
                new int[] {1, dilation}, ceilMode);
        return from2d(y);
    }

    private static Tensor to2d(Tensor x) {
        int[] s = x.shape().toArray();
        int[] t = Arrays.copyOf(s, s.length + 1);
        t[s.length - 1] = 1;
        t[s.length] = s[s.length - 1];
        return x.reshape(t);
    }

    private static Tensor from2d(Tensor y) {
        int[] s = y.shape().toArray();
        int[] t = Arrays.copyOf(s, s.length - 1);
        t[t.length - 1] = s[s.length - 1];
        return y.reshape(t);
    }

    static final class MaxPoolFn extends Function implements Traceable {
        private final MaxGeom g;
        private final int[] outShape;

        MaxPoolFn(MaxGeom g, int[] outShape) {
            this.g = g;
            this.outShape = outShape;
        }

        @Override
        public String name() {
            return "MaxPool2DWithIndicesBackward";
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Buffer xb = Arrs.dense(in[0]);
            int n = g.planes() * g.oh() * g.ow();
            // Without a backward to feed, the argmax is not recorded (and float32 takes the index-free loop).
            int[] idx = ctx.needsInputGrad(0) || in[0].dtype() == DType.FLOAT64 ? new int[n] : null;
            ctx.put("idx", idx);
            ctx.put("inShape", in[0].shape().toArray());
            if (in[0].dtype() == DType.FLOAT64) {
                double[] out = new double[n];
                PoolKernels.maxForward(xb.storage.f64, xb.offset, g, out, idx);
                return Arrs.wrap(out, outShape);
            }
            // Every output is written, so inside an executor run it may come from the executor's pool.
            float[] out = idx == null ? org.kindling.kernel.internal.ArrayPool.floats(n) : new float[n];
            PoolKernels.maxForward(xb.storage.f32, xb.offset, g, out, idx);
            return Arrs.wrap(out, outShape);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor gy) {
            int[] idx = ctx.get("idx");
            int[] inShape = ctx.get("inShape");
            Buffer gb = Arrs.dense(gy);
            int hw = g.h() * g.w(), l = g.oh() * g.ow();
            if (gy.dtype() == DType.FLOAT64) {
                double[] dx = new double[g.planes() * hw];
                PoolKernels.maxBackward(gb.storage.f64, gb.offset, idx, g.planes(), hw, l, dx);
                return new Tensor[] {Arrs.wrap(dx, inShape)};
            }
            float[] dx = new float[g.planes() * hw];
            PoolKernels.maxBackward(gb.storage.f32, gb.offset, idx, g.planes(), hw, l, dx);
            return new Tensor[] {Arrs.wrap(dx, inShape)};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            boolean ceil = outSize(g.h(), g.kh(), g.ph(), g.sh(), g.dh(), false) != g.oh()
                    || outSize(g.w(), g.kw(), g.pw(), g.sw(), g.dw(), false) != g.ow();
            return spatial4d(e, x -> e.op("MaxPool").in(x).attr("kernel_shape", new long[] {g.kh(), g.kw()})
                    .attr("strides", new long[] {g.sh(), g.sw()}).attr("pads", new long[] {g.ph(), g.pw(), g.ph(), g.pw()})
                    .attr("dilations", new long[] {g.dh(), g.dw()}).attr("ceil_mode", ceil ? 1 : 0).out());
        }
    }

    // ------------------------------------------------------------------ average pooling

    /** 2-D average pooling; {@code countIncludePad} counts the zero padding in the divisor. */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad) {
        checkInput("avg_pool2d", x, 2);
        checkWindow("avg_pool2d", kernel, stride, padding, new int[] {1, 1});
        int h = x.size(x.dim() - 2), w = x.size(x.dim() - 1);
        int oh = outSize(h, kernel[0], padding[0], stride[0], 1, ceilMode);
        int ow = outSize(w, kernel[1], padding[1], stride[1], 1, ceilMode);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("avg_pool2d: output size is too small: input " + x.shape()
                    + " gives " + oh + "x" + ow);
        }
        int[][] hAxis = avgAxis(h, oh, kernel[0], stride[0], padding[0], countIncludePad);
        int[][] wAxis = avgAxis(w, ow, kernel[1], stride[1], padding[1], countIncludePad);
        AvgGeom g = new AvgGeom(x.numel() / (h * w), h, w, oh, ow, hAxis[0], hAxis[1], wAxis[0], wAxis[1], hAxis[2],
                wAxis[2]);
        int[] window = {kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], ceilMode ? 1 : 0,
            countIncludePad ? 1 : 0};
        return new AvgPoolFn(g, "AvgPool2DBackward", window).apply(x);
    }

    /** 1-D average pooling over the last dim. */
    public static Tensor avgPool1d(Tensor x, int kernel, int stride, int padding, boolean ceilMode,
                                   boolean countIncludePad) {
        checkInput("avg_pool1d", x, 1);
        return from2d(avgPool2d(to2d(x), new int[] {1, kernel}, new int[] {1, stride}, new int[] {0, padding},
                ceilMode, countIncludePad));
    }

    /** Start, end and divisor of each window along one axis, as PyTorch's avg_pool2d computes them. */
    private static int[][] avgAxis(int in, int out, int k, int s, int p, boolean includePad) {
        int[][] r = new int[3][out];
        for (int i = 0; i < out; i++) {
            int start = i * s - p;
            int endPad = Math.min(start + k, in + p);
            int cntPad = endPad - start;
            start = Math.max(start, 0);
            int end = Math.min(endPad, in);
            r[0][i] = start;
            r[1][i] = end;
            r[2][i] = includePad ? cntPad : Math.max(end - start, 1);
        }
        return r;
    }

    /**
     * Adaptive average pooling to {@code outH x outW}: output cell i covers input rows
     * {@code [floor(i*H/outH), ceil((i+1)*H/outH))}.
     */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        checkInput("adaptive_avg_pool2d", x, 2);
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("adaptive_avg_pool2d: output size must be positive, got " + outH + "x"
                    + outW);
        }
        int h = x.size(x.dim() - 2), w = x.size(x.dim() - 1);
        int[][] hAxis = adaptiveAxis(h, outH), wAxis = adaptiveAxis(w, outW);
        AvgGeom g = new AvgGeom(x.numel() / Math.max(1, h * w), h, w, outH, outW, hAxis[0], hAxis[1], wAxis[0],
                wAxis[1], hAxis[2], wAxis[2]);
        return new AvgPoolFn(g, "AdaptiveAvgPool2DBackward", null).apply(x);
    }

    private static int[][] adaptiveAxis(int in, int out) {
        int[][] r = new int[3][out];
        for (int i = 0; i < out; i++) {
            r[0][i] = (int) Math.floorDiv((long) i * in, out);
            r[1][i] = (int) -Math.floorDiv(-(long) (i + 1) * in, out);
            r[2][i] = r[1][i] - r[0][i];
        }
        return r;
    }

    static final class AvgPoolFn extends Function implements Traceable {
        private final AvgGeom g;
        private final String name;
        /** For tracing: kernel, stride, padding (2 each), ceil mode and count-include-pad as 0/1; null when adaptive. */
        private final int[] window;

        AvgPoolFn(AvgGeom g, String name, int[] window) {
            this.g = g;
            this.name = name;
            this.window = window;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Buffer xb = Arrs.dense(in[0]);
            int[] shape = in[0].shape().toArray();
            ctx.put("inShape", shape.clone());
            shape[shape.length - 2] = g.oh();
            shape[shape.length - 1] = g.ow();
            int n = g.planes() * g.oh() * g.ow();
            if (in[0].dtype() == DType.FLOAT64) {
                double[] out = new double[n];
                PoolKernels.avgForward(xb.storage.f64, xb.offset, g, out);
                return Arrs.wrap(out, shape);
            }
            float[] out = new float[n];
            PoolKernels.avgForward(xb.storage.f32, xb.offset, g, out);
            return Arrs.wrap(out, shape);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor gy) {
            int[] inShape = ctx.get("inShape");
            Buffer gb = Arrs.dense(gy);
            int n = g.planes() * g.h() * g.w();
            if (gy.dtype() == DType.FLOAT64) {
                double[] dx = new double[n];
                PoolKernels.avgBackward(gb.storage.f64, gb.offset, g, dx);
                return new Tensor[] {Arrs.wrap(dx, inShape)};
            }
            float[] dx = new float[n];
            PoolKernels.avgBackward(gb.storage.f32, gb.offset, g, dx);
            return new Tensor[] {Arrs.wrap(dx, inShape)};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            if (window == null) {
                if (g.oh() == 1 && g.ow() == 1) return spatial4d(e, x -> e.op("GlobalAveragePool").in(x).out());
                if (g.h() % g.oh() != 0 || g.w() % g.ow() != 0) {
                    throw e.unsupported("adaptive average pooling from " + g.h() + "x" + g.w() + " to " + g.oh() + "x" + g.ow()
                            + " has uneven windows, which ONNX's AveragePool cannot express");
                }
                long kh = g.h() / g.oh(), kw = g.w() / g.ow();
                return spatial4d(e, x -> e.op("AveragePool").in(x).attr("kernel_shape", new long[] {kh, kw})
                        .attr("strides", new long[] {kh, kw}).out());
            }
            long[] w = java.util.Arrays.stream(window).asLongStream().toArray();
            return spatial4d(e, x -> e.op("AveragePool").in(x).attr("kernel_shape", new long[] {w[0], w[1]})
                    .attr("strides", new long[] {w[2], w[3]}).attr("pads", new long[] {w[4], w[5], w[4], w[5]})
                    .attr("ceil_mode", w[6]).attr("count_include_pad", w[7]).out());
        }
    }

    /** Runs a 2-D pooling node on 4-D input, adding and removing the batch dim of unbatched {@code [C, H, W]} input. */
    private static <V> V spatial4d(TraceEmitter<V> e, UnaryOperator<V> pool) {
        if (e.inputTensor(0).dim() == 4) return pool.apply(e.input(0));
        return TraceOps.squeeze(e, pool.apply(TraceOps.unsqueeze(e, e.input(0), 0)), 0);
    }
}
