package org.kindling.jit.internal;

import static org.kindling.jit.internal.Ops.one;

import java.util.List;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/** Attention (opset 23: GQA, KV cache, causal/bool/additive masks, softcap), RotaryEmbedding, and the two losses. */
final class AttentionOps {

    private AttentionOps() {}

    static void register(OpRegistry r) {
        r.op("Attention", 23, AttentionOps::attention);
        r.op("RotaryEmbedding", 23, ctx -> one(rotary(ctx)));
        r.op("LinearAttention", 27, AttentionOps::linearAttention);
        r.op("CausalConvWithState", 27, ctx -> {
            Tensor x = ctx.input(0), w = ctx.input(1), b = ctx.optional(2), past = ctx.optional(3);
            int channels = x.size(1), k = w.size(2);
            Tensor pad = past != null ? past : Kindling.zeros(new int[] {x.size(0), channels, k - 1}, x.dtype());
            Tensor padded = k > 1 ? Kindling.cat(List.of(pad, x), 2) : x;
            Tensor y = org.kindling.nn.F.conv1d(padded, w, b, 1, 0, 1, channels);
            String act = ctx.attrString("activation", "none");
            if (act.equals("silu") || act.equals("swish")) y = y.mul(y.sigmoid());
            else if (!act.equals("none")) throw ctx.fail("activation '" + act + "' is not one of none, silu, swish");
            Tensor present = padded.narrow(2, padded.size(2) - (k - 1), k - 1);
            return new Tensor[] {y, present};
        });
        r.op("NegativeLogLikelihoodLoss", 12, ctx -> one(nll(ctx, ctx.input(0), ctx.input(1), ctx.optional(2))));
        r.op("SoftmaxCrossEntropyLoss", 12, ctx -> {
            Tensor logp = ctx.input(0).logSoftmax(1);
            return new Tensor[] {nll(ctx, logp, ctx.input(1), ctx.optional(2)), logp};
        });
    }

    /** Per-element -x[n, t, ...] with ignored targets weighted 0, reduced as the reference runner does. */
    private static Tensor nll(OpContext ctx, Tensor x, Tensor target, Tensor weight) {
        String reduction = ctx.attrString("reduction", "mean");
        boolean hasIgnore = ctx.attrs().has("ignore_index");
        long ignore = ctx.attrInt("ignore_index", Long.MIN_VALUE);
        int classes = x.size(1);
        Tensor t = target.to(DType.INT64);
        Tensor ignored = hasIgnore ? t.eq((double) ignore) : Kindling.zeros(Ops.shape(t), DType.BOOL);
        Tensor safe = t.where(ignored.logicalNot(), Kindling.zerosLike(t)).clamp(0, classes - 1);
        Tensor picked = x.gather(1, safe.unsqueeze(1)).squeeze(1).neg();
        Tensor keep = ignored.logicalNot().to(x.dtype());
        Tensor w = weight == null ? keep : weight.indexSelect(0, safe.reshape(-1)).reshape(Ops.shape(t)).mul(keep);
        Tensor loss = picked.mul(w);
        return switch (reduction) {
            case "none" -> loss;
            case "sum" -> loss.sum();
            case "mean" -> weight != null || hasIgnore ? loss.sum().div(w.sum()) : loss.mean();
            default -> throw ctx.fail("reduction '" + reduction + "' is not one of none, sum, mean");
        };
    }

    /** Recurrent linear attention (linear, gated, delta, gated_delta update rules) as in the ONNX reference. */
    private static Tensor[] linearAttention(OpContext ctx) {
        Tensor query = ctx.input(0), key = ctx.input(1), value = ctx.input(2);
        Tensor past = ctx.optional(3), decay = ctx.optional(4), beta = ctx.optional(5);
        String rule = ctx.attrString("update_rule", "gated_delta");
        int qh = (int) ctx.attrInt("q_num_heads", 0), kvh = (int) ctx.attrInt("kv_num_heads", 0);
        if (qh <= 0 || kvh <= 0 || qh % kvh != 0) throw ctx.fail("q_num_heads " + qh + " must be a positive multiple of kv_num_heads " + kvh);
        boolean gating = rule.equals("gated") || rule.equals("gated_delta");
        boolean delta = rule.equals("delta") || rule.equals("gated_delta");
        if (gating != (decay != null)) throw ctx.fail("update_rule '" + rule + (gating ? "' requires" : "' forbids") + " the decay input");
        if (delta != (beta != null)) throw ctx.fail("update_rule '" + rule + (delta ? "' requires" : "' forbids") + " the beta input");
        int b = query.size(0), t = query.size(1);
        int dk = query.size(2) / qh, dv = value.size(2) / kvh, group = qh / kvh;
        Tensor q4 = heads(query, qh), k4 = heads(key, kvh), v4 = heads(value, kvh);
        Tensor decay4 = null, beta4 = null;
        if (decay != null) {
            decay4 = decay.size(2) == kvh ? decay.reshape(b, t, kvh, 1).transpose(1, 2) : heads(decay, kvh);
        }
        if (beta != null) beta4 = beta.reshape(b, t, beta.size(2), 1).transpose(1, 2);
        Tensor state = past != null ? past : Kindling.zeros(new int[] {b, kvh, dk, dv}, query.dtype());
        double scaleAttr = ctx.attrFloat("scale", 0f);
        double scale = scaleAttr == 0 ? 1 / Math.sqrt(dk) : scaleAttr;
        Tensor[] outs = new Tensor[t];
        for (int i = 0; i < t; i++) {
            Tensor qt = q4.select(2, i), kt = k4.select(2, i), vt = v4.select(2, i);
            if (gating) state = state.mul(decay4.select(2, i).exp().unsqueeze(3));
            if (delta) {
                Tensor retrieved = kt.unsqueeze(2).matmul(state).squeeze(2);
                vt = beta4.select(2, i).mul(vt.sub(retrieved));
            }
            state = state.add(kt.unsqueeze(3).mul(vt.unsqueeze(2)));
            Tensor read = group == 1 ? state : repeatHeads(state, group);
            outs[i] = qt.unsqueeze(2).matmul(read).squeeze(2).mul(scale);
        }
        Tensor y = Kindling.stack(List.of(outs), 2).transpose(1, 2).reshape(b, t, qh * dv);
        return new Tensor[] {y, state};
    }

