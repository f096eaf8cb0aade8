package org.kindling.nn;

import java.util.Arrays;
import org.kindling.Kindling;
import org.kindling.nn.internal.FusedBatchNorm;
import org.kindling.tensor.DType;
import org.kindling.tensor.Function;
import org.kindling.tensor.FunctionCtx;
import org.kindling.tensor.Generator;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.trace.TraceEmitter;
import org.kindling.tensor.internal.trace.TraceOps;
import org.kindling.tensor.internal.trace.Traceable;

/**
 * Stateless layer and loss functions ({@code torch.nn.functional}); the layers in
 * {@code org.kindling.nn.*} forward to these. Everything is composed from {@link Tensor} ops, so
 * autograd differentiates it, except {@link #linear} and {@link #embedding}, which are fused
 * {@link Function}s (hot paths whose backward is a matmul / an index-add).
 *
 * <pre>
 * Tensor h = F.relu(F.linear(x, w1, b1));
 * Tensor loss = F.crossEntropy(F.linear(h, w2, b2), labels);
 * loss.backward();
 * </pre>
 */
public final class F {
    private F() {}

    // ================================================================== linear

    /**
     * {@code y = x W^T + b} over the last dimension of {@code input} (any leading dims).
     *
     * @param input  (*, in_features)
     * @param weight (out_features, in_features)
     * @param bias   (out_features), or null
     */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        if (weight.dim() != 2) throw new IllegalArgumentException("linear: weight must be 2-D, got shape " + weight.shape());
        int in = weight.size(1);
        if (input.dim() == 0 || input.size(-1) != in) {
            throw new IllegalArgumentException("linear: mat1 and mat2 shapes cannot be multiplied (input shape "
                    + input.shape() + ", weight shape " + weight.shape() + ")");
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != weight.size(0))) {
            throw new IllegalArgumentException("linear: bias must have shape [" + weight.size(0) + "], got " + bias.shape());
        }
        return new LinearFn().apply(input, weight, bias);
    }

    /** Fused linear: forward is one matmul plus a bias add, backward two matmuls and a sum (addmm's). */
    private static final class LinearFn extends Function implements Traceable {
        @Override
        public String name() {
            return "LinearBackward";
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor x = in[0];
            Tensor w = in[1];
            ctx.saveForBackward(x, w);
            int[] outShape = x.shape().toArray();
            outShape[outShape.length - 1] = w.size(0);
            Tensor y = x.reshape(-1, w.size(1)).matmul(w.t());
            if (in[2] != null) y = y.add_(in[2]);
            return y.reshape(outShape);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor[] s = ctx.savedTensors();
            Tensor x = s[0];
            Tensor w = s[1];
            Tensor g2 = g.reshape(-1, w.size(0));
            Tensor gx = ctx.needsInputGrad(0) ? g2.matmul(w).reshape(x.shape().toArray()) : null;
            Tensor gw = ctx.needsInputGrad(1) ? g2.t().matmul(x.reshape(-1, w.size(1))) : null;
            Tensor gb = ctx.needsInputGrad(2) ? g2.sum(0) : null;
            return new Tensor[] {gx, gw, gb};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.linear(e, e.input(0), e.input(1), e.inputTensor(2) == null ? null : e.input(2), e.inputTensor(0).dim());
        }
    }

    /**
     * {@code y_o = x1^T A_o x2 + b_o} ({@code F.bilinear}).
     *
     * @param input1 (*, in1), input2 (*, in2) with the same leading dims
     * @param weight (out, in1, in2); bias (out) or null
     */
    public static Tensor bilinear(Tensor input1, Tensor input2, Tensor weight, Tensor bias) {
        if (weight.dim() != 3) throw new IllegalArgumentException("bilinear: weight must be 3-D, got " + weight.shape());
        int out = weight.size(0);
        int in1 = weight.size(1);
        int in2 = weight.size(2);
        if (input1.size(-1) != in1 || input2.size(-1) != in2) {
            throw new IllegalArgumentException("bilinear: input1 shape " + input1.shape() + " and input2 shape "
                    + input2.shape() + " do not match weight shape " + weight.shape());
        }
        int[] lead = Arrays.copyOf(input1.shape().toArray(), input1.dim());
        lead[lead.length - 1] = out;
        Tensor a = input1.reshape(-1, in1);
        Tensor b = input2.reshape(-1, in2);
        // (N, in1) @ (in1, out*in2) -> (N, out, in2), then contract in2 with x2.
        Tensor w = weight.permute(1, 0, 2).reshape(in1, out * in2);
        Tensor y = a.matmul(w).reshape(-1, out, in2).mul(b.unsqueeze(1)).sum(2);
        if (bias != null) y = y.add(bias);
        return y.reshape(lead);
    }

    // ================================================================== activations

    /** {@code max(0, x)}. */
    public static Tensor relu(Tensor input) {
        return input.relu();
    }

    /** {@code x if x > 0 else negativeSlope * x}. */
    public static Tensor leakyRelu(Tensor input, double negativeSlope) {
        return Kindling.where(input.gt(0), input, input.mul(negativeSlope));
    }

    /** {@code leakyRelu(input, 0.01)}. */
    public static Tensor leakyRelu(Tensor input) {
        return leakyRelu(input, 0.01);
    }

    /** {@code x if x > 0 else alpha * (exp(x) - 1)}. */
    public static Tensor elu(Tensor input, double alpha) {
        // expm1 on min(x, 0) so that the unselected branch cannot overflow to inf (inf * 0 = NaN in backward).
        return Kindling.where(input.gt(0), input, input.clampMax(0).expm1().mul(alpha));
    }

    /** {@code elu(input, 1.0)}. */
    public static Tensor elu(Tensor input) {
        return elu(input, 1.0);
    }

    /** GELU; {@code approximate} is "none" (erf) or "tanh". */
    public static Tensor gelu(Tensor input, String approximate) {
        return input.gelu(approximate);
    }

    /** Exact (erf) GELU. */
    public static Tensor gelu(Tensor input) {
        return input.gelu();
    }

    /** {@code x * sigmoid(x)}. */
    public static Tensor silu(Tensor input) {
        return input.silu();
    }

    /** {@code 1 / (1 + exp(-x))}. */
    public static Tensor sigmoid(Tensor input) {
        return input.sigmoid();
    }

    /** Hyperbolic tangent. */
    public static Tensor tanh(Tensor input) {
        return input.tanh();
    }

    /** {@code exp(x) / sum(exp(x))} along {@code dim}. */
    public static Tensor softmax(Tensor input, int dim) {
        return input.softmax(dim);
    }

    /** {@code x - logsumexp(x)} along {@code dim} (stable). */
    public static Tensor logSoftmax(Tensor input, int dim) {
        return input.logSoftmax(dim);
    }

    /** {@code log(1 + exp(beta x)) / beta}, and {@code x} where {@code beta x > threshold}. */
    public static Tensor softplus(Tensor input, double beta, double threshold) {
        if (beta == 1 && threshold == 20) return input.softplus();
        // Tensor.softplus is itself linear above 20, so the unselected branch never overflows.
        Tensor bx = input.mul(beta);
        return Kindling.where(bx.gt(threshold), input, bx.softplus().div(beta));
    }

    /** {@code softplus(input, 1, 20)}. */
    public static Tensor softplus(Tensor input) {
        return input.softplus();
    }

    /** {@code clamp(x, minVal, maxVal)}. */
    public static Tensor hardtanh(Tensor input, double minVal, double maxVal) {
        if (maxVal < minVal) throw new IllegalArgumentException("hardtanh: max_val cannot be less than min_val");
        return input.clamp(minVal, maxVal);
    }

    /** {@code clamp(x, -1, 1)}. */
    public static Tensor hardtanh(Tensor input) {
        return hardtanh(input, -1, 1);
    }

    // ================================================================== dropout and embedding

    /**
     * Zeroes each element with probability {@code p} (drawn from the global {@code Generator}) and
     * scales the rest by {@code 1/(1-p)}; the identity when not {@code training}.
     */
    public static Tensor dropout(Tensor input, double p, boolean training) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        if (!training || p == 0) return input;
        if (p == 1) return input.mul(0.0);
        DType dt = input.isFloatingPoint() ? input.dtype() : DType.FLOAT32;
        double[] mask = new double[input.numel()];
        double scale = 1 / (1 - p);
        Generator g = Generator.global();
        synchronized (g) {
            for (int i = 0; i < mask.length; i++) mask[i] = g.nextDouble() < p ? 0 : scale;
        }
        return input.mul(Kindling.fromArray(mask, input.shape().toArray()).to(dt));
    }

    /**
     * Rows of {@code weight} at the int64 {@code input} indices: output shape
     * {@code input.shape + [embedding_dim]}. The row {@code paddingIdx} (negative counts from the
     * end; null for none) receives no gradient.
     */
    public static Tensor embedding(Tensor input, Tensor weight, Integer paddingIdx) {
        if (input.isFloatingPoint()) {
            throw new IllegalArgumentException("embedding: expected indices of an integer dtype, got " + input.dtype());
        }
        if (weight.dim() != 2) throw new IllegalArgumentException("embedding: weight must be 2-D, got " + weight.shape());
        int num = weight.size(0);
        int pad = -1;
        if (paddingIdx != null) {
            if (paddingIdx >= num || paddingIdx < -num) {
                throw new IllegalArgumentException("Padding_idx must be within num_embeddings, got " + paddingIdx);
            }
            pad = paddingIdx < 0 ? paddingIdx + num : paddingIdx;
        }
        for (long i : input.toLongArray()) {
            if (i < 0 || i >= num) throw new IndexOutOfBoundsException("embedding: index " + i + " is out of range for "
                    + num + " embeddings");
        }
        return new EmbeddingFn(pad).apply(weight, input);
    }

    /** Embedding lookup without a padding row. */
    public static Tensor embedding(Tensor input, Tensor weight) {
        return embedding(input, weight, null);
    }

    /** Fused gather whose backward is an index-add that skips the padding row. */
    private static final class EmbeddingFn extends Function implements Traceable {
        private final int pad;

        EmbeddingFn(int pad) {
            this.pad = pad;
        }

        @Override
        public String name() {
            return "EmbeddingBackward";
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor w = in[0];
            Tensor flat = in[1].reshape(-1).to(DType.INT64);
            ctx.saveForBackward(flat);
            ctx.put("shape", w.shape().toArray());
            int[] outShape = Arrays.copyOf(in[1].shape().toArray(), in[1].dim() + 1);
            outShape[outShape.length - 1] = w.size(1);
            return w.indexSelect(0, flat).reshape(outShape);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor flat = ctx.savedTensors()[0];
            int[] shape = ctx.get("shape");
            Tensor g2 = g.reshape(-1, shape[1]);
            if (pad >= 0) g2 = g2.mul(flat.ne(pad).unsqueeze(1).to(g.dtype()));
            Tensor gw = Kindling.zeros(shape, g.dtype()).indexPut(new Tensor[] {flat}, g2, true);
            return new Tensor[] {gw, null};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return e.op("Gather").in(e.input(0)).in(TraceOps.input(e, 1, DType.INT64)).attr("axis", 0).out();
        }
    }

    // ================================================================== normalization

    /**
     * Batch normalization over dim 1 of (N, C, *) input ({@code F.batch_norm}). In training the
     * batch statistics are used and, when the running tensors are given, updated in place:
     * {@code running = (1 - momentum) running + momentum batch} with the unbiased batch variance.
     * Otherwise the running statistics are used.
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        if (input.dim() < 2) {
            throw new IllegalArgumentException("batchNorm: expected at least 2-D input (N, C, *), got " + input.shape());
        }
        int c = input.size(1);
        int[] bshape = new int[input.dim()];
        Arrays.fill(bshape, 1);
        bshape[1] = c;
        Tensor mean;
        Tensor var;
        Tensor diff;
        if (training) {
            int n = input.numel() / c;
            if (n <= 1) {
                throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input size "
                        + input.shape());
            }
            if (FusedBatchNorm.applies(input, weight, bias)) {
                FusedBatchNorm fn = new FusedBatchNorm(eps);
                Tensor out = fn.apply(input, weight, bias);
                if (runningMean != null && runningVar != null) {
                    try (var g = GradMode.noGrad()) {
                        Tensor batchMean = Kindling.fromArray(fn.batchMean(), c).to(runningMean.dtype());
                        Tensor batchVar = Kindling.fromArray(fn.batchVar(), c).to(runningVar.dtype());
                        runningMean.mul_(1 - momentum).add_(batchMean.mul(momentum));
                        runningVar.mul_(1 - momentum).add_(batchVar.mul(momentum * n / (n - 1.0)));
                    }
                }
                return out;
            }
            int[] dims = new int[input.dim() - 1];
            dims[0] = 0;
            for (int i = 2; i < input.dim(); i++) dims[i - 1] = i;
            mean = input.mean(dims, true);
            diff = input.sub(mean);
            var = diff.mul(diff).mean(dims, true);
            if (runningMean != null && runningVar != null) {
                try (var g = GradMode.noGrad()) {
                    runningMean.mul_(1 - momentum).add_(mean.detach().reshape(c).mul(momentum));
                    runningVar.mul_(1 - momentum).add_(var.detach().reshape(c).mul(momentum * n / (n - 1.0)));
                }
            }
        } else {
            if (runningMean == null || runningVar == null) {
                throw new IllegalArgumentException("batchNorm: running_mean and running_var are needed when not training");
            }
            mean = runningMean.reshape(bshape);
            var = runningVar.reshape(bshape);
            diff = input.sub(mean);
        }
        Tensor out = diff.mul(var.add(eps).rsqrt());
        if (weight != null) out = out.mul(weight.reshape(bshape));
        if (bias != null) out = out.add(bias.reshape(bshape));
        return out;
    }

    /**
     * Normalizes over the trailing {@code normalizedShape} dims ({@code F.layer_norm}); weight and
     * bias (or null) have shape {@code normalizedShape}.
     */
    public static Tensor layerNorm(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        int k = normalizedShape.length;
        int[] shape = input.shape().toArray();
        boolean ok = k >= 1 && shape.length >= k
                && Arrays.equals(Arrays.copyOfRange(shape, shape.length - k, shape.length), normalizedShape);
        if (!ok) {
            throw new IllegalArgumentException("Given normalized_shape=" + Arrays.toString(normalizedShape)
                    + ", expected input with shape [*, " + Arrays.toString(normalizedShape).replaceAll("[\\[\\]]", "")
                    + "], but got input of size" + input.shape());
        }
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) dims[i] = shape.length - k + i;
        Tensor out = normalize(input, dims, eps);
        if (weight != null) out = out.mul(weight);
        if (bias != null) out = out.add(bias);
        return out;
    }

    /** {@code (x - mean) / sqrt(var + eps)} over {@code dims} with the biased variance. */
    private static Tensor normalize(Tensor x, int[] dims, double eps) {
        Tensor diff = x.sub(x.mean(dims, true));
        Tensor var = diff.mul(diff).mean(dims, true);
        return diff.mul(var.add(eps).rsqrt());
    }

    /** Group normalization of (N, C, *) input over groups of {@code C / numGroups} channels ({@code F.group_norm}). */
    public static Tensor groupNorm(Tensor input, int numGroups, Tensor weight, Tensor bias, double eps) {
        if (input.dim() < 2) throw new IllegalArgumentException("groupNorm: expected (N, C, *) input, got " + input.shape());
        int n = input.size(0);
        int c = input.size(1);
        if (numGroups <= 0 || c % numGroups != 0) {
            throw new IllegalArgumentException("Expected number of channels in input to be divisible by num_groups, "
                    + "but got input of shape " + input.shape() + " and num_groups=" + numGroups);
        }
        Tensor out = normalize(input.reshape(n, numGroups, -1), new int[] {2}, eps).reshape(input.shape().toArray());
        int[] bshape = new int[input.dim()];
        Arrays.fill(bshape, 1);
        bshape[1] = c;
        if (weight != null) out = out.mul(weight.reshape(bshape));
        if (bias != null) out = out.add(bias.reshape(bshape));
        return out;
    }

    // ================================================================== losses

    private static Tensor reduce(Tensor loss, Reduction reduction, String op) {
        return switch (reduction) {
            case NONE -> loss;
            case MEAN -> loss.mean();
            case SUM -> loss.sum();
            case BATCHMEAN -> throw new IllegalArgumentException(op + ": reduction batchmean is only valid for klDiv");
        };
    }

    /** Mean squared error {@code (x - y)^2}. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        Tensor d = input.sub(target);
        return reduce(d.mul(d), reduction, "mseLoss");
    }

    /** Mean reduction. */
    public static Tensor mseLoss(Tensor input, Tensor target) {
        return mseLoss(input, target, Reduction.MEAN);
    }

    /** Mean absolute error {@code |x - y|}. */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        return reduce(input.sub(target).abs(), reduction, "l1Loss");
    }

    /** Mean reduction. */
    public static Tensor l1Loss(Tensor input, Tensor target) {
        return l1Loss(input, target, Reduction.MEAN);
    }

    /** {@code 0.5 d^2 / beta} where {@code |d| < beta}, else {@code |d| - 0.5 beta}; beta = 0 is L1. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
        if (beta < 0) throw new IllegalArgumentException("smoothL1Loss: beta must be >= 0, got " + beta);
        if (beta == 0) return l1Loss(input, target, reduction);
        Tensor d = input.sub(target).abs();
        Tensor l = Kindling.where(d.lt(beta), d.mul(d).mul(0.5 / beta), d.sub(0.5 * beta));
        return reduce(l, reduction, "smoothL1Loss");
    }

    /** Mean reduction, beta = 1. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target) {
        return smoothL1Loss(input, target, Reduction.MEAN, 1.0);
    }

    /** {@code 0.5 d^2} where {@code |d| < delta}, else {@code delta (|d| - 0.5 delta)}. */
    public static Tensor huberLoss(Tensor input, Tensor target, Reduction reduction, double delta) {
        if (!(delta > 0)) throw new IllegalArgumentException("huberLoss: delta must be > 0, got " + delta);
        Tensor d = input.sub(target).abs();
        Tensor l = Kindling.where(d.lt(delta), d.mul(d).mul(0.5), d.sub(0.5 * delta).mul(delta));
        return reduce(l, reduction, "huberLoss");
    }

    /** Mean reduction, delta = 1. */
    public static Tensor huberLoss(Tensor input, Tensor target) {
        return huberLoss(input, target, Reduction.MEAN, 1.0);
    }

    /** Input (N, C, d1, ...) as (M, C) rows, class dim last; 1-D (C) as (1, C). */
    private static Tensor rows(Tensor input) {
        if (input.dim() == 1) return input.unsqueeze(0);
        if (input.dim() == 2) return input;
        int[] perm = new int[input.dim()];
        perm[0] = 0;
        for (int i = 2; i < input.dim(); i++) perm[i - 1] = i;
        perm[input.dim() - 1] = 1;
        return input.permute(perm).reshape(-1, input.size(1));
    }

    /** Target shape implied by input: (N, d1, ...), or () for 1-D input. */
    private static int[] batchShape(Tensor input) {
        int[] s = input.shape().toArray();
        if (s.length == 1) return new int[0];
        int[] out = new int[s.length - 1];
        out[0] = s[0];
        System.arraycopy(s, 2, out, 1, s.length - 2);
        return out;
    }

    private static void checkClassTarget(Tensor input, Tensor target, int c, long ignoreIndex, String op) {
        if (target.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected class-index target of an integer dtype, got " + target.dtype());
        }
        if (!Arrays.equals(batchShape(input), target.shape().toArray())) {
            throw new IllegalArgumentException(op + ": expected target of shape " + Arrays.toString(batchShape(input))
                    + " for input of shape " + input.shape() + ", got " + target.shape());
        }
        for (long t : target.toLongArray()) {
            if (t != ignoreIndex && (t < 0 || t >= c)) {
                throw new IndexOutOfBoundsException(op + ": Target " + t + " is out of bounds for " + c + " classes");
            }
        }
    }

    /**
     * Negative log-likelihood of class indices given log-probabilities ({@code F.nll_loss}).
     *
     * @param input       (N, C), (C) or (N, C, d1, ...) log-probabilities
     * @param target      int64 class indices of shape (N), () or (N, d1, ...)
     * @param weight      per-class weight (C) or null
     * @param ignoreIndex targets equal to it contribute nothing (and are left out of the mean)
     */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        int c = input.dim() == 1 ? input.size(0) : input.size(1);
        checkClassTarget(input, target, c, ignoreIndex, "nllLoss");
        return nll(rows(input), target, weight, ignoreIndex, reduction);
    }

    /** Mean reduction, no weight, ignoreIndex -100. */
    public static Tensor nllLoss(Tensor input, Tensor target) {
        return nllLoss(input, target, null, -100, Reduction.MEAN);
    }

    private static Tensor nll(Tensor logp, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        if (reduction == Reduction.BATCHMEAN) throw new IllegalArgumentException("nllLoss: invalid reduction batchmean");
        Tensor t = target.reshape(-1).to(DType.INT64);
        Tensor keep = t.ne(ignoreIndex);
        Tensor safe = t.mul(keep.to(DType.INT64));
        Tensor w = keep.to(logp.dtype());
        if (weight != null) w = w.mul(weight.to(logp.dtype()).indexSelect(0, safe));
        Tensor l = logp.gather(1, safe.unsqueeze(1)).squeeze(1).mul(w).neg();
        return switch (reduction) {
            case NONE -> l.reshape(target.shape().toArray());
            case SUM -> l.sum();
            default -> l.sum().div(w.sum());
        };
    }

    /**
     * Cross entropy between logits and targets ({@code F.cross_entropy}). A target of an integer
     * dtype holds class indices (weight, ignoreIndex and labelSmoothing apply); a floating target of
     * the input's shape holds class probabilities.
     *
     * @param input          (N, C), (C) or (N, C, d1, ...) unnormalized logits
     * @param weight         per-class weight (C) or null
     * @param ignoreIndex    class-index targets equal to it are skipped (PyTorch's default is -100)
     * @param labelSmoothing in [0, 1]: the target mixes {@code 1 - eps} of itself with a uniform {@code eps}
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex,
                                      Reduction reduction, double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0. Got: " + labelSmoothing);
        }
        if (reduction == Reduction.BATCHMEAN) throw new IllegalArgumentException("crossEntropy: invalid reduction batchmean");
        int classDim = input.dim() == 1 ? 0 : 1;
        int c = input.size(classDim);
        Tensor logp = rows(input.logSoftmax(classDim));
        Tensor wRow = weight == null ? null : weight.to(logp.dtype()).reshape(1, c);
        if (target.isFloatingPoint()) {
            if (!target.shape().equals(input.shape())) {
                throw new IllegalArgumentException("crossEntropy: probability target must have the input's shape "
                        + input.shape() + ", got " + target.shape());
            }
            Tensor p = rows(target.to(logp.dtype()));
            if (labelSmoothing > 0) p = p.mul(1 - labelSmoothing).add(labelSmoothing / c);
            Tensor prod = logp.mul(p);
            if (wRow != null) prod = prod.mul(wRow);
            Tensor l = prod.sum(1).neg();
            return switch (reduction) {
                case NONE -> l.reshape(batchShape(input));
                case SUM -> l.sum();
                default -> l.mean();
            };
        }
        checkClassTarget(input, target, c, ignoreIndex, "crossEntropy");
        Tensor nll = nll(logp, target, weight, ignoreIndex, reduction);
        if (labelSmoothing == 0) return nll;
        Tensor t = target.reshape(-1).to(DType.INT64);
        Tensor keep = t.ne(ignoreIndex).to(logp.dtype());
        Tensor smooth = (wRow == null ? logp : logp.mul(wRow)).sum(1).neg().mul(keep);
        Tensor ret = switch (reduction) {
            case NONE -> smooth.reshape(target.shape().toArray());
            case SUM -> smooth.sum();
            default -> {
                Tensor denom = weight == null ? keep.sum()
                        : weight.to(logp.dtype()).indexSelect(0, t.mul(t.ne(ignoreIndex).to(DType.INT64))).mul(keep).sum();
                yield smooth.sum().div(denom);
            }
        };
        return nll.mul(1 - labelSmoothing).add(ret.mul(labelSmoothing / c));
    }

    /** Mean cross entropy with PyTorch's defaults (no weight, ignoreIndex -100, no smoothing). */
    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return crossEntropy(input, target, null, -100, Reduction.MEAN, 0.0);
    }

    /**
     * Binary cross entropy of probabilities ({@code F.binary_cross_entropy}); the logs are clamped
     * to {@code >= -100} like PyTorch, so 0 and 1 give finite losses.
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        if (!target.shape().equals(input.shape())) {
            throw new IllegalArgumentException("Using a target size (" + target.shape() + ") that is different to the "
                    + "input size (" + input.shape() + ") is deprecated. Please ensure they have the same size.");
        }
        Tensor logX = input.log().clampMin(-100);
        Tensor log1mX = input.neg().add(1.0).log().clampMin(-100);
        Tensor l = target.mul(logX).add(target.neg().add(1.0).mul(log1mX)).neg();
        if (weight != null) l = l.mul(weight);
        return reduce(l, reduction, "binaryCrossEntropy");
    }

    /** Mean reduction, no weight. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
        return binaryCrossEntropy(input, target, null, Reduction.MEAN);
    }

    /**
     * Sigmoid plus binary cross entropy in one stable expression
     * ({@code F.binary_cross_entropy_with_logits}):
     * {@code (1 - t) x + (1 + (posWeight - 1) t) softplus(-x)}, times {@code weight}.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
                                                      Reduction reduction) {
        if (!target.shape().equals(input.shape())) {
            throw new IllegalArgumentException("Target size (" + target.shape() + ") must be the same as input size ("
                    + input.shape() + ")");
        }
        Tensor sp = input.neg().softplus(); // -log(sigmoid(x))
        if (posWeight != null) sp = sp.mul(posWeight.sub(1.0).mul(target).add(1.0));
        Tensor l = target.neg().add(1.0).mul(input).add(sp);
        if (weight != null) l = l.mul(weight);
        return reduce(l, reduction, "binaryCrossEntropyWithLogits");
    }

    /** Mean reduction, no weights. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return binaryCrossEntropyWithLogits(input, target, null, null, Reduction.MEAN);
    }

    /**
     * Kullback–Leibler divergence {@code t (log t - x)} with {@code input} as log-probabilities
     * ({@code F.kl_div}); {@code logTarget} says the target is given as log-probabilities too.
     * {@link Reduction#BATCHMEAN} divides the sum by the batch size (the mathematically correct KL).
     */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        Tensor l;
        if (logTarget) {
            l = target.exp().mul(target.sub(input));
        } else {
            // xlogy(t, t): 0 where t == 0 (t log t -> 0), without evaluating log(0) * 0.
            Tensor pos = target.gt(0);
            Tensor safe = Kindling.where(pos, target, Kindling.onesLike(target));
            l = target.mul(safe.log()).sub(target.mul(input));
        }
        if (reduction == Reduction.BATCHMEAN) {
            return input.dim() == 0 ? l.sum() : l.sum().div(input.size(0));
        }
        return reduce(l, reduction, "klDiv");
    }

    /** Mean reduction (PyTorch's default; use BATCHMEAN for the true KL), probability target. */
    public static Tensor klDiv(Tensor input, Tensor target) {
        return klDiv(input, target, Reduction.MEAN, false);
    }

    // ---- convolution, pooling, recurrent and attention (see ConvFunctions, ...)

    /** {@code F.conv1d}; see {@link org.kindling.nn.conv.ConvFunctions#conv1d}. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return org.kindling.nn.conv.ConvFunctions.conv1d(input, weight, bias, stride, padding, dilation, groups);
    }

    /** {@code F.conv2d}; see {@link org.kindling.nn.conv.ConvFunctions#conv2d}. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                                int groups) {
        return org.kindling.nn.conv.ConvFunctions.conv2d(input, weight, bias, stride, padding, dilation, groups);
    }

    /** {@code F.conv2d} with padding "same" or "valid". */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation,
                                int groups) {
        return org.kindling.nn.conv.ConvFunctions.conv2d(input, weight, bias, stride, padding, dilation, groups);
    }

    /** {@code F.conv_transpose2d}; see {@link org.kindling.nn.conv.ConvFunctions#convTranspose2d}. */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                         int[] outputPadding, int groups, int[] dilation) {
        return org.kindling.nn.conv.ConvFunctions.convTranspose2d(input, weight, bias, stride, padding, outputPadding,
                groups, dilation);
    }

    /** {@code F.max_pool1d}; see {@link org.kindling.nn.pooling.PoolFunctions#maxPool1d}. */
    public static Tensor maxPool1d(Tensor input, int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        return org.kindling.nn.pooling.PoolFunctions.maxPool1d(input, kernel, stride, padding, dilation, ceilMode);
    }

    /** {@code F.max_pool2d}; see {@link org.kindling.nn.pooling.PoolFunctions#maxPool2d}. */
    public static Tensor maxPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation,
                                   boolean ceilMode) {
        return org.kindling.nn.pooling.PoolFunctions.maxPool2d(input, kernel, stride, padding, dilation, ceilMode);
    }

    /** {@code F.avg_pool1d}; see {@link org.kindling.nn.pooling.PoolFunctions#avgPool1d}. */
    public static Tensor avgPool1d(Tensor input, int kernel, int stride, int padding, boolean ceilMode,
                                   boolean countIncludePad) {
        return org.kindling.nn.pooling.PoolFunctions.avgPool1d(input, kernel, stride, padding, ceilMode, countIncludePad);
    }

    /** {@code F.avg_pool2d}; see {@link org.kindling.nn.pooling.PoolFunctions#avgPool2d}. */
    public static Tensor avgPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad) {
        return org.kindling.nn.pooling.PoolFunctions.avgPool2d(input, kernel, stride, padding, ceilMode, countIncludePad);
    }

    /** {@code F.adaptive_avg_pool2d}; see {@link org.kindling.nn.pooling.PoolFunctions#adaptiveAvgPool2d}. */
    public static Tensor adaptiveAvgPool2d(Tensor input, int outH, int outW) {
        return org.kindling.nn.pooling.PoolFunctions.adaptiveAvgPool2d(input, outH, outW);
    }
}
