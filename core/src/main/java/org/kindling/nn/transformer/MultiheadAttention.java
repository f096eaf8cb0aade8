package org.kindling.nn.transformer;

import org.kindling.Kindling;
import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.nn.Parameter;
import org.kindling.nn.internal.Inits;
import org.kindling.nn.linear.Linear;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/**
 * Multi-head scaled dot-product attention ({@code nn.MultiheadAttention}):
 * {@code softmax(Q K^T / sqrt(headDim) + mask) V} per head, heads concatenated and projected.
 *
 * <p>Args: embedDim, numHeads (must divide embedDim), dropout on the attention weights (0,
 * training only), bias (true), batchFirst (false). Key and value dims equal embedDim.
 * Shape: query {@code [L, N, E]}, key/value {@code [S, N, E]} ({@code [N, L, E]} with batchFirst,
 * or unbatched {@code [L, E]}). {@code attnMask} is {@code [L, S]} or {@code [N*numHeads, L, S]},
 * bool (true = not allowed) or float (added to the scores); {@code keyPaddingMask} is {@code [N, S]},
 * bool (true = ignore that key) or float (added).
 * Attributes: {@code in_proj_weight [3E, E]} (xavier uniform), {@code in_proj_bias [3E]} (zeros),
 * {@code out_proj} a {@link Linear}(E, E) whose bias starts at zero.
 *
 * <pre>
 * MultiheadAttention mha = new MultiheadAttention(8, 2, 0.0, true, true);
 * Tensor x = Kindling.randn(2, 5, 8);
 * AttentionOutput r = mha.forward(x, x, x, null, true, null);
 * r.output();    // [2, 5, 8]
 * r.weights();   // [2, 5, 5], averaged over heads
 * </pre>
 */
public class MultiheadAttention extends Module {
    private final int embedDim;
    private final int numHeads;
    private final int headDim;
    private final double dropout;
    private final boolean batchFirst;
    private final Parameter inProjWeight;
    private final Parameter inProjBias;
    private final Linear outProj;