    private static Tensor[] attention(OpContext ctx) {
        Tensor q = ctx.input(0), k = ctx.input(1), v = ctx.input(2);
        Tensor mask = ctx.optional(3), pastK = ctx.optional(4), pastV = ctx.optional(5);
        Tensor nonpad = ctx.optional(6);
        boolean threeD = q.dim() == 3;
        int batch = q.size(0);
        if (threeD) {
            int qh = (int) ctx.attrInt("q_num_heads", 0), kvh = (int) ctx.attrInt("kv_num_heads", 0);
            if (qh <= 0 || kvh <= 0) throw ctx.fail("3-D inputs need q_num_heads and kv_num_heads");
            q = heads(q, qh);
            k = heads(k, kvh);
            v = heads(v, kvh);
        }
        double scale = ctx.attrs().has("scale") ? ctx.attrFloat("scale", 1f) : 1 / Math.sqrt(q.size(3));
        float rootScale = (float) Math.sqrt(scale);
        Tensor presentK = pastK != null ? Kindling.cat(List.of(pastK, k), 2) : k;
        Tensor presentV = pastV != null ? Kindling.cat(List.of(pastV, v), 2) : v;
        k = presentK;
        v = presentV;
        int qLen = q.size(2), kvLen = k.size(2);
        DType dt = q.dtype();
        Tensor bias = Kindling.zeros(new int[] {qLen, kvLen}, dt);
        if (mask != null) {
            int padWidth = kvLen - mask.size(mask.dim() - 1);
            if (mask.dtype() == DType.BOOL) {
                mask = Kindling.zeros(Ops.shape(mask), dt).where(mask, Kindling.full(Ops.shape(mask), Double.NEGATIVE_INFINITY, dt));
            }
            if (padWidth > 0) mask = mask.pad(new int[] {0, padWidth}, "constant", Double.NEGATIVE_INFINITY);
        }
        long left = ctx.attrInt("left_window_size", -1), right = ctx.attrInt("right_window_size", -1);
        Tensor offset = null;
        long scalarOffset = pastK != null ? pastK.size(2) : 0;
        if (pastK == null && nonpad != null) offset = nonpad.to(DType.INT64).reshape(-1).sub((long) qLen);
        if (ctx.attrInt("is_causal", 0) == 1) {
            Tensor base = mask == null ? bias : mask;
            bias = base.add(frontier(qLen, kvLen, offset, scalarOffset, dt, (diff) -> diff.ge(0.0)));
        } else if (mask != null) {
            bias = bias.add(mask);
        }
        if (left >= 0 || right >= 0) {
            bias = bias.add(frontier(qLen, kvLen, offset, scalarOffset, dt, diff -> {
                Tensor ok = Kindling.onesLike(diff).to(DType.BOOL);
                if (left >= 0) ok = ok.logicalAnd(diff.le((double) left));
                if (right >= 0) ok = ok.logicalAnd(diff.neg().le((double) right));
                return ok;
            }));
        }
        if (nonpad != null) {
            Tensor positions = Kindling.arange(kvLen).reshape(1, kvLen);
            Tensor valid = positions.lt(nonpad.to(DType.INT64).reshape(-1, 1)).reshape(batch, 1, 1, kvLen);
            bias = bias.add(Kindling.zeros(Ops.shape(valid), dt).where(valid, Kindling.full(Ops.shape(valid), Double.NEGATIVE_INFINITY, dt)));
        }
        int qHeads = q.size(1), kHeads = k.size(1);
        if (qHeads != kHeads && qHeads % kHeads == 0) {
            int reps = qHeads / kHeads;
            k = repeatHeads(k, reps);
            v = repeatHeads(v, reps);
        }
        Tensor scores = q.mul((double) rootScale).matmul(k.transpose(2, 3).mul((double) rootScale));
        float softcap = ctx.attrFloat("softcap", 0f);
        if (softcap > 0) scores = scores.div((double) softcap).tanh().mul((double) softcap);
        long mode = ctx.attrInt("qk_matmul_output_mode", 0);
        Tensor qkOut = scores;
        Tensor withBias = scores.add(bias);
        if (mode == 2) qkOut = withBias;
        Tensor maxBias = bias.amax(new int[] {bias.dim() - 1}, true);
        Tensor rowMasked = maxBias.isinf().logicalAnd(maxBias.lt(0.0));
        Tensor safe = withBias.where(rowMasked.logicalNot(), Kindling.zerosLike(withBias));
        Tensor probs = safe.softmax(-1 + safe.dim());
        probs = probs.where(rowMasked.logicalNot(), Kindling.zerosLike(probs));
        if (mode == 3) qkOut = probs;
        Tensor y = probs.matmul(v);
        if (threeD) y = y.transpose(1, 2).reshape(batch, y.size(2), -1);
        return new Tensor[] {y, presentK, presentV, qkOut};
    }

