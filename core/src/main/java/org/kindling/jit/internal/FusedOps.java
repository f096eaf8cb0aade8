package org.kindling.jit.internal;

import org.kindling.jit.Attributes;
import org.kindling.jit.Node;
import org.kindling.kernel.internal.KernelProvider;
import org.kindling.nn.internal.Arrs;
import org.kindling.nn.internal.ConvGeom;
import org.kindling.nn.internal.ConvKernels;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.Buffer;

/**
 * Operators the inference executor makes by fusing a node with the activation that alone reads its
 * output: {@code Conv} or {@code Gemm} followed by {@code Relu} become one node of this domain, with the
 * activation as an attribute, run with the ONNX opset of the node it replaces. The float32 2-D cases apply bias and activation to each block of output
 * while it is still in cache; every other case runs the ONNX operator and then the activation, so the
 * result never depends on whether a node was fused.
 */
final class FusedOps {

    /** The domain of fused nodes; they exist only inside an executor's plan, never in a saved graph. */
    static final String DOMAIN = "org.kindling.fused";

    static final String ACTIVATION = "activation";

    private FusedOps() {}

    /** The kernel of a fused node made by {@link #fuse}; fused nodes are never looked up in an {@link OpRegistry}. */
    static OpKernel kernel(Node fused) {
        return switch (fused.opType()) {
            case "Conv" -> ctx -> Ops.one(conv(ctx));
            case "Gemm" -> ctx -> Ops.one(gemm(ctx));
            default -> throw new IllegalArgumentException("no fused kernel for " + fused.describe());
        };
    }

    /** Whether {@code activation} (an ONNX op type) can be fused into the node that feeds it. */
    static boolean fusable(Node producer, Node activation) {
        return activation.domain().isEmpty() && activation.opType().equals("Relu") && producer.domain().isEmpty()
                && (producer.opType().equals("Conv") || producer.opType().equals("Gemm"))
                && producer.outputs().size() == 1;
    }

    /** The producer and its activation as one node that writes the activation's output. */
    static Node fuse(Node producer, Node activation) {
        Attributes attrs = producer.attributes().toBuilder().put(ACTIVATION, activation.opType()).build();
        return new Node(producer.opType(), DOMAIN, producer.name(), producer.inputs(), activation.outputs(), attrs);
    }

    private static Tensor conv(OpContext ctx) {
        Tensor x = ctx.input(0), w = ctx.input(1), b = ctx.optional(2);
        boolean fast = x.dim() == 4 && w.dim() == 4 && x.dtype() == DType.FLOAT32 && w.dtype() == DType.FLOAT32
                && (b == null || b.dtype() == DType.FLOAT32 && b.dim() == 1);
        if (!fast) return relu(NnOps.conv(ctx));
        int[] kernel = {w.size(2), w.size(3)};
        int[] strides = ctx.attrInts("strides", new int[] {1, 1});
        int[] dil = ctx.attrInts("dilations", new int[] {1, 1});
        int[] p = NnOps.pads(ctx, new int[] {x.size(2), x.size(3)}, kernel, strides, dil);
        if (!NnOps.symmetric(p)) return relu(NnOps.conv(ctx));
        int group = (int) ctx.attrInt("group", 1);
        ConvGeom g = ConvGeom.of("Conv", x, w, b, strides, new int[] {p[0] + p[2], p[1] + p[3]},
                new int[] {p[0], p[1]}, dil, group);
        Buffer xb = Arrs.dense(x), wb = Arrs.dense(w), bb = b == null ? null : Arrs.dense(b);
        float[] y = ConvKernels.forwardInference(xb.storage.f32, xb.offset, wb.storage.f32, wb.offset,
                bb == null ? null : bb.storage.f32, bb == null ? 0 : bb.offset, g, true);
        return Arrs.wrap(y, g.n(), g.oc(), g.oh(), g.ow());
    }

    private static Tensor gemm(OpContext ctx) {
        Tensor a = ctx.input(0), b = ctx.input(1), c = ctx.optional(2);
        boolean transA = ctx.attrInt("transA", 0) == 1, transB = ctx.attrInt("transB", 0) == 1;
        float alpha = ctx.attrFloat("alpha", 1f), beta = ctx.attrFloat("beta", 1f);
        if (a.dim() != 2 || b.dim() != 2) return relu(NnOps.gemm(ctx));
        int m = transA ? a.size(1) : a.size(0), k = transA ? a.size(0) : a.size(1);
        int n = transB ? b.size(0) : b.size(1);
        boolean fast = a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32 && (transB ? b.size(1) : b.size(0)) == k
                && (c == null || c.dtype() == DType.FLOAT32 && (c.numel() == n && (c.dim() == 1 || c.dim() == 2 && c.size(0) == 1)));
        if (!fast) return relu(NnOps.gemm(ctx));
        Buffer ab = Arrs.dense(a), bb = Arrs.dense(b), cb = c == null ? null : Arrs.dense(c);
        float[] y = new float[m * n];
        KernelProvider.get().sgemm(m, n, k, alpha, ab.storage.f32, ab.offset, transA ? 1 : k, transA ? m : 1,
                bb.storage.f32, bb.offset, transB ? 1 : n, transB ? k : 1, 0f, y, 0, n);
        biasColumnsRelu(y, m, n, cb == null ? null : cb.storage.f32, cb == null ? 0 : cb.offset, beta);
        return Arrs.wrap(y, m, n);
    }

    /** {@code y[i, j] = max(y[i, j] + beta * bias[j], 0)}, NaN kept. */
    static void biasColumnsRelu(float[] y, int m, int n, float[] bias, int bo, float beta) {
        float[] scaled = new float[n];
        if (bias != null) for (int j = 0; j < n; j++) scaled[j] = beta * bias[bo + j];
        for (int i = 0; i < m; i++) {
            int row = i * n;
            for (int j = 0; j < n; j++) y[row + j] = Math.max(y[row + j] + scaled[j], 0f);
        }
    }

    private static Tensor relu(Tensor t) {
        return t.relu();
    }
}
