package org.kindling.nn.conv;

import java.util.Arrays;
import org.kindling.nn.internal.Arrs;
import org.kindling.nn.internal.ConvGeom;
import org.kindling.nn.internal.ConvKernels;
import org.kindling.tensor.DType;
import org.kindling.tensor.Function;
import org.kindling.tensor.FunctionCtx;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.Buffer;
import org.kindling.tensor.internal.trace.TraceEmitter;
import org.kindling.tensor.internal.trace.TraceOps;
import org.kindling.tensor.internal.trace.Traceable;

/**
 * Functional convolutions ({@code torch.nn.functional.conv1d/conv2d/conv_transpose2d}) as fused
 * autograd Functions over im2col and sgemm (float32, batch in parallel) with a float64 path for
 * gradcheck. Their backward is not itself differentiable (no double backward).
 *
 * <pre>
 * Tensor x = Kindling.randn(8, 3, 32, 32);
 * Tensor w = Kindling.randn(16, 3, 3, 3);
 * Tensor y = ConvFunctions.conv2d(x, w, null, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1);  // [8, 16, 32, 32]
 * </pre>
 */
public final class ConvFunctions {
    private ConvFunctions() {}

    /** 2-D convolution with symmetric zero padding. {@code bias} may be null. Input {@code [N, C, H, W]} or {@code [C, H, W]}. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                                int groups) {
        return conv2d("conv2d", input, weight, bias, stride, new int[] {2 * padding[0], 2 * padding[1]},
                new int[] {padding[0], padding[1]}, dilation, groups);
    }

    /** 2-D convolution with padding {@code "valid"} (none) or {@code "same"} (output size = input size, stride 1). */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation,
                                int groups) {
        int[] total = samePadding("conv2d", padding, weight, 2, stride, dilation);
        return conv2d("conv2d", input, weight, bias, stride, total, new int[] {total[0] / 2, total[1] / 2}, dilation, groups);
    }

    /** 1-D convolution: input {@code [N, C, L]} or {@code [C, L]}, weight {@code [OC, C/groups, K]}. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation,
                                int groups) {
        return conv1d(input, weight, bias, stride, new int[] {0, 2 * padding}, new int[] {0, padding}, dilation, groups);
    }

    /** 1-D convolution with padding {@code "valid"} or {@code "same"}. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, String padding, int dilation,
                                int groups) {
        int[] total = samePadding("conv1d", padding, weight, 1, new int[] {stride}, new int[] {dilation});
        return conv1d(input, weight, bias, stride, new int[] {0, total[1]}, new int[] {0, total[1] / 2}, dilation,
                groups);
    }

    private static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int[] total, int[] top,
                                 int dilation, int groups) {
        if (weight.dim() != 3) {
            throw new IllegalArgumentException("conv1d: expected a weight with 3 dims [OC, C/groups, K], got "
                    + weight.shape());
        }
        boolean unbatched = input.dim() == 2;
        if (input.dim() != 2 && input.dim() != 3) {
            throw new IllegalArgumentException("conv1d: expected input with 3 dims [N, C, L] (or 2 unbatched), got "
                    + input.shape());
        }
        Tensor x = unbatched ? input.reshape(1, input.size(0), 1, input.size(1))
                : input.reshape(input.size(0), input.size(1), 1, input.size(2));
        Tensor w = weight.reshape(weight.size(0), weight.size(1), 1, weight.size(2));
        Tensor y = conv2d("conv1d", x, w, bias, new int[] {1, stride}, total, top, new int[] {1, dilation}, groups);
        return unbatched ? y.reshape(y.size(1), y.size(3)) : y.reshape(y.size(0), y.size(1), y.size(3));
    }

    static int[] samePadding(String op, String padding, Tensor weight, int dims, int[] stride, int[] dilation) {
        int[] total = new int[2];
        if ("valid".equals(padding)) return total;
        if (!"same".equals(padding)) {
            throw new IllegalArgumentException(op + ": padding must be \"valid\", \"same\" or numbers, got \"" + padding
                    + "\"");
        }
        for (int s : stride) {
            if (s != 1) throw new IllegalArgumentException(op + ": padding='same' is not supported for strided convolutions");
        }
        for (int i = 0; i < dims; i++) {
            int k = weight.size(weight.dim() - dims + i);
            total[2 - dims + i] = dilation[i] * (k - 1);
        }
        return total;
    }

    private static Tensor conv2d(String op, Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padTotal,
                                 int[] padTop, int[] dilation, int groups) {
        boolean unbatched = input.dim() == 3;
        Tensor x = unbatched ? input.reshape(1, input.size(0), input.size(1), input.size(2)) : input;
        ConvGeom g = ConvGeom.of(op, x, weight, bias, stride, padTotal, padTop, dilation, groups);
        Tensor y = bias == null ? new Conv2dFn(g).apply(x, weight) : new Conv2dFn(g).apply(x, weight, bias);
        return unbatched ? y.reshape(y.size(1), y.size(2), y.size(3)) : y;
    }


    /**
     * 2-D transposed convolution ({@code conv_transpose2d}): input {@code [N, Cin, H, W]}, weight
     * {@code [Cin, Cout/groups, KH, KW]}, output {@code [N, Cout, (H-1)*s - 2p + d*(k-1) + outputPadding + 1, ...]}.
     */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                         int[] outputPadding, int groups, int[] dilation) {
        String op = "conv_transpose2d";
        boolean unbatched = input.dim() == 3;
        Tensor x = unbatched ? input.reshape(1, input.size(0), input.size(1), input.size(2)) : input;
        if (weight.dim() != 4) {
            throw new IllegalArgumentException(op + ": expected a weight with 4 dims [Cin, Cout/groups, KH, KW], got "
                    + weight.shape());
        }
        int cin = weight.size(0);
        if (x.dim() != 4 || x.size(1) != cin) {
            throw new IllegalArgumentException(op + ": expected input with 4 dims [N, C, H, W] and " + cin
                    + " channels, got " + x.shape());
        }
        if (groups < 1 || cin % groups != 0) {
            throw new IllegalArgumentException(op + ": in channels " + cin + " not divisible by groups " + groups);
        }
        int cout = weight.size(1) * groups;
        if (bias != null && (bias.dim() != 1 || bias.size(0) != cout)) {
            throw new IllegalArgumentException(op + ": expected bias of shape [" + cout + "], got " + bias.shape());
        }
        Arrs.checkFloat(op, "input", x, null);
        Arrs.checkFloat(op, "weight", weight, x.dtype());
        if (bias != null) Arrs.checkFloat(op, "bias", bias, x.dtype());
        int[] out = new int[2];
        for (int i = 0; i < 2; i++) {
            if (outputPadding[i] >= Math.max(stride[i], dilation[i]) || outputPadding[i] < 0) {
                throw new IllegalArgumentException(op + ": output padding must be smaller than either stride or "
                        + "dilation, got outputPadding=" + Arrays.toString(outputPadding));
            }
            out[i] = (x.size(2 + i) - 1) * stride[i] - 2 * padding[i] + dilation[i] * (weight.size(2 + i) - 1)
                    + outputPadding[i] + 1;
            if (out[i] < 1) throw new IllegalArgumentException(op + ": output size would be " + out[i]);
        }
        // the convolution whose input gradient this is: input [N, Cout, OH, OW] -> output [N, Cin, H, W]
        ConvGeom g = new ConvGeom(x.size(0), cout, out[0], out[1], cin, weight.size(2), weight.size(3), stride[0],
                stride[1], padding[0], padding[1], dilation[0], dilation[1], groups, x.size(2), x.size(3));
        Tensor y = bias == null ? new ConvTranspose2dFn(g).apply(x, weight) : new ConvTranspose2dFn(g).apply(x, weight, bias);
        return unbatched ? y.reshape(y.size(1), y.size(2), y.size(3)) : y;
    }

    // ------------------------------------------------------------------ fused Functions

    static Tensor forwardConv(Tensor x, Tensor w, Tensor b, ConvGeom g) {
        return forwardConv(x, w, b, g, null);
    }

    static Tensor forwardConv(Tensor x, Tensor w, Tensor b, ConvGeom g, float[][] keepCols) {
        Buffer xb = Arrs.dense(x), wb = Arrs.dense(w), bb = b == null ? null : Arrs.dense(b);
        int[] shape = {g.n(), g.oc(), g.oh(), g.ow()};
        if (x.dtype() == DType.FLOAT64) {
            return Arrs.wrap(ConvKernels.forward(xb.storage.f64, xb.offset, wb.storage.f64, wb.offset,
                    bb == null ? null : bb.storage.f64, bb == null ? 0 : bb.offset, g), shape);
        }
        if (keepCols == null) {
            return Arrs.wrap(ConvKernels.forwardInference(xb.storage.f32, xb.offset, wb.storage.f32, wb.offset,
                    bb == null ? null : bb.storage.f32, bb == null ? 0 : bb.offset, g, false), shape);
        }
        return Arrs.wrap(ConvKernels.forward(xb.storage.f32, xb.offset, wb.storage.f32, wb.offset,
                bb == null ? null : bb.storage.f32, bb == null ? 0 : bb.offset, g, keepCols), shape);
    }

    static Tensor inputGrad(Tensor gy, Tensor w, ConvGeom g) {
        Buffer gb = Arrs.dense(gy), wb = Arrs.dense(w);
        int[] shape = {g.n(), g.c(), g.h(), g.w()};
        if (w.dtype() == DType.FLOAT64) {
            return Arrs.wrap(ConvKernels.backwardInput(gb.storage.f64, gb.offset, wb.storage.f64, wb.offset, g), shape);
        }
        return Arrs.wrap(ConvKernels.backwardInput(gb.storage.f32, gb.offset, wb.storage.f32, wb.offset, g), shape);
    }

    static Tensor weightGrad(Tensor x, Tensor gy, ConvGeom g, int[] wshape) {
        return weightGrad(x, gy, g, wshape, null);
    }

    static Tensor weightGrad(Tensor x, Tensor gy, ConvGeom g, int[] wshape, float[] keptCols) {
        Buffer xb = Arrs.dense(x), gb = Arrs.dense(gy);
        if (x.dtype() == DType.FLOAT64) {
            return Arrs.wrap(ConvKernels.backwardWeight(xb.storage.f64, xb.offset, gb.storage.f64, gb.offset, g), wshape);
        }
        return Arrs.wrap(ConvKernels.backwardWeight(xb.storage.f32, xb.offset, gb.storage.f32, gb.offset, g, keptCols),
                wshape);
    }

    static Tensor biasGrad(Tensor gy, int n, int c, int l) {
        Buffer gb = Arrs.dense(gy);
        if (gy.dtype() == DType.FLOAT64) return Arrs.wrap(ConvKernels.backwardBias(gb.storage.f64, gb.offset, n, c, l), c);
        return Arrs.wrap(ConvKernels.backwardBias(gb.storage.f32, gb.offset, n, c, l), c);
    }

    /** Convolution: inputs (x, weight[, bias]). */
    static final class Conv2dFn extends Function implements Traceable {
        private final ConvGeom g;

        Conv2dFn(ConvGeom g) {
            this.g = g;
        }

        @Override
        public String name() {
            return "ConvolutionBackward";
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            ctx.put("nin", in.length);
            // keep the im2col matrix for the weight gradient (the input is saved and cannot change meanwhile)
            float[][] cols = ctx.needsInputGrad(1) ? new float[1][] : null;
            Tensor y = forwardConv(in[0], in[1], in.length > 2 ? in[2] : null, g, cols);
            ctx.put("cols", cols == null ? null : cols[0]);
            return y;
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor gy) {
            Tensor[] s = ctx.savedTensors();
            Tensor[] grads = new Tensor[3];
            if (ctx.needsInputGrad(0)) grads[0] = inputGrad(gy, s[1], g);
            if (ctx.needsInputGrad(1)) grads[1] = weightGrad(s[0], gy, g, s[1].shape().toArray(), ctx.get("cols"));
            boolean hasBias = ctx.<Integer>get("nin") == 3;
            if (hasBias && ctx.needsInputGrad(2)) grads[2] = biasGrad(gy, g.n(), g.oc(), g.l());
            return hasBias ? grads : new Tensor[] {grads[0], grads[1]};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            // bottom/right padding: symmetric when that gives the same output size, else what "same" padding added
            int pb = ConvGeom.outSize(g.h(), g.kh(), g.sh(), 2 * g.ph(), g.dh()) == g.oh() ? g.ph()
                    : (g.oh() - 1) * g.sh() + g.dh() * (g.kh() - 1) + 1 - g.h() - g.ph();
            int pr = ConvGeom.outSize(g.w(), g.kw(), g.sw(), 2 * g.pw(), g.dw()) == g.ow() ? g.pw()
                    : (g.ow() - 1) * g.sw() + g.dw() * (g.kw() - 1) + 1 - g.w() - g.pw();
            TraceEmitter.NodeSpec<V> n = e.op("Conv").in(e.input(0)).in(e.input(1));
            if (e.inputCount() > 2) n.in(e.input(2));
            return n.attr("kernel_shape", new long[] {g.kh(), g.kw()}).attr("strides", new long[] {g.sh(), g.sw()})
                    .attr("pads", new long[] {g.ph(), g.pw(), pb, pr}).attr("dilations", new long[] {g.dh(), g.dw()})
                    .attr("group", g.groups()).out();
        }
    }

    /** Transposed convolution: inputs (x, weight[, bias]); {@code g} is the convolution it transposes. */
    static final class ConvTranspose2dFn extends Function implements Traceable {
        private final ConvGeom g;

        ConvTranspose2dFn(ConvGeom g) {
            this.g = g;
        }

        @Override
        public String name() {
            return "ConvolutionBackward";
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            ctx.put("nin", in.length);
            Tensor y = inputGrad(in[0], in[1], g);
            if (in.length > 2) y = y.add(in[2].reshape(1, g.c(), 1, 1));
            return y;
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor gy) {
            Tensor[] s = ctx.savedTensors();
            Tensor[] grads = new Tensor[3];
            if (ctx.needsInputGrad(0)) grads[0] = forwardConv(gy, s[1], null, g);
            if (ctx.needsInputGrad(1)) grads[1] = weightGrad(gy, s[0], g, s[1].shape().toArray());
            boolean hasBias = ctx.<Integer>get("nin") == 3;
            if (hasBias && ctx.needsInputGrad(2)) grads[2] = biasGrad(gy, g.n(), g.c(), g.h() * g.w());
            return hasBias ? grads : new Tensor[] {grads[0], grads[1]};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            // g is the convolution this op transposes: its output is our input
            long oph = g.h() - ((long) (g.oh() - 1) * g.sh() - 2L * g.ph() + (long) g.dh() * (g.kh() - 1) + 1);
            long opw = g.w() - ((long) (g.ow() - 1) * g.sw() - 2L * g.pw() + (long) g.dw() * (g.kw() - 1) + 1);
            TraceEmitter.NodeSpec<V> n = e.op("ConvTranspose").in(e.input(0)).in(e.input(1));
            if (e.inputCount() > 2) n.in(e.input(2));
            return n.attr("kernel_shape", new long[] {g.kh(), g.kw()}).attr("strides", new long[] {g.sh(), g.sw()})
                    .attr("pads", new long[] {g.ph(), g.pw(), g.ph(), g.pw()}).attr("dilations", new long[] {g.dh(), g.dw()})
                    .attr("output_padding", new long[] {oph, opw}).attr("group", g.groups()).out();
        }
    }
}