    private interface Allowed {
        Tensor test(Tensor diff);
    }

    /** 0 where {@code allowed(i + offset - j)}, -inf elsewhere; per-batch [B,1,q,kv] when offset is a tensor. */
    private static Tensor frontier(int qLen, int kvLen, Tensor offset, long scalarOffset, DType dt, Allowed allowed) {
        Tensor i = Kindling.arange(qLen).reshape(qLen, 1);
        Tensor j = Kindling.arange(kvLen).reshape(1, kvLen);
        Tensor diff = offset == null ? i.add(scalarOffset).sub(j) : i.reshape(1, qLen, 1).add(offset.reshape(-1, 1, 1)).sub(j.reshape(1, 1, kvLen));
        Tensor ok = allowed.test(diff);
        Tensor out = Kindling.zeros(Ops.shape(ok), dt).where(ok, Kindling.full(Ops.shape(ok), Double.NEGATIVE_INFINITY, dt));
        return offset == null ? out : out.reshape(out.size(0), 1, qLen, kvLen);
    }

    private static Tensor heads(Tensor x, int heads) {
        int b = x.size(0), s = x.size(1);
        return x.reshape(b, s, heads, x.size(2) / heads).transpose(1, 2);
    }

    private static Tensor repeatHeads(Tensor x, int reps) {
        int b = x.size(0), h = x.size(1), s = x.size(2), d = x.size(3);
        return x.unsqueeze(2).expand(b, h, reps, s, d).reshape(b, h * reps, s, d);
    }

    private static Tensor rotary(OpContext ctx) {
        Tensor x = ctx.input(0), cos = ctx.input(1), sin = ctx.input(2);
        Tensor positions = ctx.optional(3);
        int[] original = Ops.shape(x);
        boolean fourD = x.dim() == 4;
        if (fourD) x = x.transpose(1, 2);
        int b = x.size(0), s = x.size(1);
        if (x.dim() == 3) {
            int heads = (int) ctx.attrInt("num_heads", 0);
            if (heads <= 0) throw ctx.fail("3-D input needs num_heads");
            x = x.reshape(b, s, heads, x.size(2) / heads);
        }
        int head = x.size(3);
        int rot = (int) ctx.attrInt("rotary_embedding_dim", 0);
        if (rot == 0) rot = head;
        Tensor xr = x.narrow(3, 0, rot), keep = x.narrow(3, rot, head - rot);
        if (positions != null) {
            cos = IndexingOps.gather(cos, 0, positions);
            sin = IndexingOps.gather(sin, 0, positions);
        }
        if (cos.size(cos.dim() - 1) != rot / 2) throw ctx.fail("cos_cache's last dim " + cos.size(cos.dim() - 1) + " is not rotary_embedding_dim/2 = " + rot / 2);
        cos = cos.unsqueeze(2);
        sin = sin.unsqueeze(2);
        boolean interleaved = ctx.attrInt("interleaved", 0) == 1;
        Tensor x1, x2;
        if (interleaved) {
            x1 = xr.slice(3, 0, rot, 2);
            x2 = xr.slice(3, 1, rot, 2);
        } else {
            x1 = xr.narrow(3, 0, rot / 2);
            x2 = xr.narrow(3, rot / 2, rot / 2);
        }
        Tensor real = cos.mul(x1).sub(sin.mul(x2));
        Tensor imag = sin.mul(x1).add(cos.mul(x2));
        Tensor rotated = interleaved
                ? Kindling.stack(List.of(real, imag), 4).reshape(Ops.shape(xr))
                : Kindling.cat(List.of(real, imag), 3);
        Tensor out = Kindling.cat(List.of(rotated, keep), 3);
        return fourD ? out.transpose(1, 2).contiguous() : out.reshape(original);
    }
}
