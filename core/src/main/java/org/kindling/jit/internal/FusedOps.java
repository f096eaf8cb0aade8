package org.kindling.jit.internal;

import org.kindling.jit.Attributes;
import org.kindling.jit.Node;
import org.kindling.kernel.internal.ArrayPool;
import org.kindling.kernel.internal.KernelProvider;
import org.kindling.kernel.internal.Kernels;
import org.kindling.nn.internal.Arrs;
import org.kindling.nn.internal.ConvGeom;
import org.kindling.nn.internal.ConvKernels;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.Buffer;

/**
 * Operators the inference executor makes by fusing a node with the activation that alone reads its
 * output: {@code Conv} or {@code Gemm} followed by {@code Relu} become one node of this domain, with the
 * activation as an attribute, run with the ONNX opset of the node it replaces. A Conv or Gemm with constant
 * weights joins this domain even without an activation, to keep its weights packed. The float32 2-D cases apply bias and activation to each block of output
 * while it is still in cache; every other case runs the ONNX operator and then the activation, so the
 * result never depends on whether a node was fused.
 */
final class FusedOps {

    /** The domain of fused nodes; they exist only inside an executor's plan, never in a saved graph. */
    static final String DOMAIN = "org.kindling.fused";

    static final String ACTIVATION = "activation";

    private FusedOps() {}