    public MultiheadAttention(int embedDim, int numHeads) {
        this(embedDim, numHeads, 0.0, true, false);
    }

    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, boolean batchFirst) {
        if (embedDim <= 0 || numHeads <= 0) {
            throw new IllegalArgumentException("MultiheadAttention: embedDim and numHeads must be positive, got "
                    + embedDim + " and " + numHeads);
        }
        if (embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embedDim must be divisible by numHeads, got "
                    + embedDim + " and " + numHeads);
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException("MultiheadAttention: dropout must be in [0, 1], got " + dropout);
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.headDim = embedDim / numHeads;
        this.dropout = dropout;
        this.batchFirst = batchFirst;
        inProjWeight = registerParameter("in_proj_weight", Inits.empty(3 * embedDim, embedDim));
        inProjBias = bias ? registerParameter("in_proj_bias", Inits.empty(3 * embedDim)) : null;
        outProj = register("out_proj", new Linear(embedDim, embedDim, bias));
        resetParameters();
    }

    /** PyTorch's _reset_parameters: xavier-uniform in_proj_weight, zero biases, out_proj.weight as Linear's. */
    public void resetParameters() {
        Inits.xavierUniform(inProjWeight, embedDim, 3 * embedDim);
        if (inProjBias != null) {
            Inits.zeros(inProjBias);
            Inits.zeros(outProj.bias);
        }
    }

    public int embedDim() {
        return embedDim;
    }

    public int numHeads() {
        return numHeads;
    }

    public Parameter inProjWeight() {
        return inProjWeight;
    }

    public Parameter inProjBias() {
        return inProjBias;
    }

    public Linear outProj() {
        return outProj;
    }

    /** Self-attention output only: {@code forward(x, x, x, null, false, null).output()}. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, x, x, null, false, null).output();
    }

    /** Attention with head-averaged weights. */
    public AttentionOutput forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights,
                                   Tensor attnMask) {
        return forward(query, key, value, keyPaddingMask, needWeights, attnMask, true);
    }

    /**
     * Attention; with {@code needWeights} the weights are returned averaged over heads
     * ({@code averageAttnWeights}) or per head.
     */
    public AttentionOutput forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights,
                                   Tensor attnMask, boolean averageAttnWeights) {
        boolean unbatched = query.dim() == 2;
        checkInput("query", query, unbatched);
        checkInput("key", key, unbatched);
        checkInput("value", value, unbatched);
        Tensor q = query, k = key, v = value;
        if (unbatched) {
            q = q.unsqueeze(1);
            k = k.unsqueeze(1);
            v = v.unsqueeze(1);
            if (keyPaddingMask != null) keyPaddingMask = keyPaddingMask.unsqueeze(0);
        } else if (batchFirst) {
            q = q.transpose(0, 1);
            k = k.transpose(0, 1);
            v = v.transpose(0, 1);
        }
        int l = q.size(0), n = q.size(1), s = k.size(0), e = embedDim;
        if (k.size(1) != n || v.size(1) != n || v.size(0) != s) {
            throw new IllegalArgumentException("MultiheadAttention: key " + key.shape() + " and value " + value.shape()
                    + " must have the same batch and sequence sizes, and match the query " + query.shape());
        }
        // input projections (one product when query, key and value are the same tensor)
        Tensor qp, kp, vp;
        if (query == key && key == value) {
            Tensor qkv = F.linear(q, inProjWeight, inProjBias);
            qp = qkv.narrow(2, 0, e);
            kp = qkv.narrow(2, e, e);
            vp = qkv.narrow(2, 2 * e, e);
        } else {
            qp = F.linear(q, inProjWeight.narrow(0, 0, e), inProjBias == null ? null : inProjBias.narrow(0, 0, e));
            kp = F.linear(k, inProjWeight.narrow(0, e, e), inProjBias == null ? null : inProjBias.narrow(0, e, e));
            vp = F.linear(v, inProjWeight.narrow(0, 2 * e, e), inProjBias == null ? null : inProjBias.narrow(0, 2 * e, e));
        }
        int bh = n * numHeads;
        Tensor qh = qp.reshape(l, bh, headDim).transpose(0, 1);   // [N*H, L, hd]
        Tensor kh = kp.reshape(s, bh, headDim).transpose(0, 1);   // [N*H, S, hd]
        Tensor vh = vp.reshape(s, bh, headDim).transpose(0, 1);
        Tensor mask = mergeMasks(attnMask, keyPaddingMask, l, s, n, q.dtype());
        Tensor scores = qh.mul(1.0 / Math.sqrt(headDim)).matmul(kh.transpose(1, 2));   // [N*H, L, S]
        if (mask != null) scores = scores.add(mask);
        Tensor attn = scores.softmax(-1);
        Tensor dropped = F.dropout(attn, dropout, isTraining() && dropout > 0);
        Tensor out = dropped.matmul(vh);                                         // [N*H, L, hd]
        out = out.transpose(0, 1).reshape(l, n, e);
        out = outProj.forward(out);
        Tensor weights = null;
        if (needWeights) {
            weights = dropped.reshape(n, numHeads, l, s);   // PyTorch returns the weights after dropout
            if (averageAttnWeights) weights = weights.mean(1);
            if (unbatched) weights = weights.squeeze(0);
        }
        if (unbatched) {
            out = out.squeeze(1);
        } else if (batchFirst) {
            out = out.transpose(0, 1);
        }
        return new AttentionOutput(out, weights);
    }

    private void checkInput(String what, Tensor t, boolean unbatched) {
        if (t.dim() != (unbatched ? 2 : 3) || t.size(t.dim() - 1) != embedDim) {
            String dims = batchFirst ? "[N, L, " : "[L, N, ";
            throw new IllegalArgumentException("MultiheadAttention: expected " + what + " with 3 dims " + dims
                    + embedDim + "] (or 2 unbatched), got " + t.shape());
        }
    }

    /** The additive float mask of shape [1 or N*H, L, S] from the attention and key-padding masks, or null. */
    private Tensor mergeMasks(Tensor attnMask, Tensor keyPaddingMask, int l, int s, int n, DType dtype) {
        Tensor mask = null;
        if (attnMask != null) {
            boolean ok = attnMask.dim() == 2 ? attnMask.size(0) == l && attnMask.size(1) == s
                    : attnMask.dim() == 3 && attnMask.size(0) == n * numHeads && attnMask.size(1) == l
                    && attnMask.size(2) == s;
            if (!ok) {
                throw new IllegalArgumentException("MultiheadAttention: expected attnMask of shape [" + l + ", " + s
                        + "] or [" + n * numHeads + ", " + l + ", " + s + "], got " + attnMask.shape());
            }
            mask = additive(attnMask, dtype);
            if (mask.dim() == 2) mask = mask.unsqueeze(0);
        }
        if (keyPaddingMask != null) {
            if (keyPaddingMask.dim() != 2 || keyPaddingMask.size(0) != n || keyPaddingMask.size(1) != s) {
                throw new IllegalArgumentException("MultiheadAttention: expected keyPaddingMask of shape [" + n + ", "
                        + s + "], got " + keyPaddingMask.shape());
            }
            Tensor kpm = additive(keyPaddingMask, dtype).reshape(n, 1, 1, s).expand(n, numHeads, 1, s)
                    .reshape(n * numHeads, 1, s);
            mask = mask == null ? kpm : mask.add(kpm);
        }
        return mask;
    }

    private static Tensor additive(Tensor m, DType dtype) {
        if (m.dtype() == DType.BOOL) {
            return Kindling.zeros(m.shape().toArray(), dtype).maskedFill(m, Double.NEGATIVE_INFINITY);
        }
        return m.dtype() == dtype ? m : m.to(dtype);
    }

    @Override
    public String extraRepr() {
        return "";
    }
}
