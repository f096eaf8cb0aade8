package org.kindling.jit.internal;

import java.util.Arrays;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/**
 * N-d pooling by the ONNX reference rules, built from strided window views ({@code unfold}): any number
 * of spatial dims, dilations, asymmetric pads, ceil_mode (a last window may not start in the end padding),
 * count_include_pad, Lp pooling and MaxPool's Indices output. The common 2-D cases go to the fused
 * kernels in {@code F} instead (see NnOps).
 */
final class Pooling {

    enum Kind { MAX, AVG, LP }

    private Pooling() {}

    /** Output length along one spatial dim. */
    static int outLength(int in, int padBegin, int padEnd, int kernel, int stride, int dilation, boolean ceil) {
        int span = (kernel - 1) * dilation + 1;
        int room = in + padBegin + padEnd - span;
        if (room < 0) return 0;
        int out = (ceil ? (room + stride - 1) / stride : room / stride) + 1;
        if (ceil && (out - 1) * stride >= in + padBegin) out--;
        return out;
    }

    /** Returns {values, indices-or-null}. */
    static Tensor[] pool(Tensor x, Kind kind, int[] kernel, int[] strides, int[] dil, int[] pads, boolean ceil,
                         boolean includePad, double p, boolean wantIndices, boolean columnMajor) {
        int n = kernel.length;
        int[] in = Arrays.copyOfRange(x.shape().toArray(), 2, 2 + n);
        int[] out = new int[n], extra = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = outLength(in[i], pads[i], pads[i + n], kernel[i], strides[i], dil[i], ceil);
            int needed = (out[i] - 1) * strides[i] + (kernel[i] - 1) * dil[i] + 1;
            extra[i] = Math.max(0, needed - (in[i] + pads[i] + pads[i + n]));
        }
        double fill = kind == Kind.MAX ? Double.NEGATIVE_INFINITY : 0;
        Tensor src = kind == Kind.LP ? x.abs().pow(p) : x;
        Tensor windows = windows(padAll(src, pads, extra, fill), kernel, strides, dil, out);
        int[] reduceDims = new int[n];
        for (int i = 0; i < n; i++) reduceDims[i] = 2 + n + i;
        if (kind == Kind.MAX) {
            Tensor values = windows.amax(reduceDims, false);
            Tensor indices = null;
            if (wantIndices) {
                int[] shape = x.shape().toArray();
                Tensor positions = Kindling.arange(x.numel()).to(DType.FLOAT64);
                if (columnMajor) {
                    // storage_order=1 counts the spatial dims in reverse (column-major) order.
                    int[] reversed = shape.clone();
                    int[] perm = new int[shape.length];
                    for (int i = 0; i < shape.length; i++) perm[i] = i;
                    for (int i = 0; i < n; i++) {
                        reversed[2 + i] = shape[2 + n - 1 - i];
                        perm[2 + i] = 2 + n - 1 - i;
                    }
                    positions = positions.reshape(reversed).permute(perm);
                } else {
                    positions = positions.reshape(shape);
                }
                Tensor posWindows = windows(padAll(positions, pads, extra, -1), kernel, strides, dil, out);
                int[] flatShape = Arrays.copyOf(values.shape().toArray(), 2 + n + 1);
                flatShape[2 + n] = -1;
                Tensor arg = windows.reshape(flatShape).argmax(2 + n, true);
                indices = posWindows.reshape(flatShape).gather(2 + n, arg).squeeze(2 + n).to(DType.INT64);
            }
            return new Tensor[] {values, indices};
        }
        Tensor sum = windows.sum(reduceDims, false);
        if (kind == Kind.LP) return new Tensor[] {sum.pow(1.0 / p), null};
        // Average: divide by the cells counted (pads included or not; the ceil extension never counts).
        Tensor ones = Kindling.ones(x.shape().toArray(), x.dtype());
        Tensor mask = includePad ? padAll(padAll(ones, pads, new int[n], 1), new int[2 * n], extra, 0) : padAll(ones, pads, extra, 0);
        Tensor count = windows(mask, kernel, strides, dil, out).sum(reduceDims, false);
        return new Tensor[] {sum.div(count), null};
    }

    private static Tensor padAll(Tensor x, int[] pads, int[] extra, double value) {
        int n = extra.length;
        int[] torch = new int[2 * n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            int d = n - 1 - i;
            torch[2 * i] = pads[d];
            torch[2 * i + 1] = pads[d + n] + extra[d];
            any |= torch[2 * i] != 0 || torch[2 * i + 1] != 0;
        }
        return any ? x.pad(torch, "constant", value) : x;
    }

    /** [N, C, out..., k...] strided window view of the padded input. */
    private static Tensor windows(Tensor padded, int[] kernel, int[] strides, int[] dil, int[] out) {
        int n = kernel.length;
        Tensor w = padded;
        for (int i = 0; i < n; i++) {
            int span = (kernel[i] - 1) * dil[i] + 1;
            w = w.narrow(2 + i, 0, (out[i] - 1) * strides[i] + span).unfold(2 + i, span, strides[i]);
            if (dil[i] > 1) w = w.slice(w.dim() - 1, 0, span, dil[i]);
        }
        return w;
    }
}