    /**
     * The kernel of a fused node made by {@link #fuse} or {@link #withConstantWeights}; fused nodes are never
     * looked up in an {@link OpRegistry}.
     *
     * @param constantB whether the node's second input (a Gemm's B, a Conv's weights) is a fixed constant, packed
     *                  once then
     */
    static OpKernel kernel(Node fused, boolean constantB) {
        return switch (fused.opType()) {
            case "Conv" -> new ConvKernel(constantB);
            case "Gemm" -> new GemmKernel(constantB);
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

    static final String POOL = "pool";

    /**
     * Whether {@code pool} is a MaxPool that can run inside the fused Conv before it: 2x2 windows, stride 2, no
     * padding or dilation, floor, values only.
     */
    static boolean poolFusable(Node conv, Node pool) {
        if (!pool.domain().isEmpty() || !pool.opType().equals("MaxPool") || pool.inputs().size() != 1) return false;
        if (!conv.opType().equals("Conv") || !(conv.domain().isEmpty() || conv.domain().equals(DOMAIN))) return false;
        for (int k = 1; k < pool.outputs().size(); k++) if (!pool.outputs().get(k).isAbsent()) return false;
        Attributes a = pool.attributes();
        return java.util.Arrays.equals(a.getInts("kernel_shape", null), new long[] {2, 2})
                && java.util.Arrays.equals(a.getInts("strides", new long[] {1, 1}), new long[] {2, 2})
                && java.util.Arrays.stream(a.getInts("pads", new long[4])).allMatch(v -> v == 0)
                && java.util.Arrays.stream(a.getInts("dilations", new long[] {1, 1})).allMatch(v -> v == 1)
                && a.getInt("ceil_mode", 0) == 0 && a.getString("auto_pad", "NOTSET").equals("NOTSET");
    }

    /** The Conv (fused or not) and the MaxPool after it as one node that writes the pooled output. */
    static Node fusePool(Node conv, Node pool) {
        Attributes attrs = conv.attributes().toBuilder().put(POOL, "max2x2").build();
        return new Node("Conv", DOMAIN, conv.name(), conv.inputs(), pool.outputs(), attrs);
    }

    /** A Conv or Gemm without activation, moved to this domain so that its constant weights are packed once. */
    static Node withConstantWeights(Node node) {
        return new Node(node.opType(), DOMAIN, node.name(), node.inputs(), node.outputs(), node.attributes());
    }

    private static boolean relu(OpContext ctx) {
        return ctx.attrString(ACTIVATION, "").equals("Relu");
    }

    /**
     * Conv in float32 NCHW with bias and an optional ReLU applied to each sample's block while it is in cache.
     * Constant weights are packed for the micro-kernel on the first run and reused while the same tensor comes back.
     */
    private static final class ConvKernel implements OpKernel {
        private record Packed(Tensor source, Kernels.PackedLhs[] groups) {}

        private final boolean constantWeights;
        private volatile Packed packed;

        ConvKernel(boolean constantWeights) {
            this.constantWeights = constantWeights;
        }

        @Override
        public Tensor[] run(OpContext ctx) {
            Tensor x = ctx.input(0), w = ctx.input(1), b = ctx.optional(2);
            boolean fast = x.dim() == 4 && w.dim() == 4 && x.dtype() == DType.FLOAT32 && w.dtype() == DType.FLOAT32
                    && (b == null || b.dtype() == DType.FLOAT32 && b.dim() == 1);
            if (!fast) return Ops.one(unfused(ctx));
            int[] kernel = {w.size(2), w.size(3)};
            int[] strides = ctx.attrInts("strides", new int[] {1, 1});
            int[] dil = ctx.attrInts("dilations", new int[] {1, 1});
            int[] p = NnOps.pads(ctx, new int[] {x.size(2), x.size(3)}, kernel, strides, dil);
            if (!NnOps.symmetric(p)) return Ops.one(unfused(ctx));
            int group = (int) ctx.attrInt("group", 1);
            ConvGeom g = ConvGeom.of("Conv", x, w, b, strides, new int[] {p[0] + p[2], p[1] + p[3]},
                    new int[] {p[0], p[1]}, dil, group);
            Buffer xb = Arrs.dense(x), wb = Arrs.dense(w), bb = b == null ? null : Arrs.dense(b);
            Kernels.PackedLhs[] groups = null;
            if (constantWeights) {
                Packed cached = packed;
                if (cached == null || cached.source != w) {
                    cached = new Packed(w, ConvKernels.packWeights(wb.storage.f32, wb.offset, g));
                    packed = cached;
                }
                groups = cached.groups;
            }
            boolean pool = pooled(ctx);
            float[] y = ConvKernels.forwardInference(xb.storage.f32, xb.offset, wb.storage.f32, wb.offset,
                    bb == null ? null : bb.storage.f32, bb == null ? 0 : bb.offset, g, relu(ctx), groups, pool);
            return Ops.one(pool ? Arrs.wrap(y, g.n(), g.oc(), g.oh() / 2, g.ow() / 2)
                    : Arrs.wrap(y, g.n(), g.oc(), g.oh(), g.ow()));
        }

        private static boolean pooled(OpContext ctx) {
            return ctx.attrString(POOL, "").equals("max2x2");
        }

        /** The ONNX Conv, then the activation and the pooling this node stands for. */
        private static Tensor unfused(OpContext ctx) {
            Tensor y = activate(ctx, NnOps.conv(ctx));
            if (!pooled(ctx)) return y;
            return org.kindling.nn.F.maxPool2d(y, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0},
                    new int[] {1, 1}, false);
        }
    }

    /**
     * Gemm in float32 with a bias along the columns (or none) and an optional ReLU applied in one pass over the
     * result. A constant B is packed for the micro-kernel on the first run and reused while the same tensor comes
     * back (the weights of a network, transposed or not, are then never re-packed).
     */
    private static final class GemmKernel implements OpKernel {
        private record Packed(Tensor source, Kernels.PackedRhs rhs) {}

        private final boolean constantB;
        private volatile Packed packed;

        GemmKernel(boolean constantB) {
            this.constantB = constantB;
        }

        @Override
        public Tensor[] run(OpContext ctx) {
            Tensor a = ctx.input(0), b = ctx.input(1), c = ctx.optional(2);
            if (a.dim() != 2 || b.dim() != 2) return Ops.one(activate(ctx, NnOps.gemm(ctx)));
            boolean transA = ctx.attrInt("transA", 0) == 1, transB = ctx.attrInt("transB", 0) == 1;
            float alpha = ctx.attrFloat("alpha", 1f), beta = ctx.attrFloat("beta", 1f);
            int m = transA ? a.size(1) : a.size(0), k = transA ? a.size(0) : a.size(1);
            int n = transB ? b.size(0) : b.size(1);
            boolean fast = a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32 && (transB ? b.size(1) : b.size(0)) == k
                    && (c == null || c.dtype() == DType.FLOAT32 && c.numel() == n && (c.dim() == 1 || c.dim() == 2 && c.size(0) == 1));
            if (!fast) return Ops.one(activate(ctx, NnOps.gemm(ctx)));
            Buffer ab = Arrs.dense(a), cb = c == null ? null : Arrs.dense(c);
            Kernels kernels = KernelProvider.get();
            float[] y = ArrayPool.floats(m * n);  // beta = 0: every element is written
            int ars = transA ? 1 : k, acs = transA ? m : 1;
            if (constantB && m > 1) {
                Packed p = packed;
                if (p == null || p.source != b) {
                    Buffer bb = Arrs.dense(b);
                    p = new Packed(b, kernels.packRhs(k, n, bb.storage.f32, bb.offset, transB ? 1 : n, transB ? k : 1));
                    packed = p;
                }
                kernels.sgemmPacked(m, alpha, ab.storage.f32, ab.offset, ars, acs, p.rhs, 0f, y, 0, n);
            } else {
                Buffer bb = Arrs.dense(b);
                kernels.sgemm(m, n, k, alpha, ab.storage.f32, ab.offset, ars, acs, bb.storage.f32, bb.offset,
                        transB ? 1 : n, transB ? k : 1, 0f, y, 0, n);
            }
            biasColumns(y, m, n, cb == null ? null : cb.storage.f32, cb == null ? 0 : cb.offset, beta, relu(ctx));
            return Ops.one(Arrs.wrap(y, m, n));
        }
    }

    /** {@code y[i, j] += beta * bias[j]} (bias may be null), then {@code max(y, 0)} if asked (NaN kept). */
    static void biasColumns(float[] y, int m, int n, float[] bias, int bo, float beta, boolean relu) {
        if (bias == null && !relu) return;
        float[] scaled = new float[n];
        if (bias != null) for (int j = 0; j < n; j++) scaled[j] = beta * bias[bo + j];
        for (int i = 0; i < m; i++) {
            int row = i * n;
            if (relu) {
                for (int j = 0; j < n; j++) y[row + j] = Math.max(y[row + j] + scaled[j], 0f);
            } else {
                for (int j = 0; j < n; j++) y[row + j] += scaled[j];
            }
        }
    }

    private static Tensor activate(OpContext ctx, Tensor t) {
        return relu(ctx) ? t.relu() : t;
    }
}
