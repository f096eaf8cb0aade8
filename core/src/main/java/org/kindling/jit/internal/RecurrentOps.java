package org.kindling.jit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/**
 * ONNX LSTM (gates i, o, f, c), GRU (z, r, h) and RNN, forward / reverse / bidirectional, with
 * sequence_lens, initial states, peepholes, clip, custom activations and both layouts; composed of
 * differentiable tensor ops so an imported recurrent model also trains.
 */
final class RecurrentOps {

    private RecurrentOps() {}

    static void register(OpRegistry r) {
        r.op("LSTM", 7, ctx -> run(ctx, Kind.LSTM));
        r.op("GRU", 7, ctx -> run(ctx, Kind.GRU));
        r.op("RNN", 7, ctx -> run(ctx, Kind.RNN));
    }

    private enum Kind {
        LSTM(4, 3), GRU(3, 2), RNN(1, 1);
        final int gates;
        final int activations;

        Kind(int gates, int activations) {
            this.gates = gates;
            this.activations = activations;
        }
    }

    private static Tensor[] run(OpContext ctx, Kind kind) {
        Tensor x = ctx.input(0), w = ctx.input(1), rw = ctx.input(2);
        int layout = (int) ctx.attrInt("layout", 0);
        if (layout == 1) x = x.transpose(0, 1);
        int seq = x.size(0), batch = x.size(1);
        int hidden = (int) ctx.attrInt("hidden_size", rw.size(2));
        String direction = ctx.attrString("direction", "forward");
        int dirs = direction.equals("bidirectional") ? 2 : 1;
        Tensor b = ctx.optional(3);
        long[] lens = ctx.has(4) ? Ops.longs(ctx.input(4)) : null;
        Tensor h0 = ctx.optional(5);
        Tensor c0 = kind == Kind.LSTM ? ctx.optional(6) : null;
        Tensor peep = kind == Kind.LSTM ? ctx.optional(7) : null;
        if (layout == 1) {
            if (h0 != null) h0 = h0.transpose(0, 1);
            if (c0 != null) c0 = c0.transpose(0, 1);
        }
        List<UnaryOperator<Tensor>> acts = activations(ctx, kind, dirs);
        double clip = ctx.attrFloat("clip", Float.NaN);
        boolean linearBeforeReset = ctx.attrInt("linear_before_reset", 0) == 1;
        boolean inputForget = ctx.attrInt("input_forget", 0) == 1;

        List<Tensor> ys = new ArrayList<>(), hs = new ArrayList<>(), cs = new ArrayList<>();
        for (int d = 0; d < dirs; d++) {
            boolean reverse = direction.equals("reverse") || d == 1;
            Tensor wd = w.select(0, d), rd = rw.select(0, d);
            int g = kind.gates * hidden;
            Tensor wb = b == null ? null : b.select(0, d).narrow(0, 0, g);
            Tensor rb = b == null ? null : b.select(0, d).narrow(0, g, g);
            Tensor h = h0 != null ? h0.select(0, d) : Kindling.zeros(new int[] {batch, hidden}, x.dtype());
            Tensor c = c0 != null ? c0.select(0, d) : Kindling.zeros(new int[] {batch, hidden}, x.dtype());
            Tensor xw = x.matmul(wd.t());
            if (wb != null) xw = xw.add(wb);
            if (rb != null && !(kind == Kind.GRU)) xw = xw.add(rb);
            UnaryOperator<Tensor> f = acts.get(d * kind.activations);
            UnaryOperator<Tensor> gAct = kind.activations > 1 ? acts.get(d * kind.activations + 1) : null;
            UnaryOperator<Tensor> hAct = kind.activations > 2 ? acts.get(d * kind.activations + 2) : null;
            Tensor[] outs = new Tensor[seq];
            for (int step = 0; step < seq; step++) {
                int t = reverse ? seq - 1 - step : step;
                Tensor gatesX = xw.select(0, t);
                Tensor hNew, cNew = null;
                switch (kind) {
                    case LSTM -> {
                        Tensor gates = gatesX.add(h.matmul(rd.t()));
                        Tensor gi = gates.narrow(1, 0, hidden), go = gates.narrow(1, hidden, hidden);
                        Tensor gf = gates.narrow(1, 2 * hidden, hidden), gc = gates.narrow(1, 3 * hidden, hidden);
                        if (peep != null) {
                            Tensor p = peep.select(0, d);
                            gi = gi.add(c.mul(p.narrow(0, 0, hidden)));
                            gf = gf.add(c.mul(p.narrow(0, 2 * hidden, hidden)));
                        }
                        gi = f.apply(clip(gi, clip));
                        gf = inputForget ? gi.rsub(1.0) : f.apply(clip(gf, clip));
                        gc = gAct.apply(clip(gc, clip));
                        cNew = gf.mul(c).add(gi.mul(gc));
                        if (peep != null) go = go.add(cNew.mul(peep.select(0, d).narrow(0, hidden, hidden)));
                        go = f.apply(clip(go, clip));
                        hNew = go.mul(hAct.apply(cNew));
                    }
                    case GRU -> {
                        Tensor rz = rd.narrow(0, 0, hidden), rr = rd.narrow(0, hidden, hidden), rh = rd.narrow(0, 2 * hidden, hidden);
                        Tensor xz = gatesX.narrow(1, 0, hidden), xr = gatesX.narrow(1, hidden, hidden), xh = gatesX.narrow(1, 2 * hidden, hidden);
                        Tensor hz = h.matmul(rz.t()), hr = h.matmul(rr.t());
                        if (rb != null) {
                            hz = hz.add(rb.narrow(0, 0, hidden));
                            hr = hr.add(rb.narrow(0, hidden, hidden));
                        }
                        Tensor z = f.apply(clip(xz.add(hz), clip));
                        Tensor rg = f.apply(clip(xr.add(hr), clip));
                        Tensor rbh = rb == null ? null : rb.narrow(0, 2 * hidden, hidden);
                        Tensor cand;
                        if (linearBeforeReset) {
                            Tensor hh = h.matmul(rh.t());
                            if (rbh != null) hh = hh.add(rbh);
                            cand = xh.add(rg.mul(hh));
                        } else {
                            Tensor hh = rg.mul(h).matmul(rh.t());
                            if (rbh != null) hh = hh.add(rbh);
                            cand = xh.add(hh);
                        }
                        Tensor hc = gAct.apply(clip(cand, clip));
                        hNew = z.rsub(1.0).mul(hc).add(z.mul(h));
                    }
                    default -> hNew = f.apply(clip(gatesX.add(h.matmul(rd.t())), clip));
                }
                if (lens != null) {
                    Tensor valid = validMask(lens, t, x.dtype());
                    Tensor invalid = valid.rsub(1.0);
                    hNew = hNew.mul(valid).add(h.mul(invalid));
                    if (cNew != null) cNew = cNew.mul(valid).add(c.mul(invalid));
                    outs[t] = hNew.mul(valid);
                } else {
                    outs[t] = hNew;
                }
                h = hNew;
                if (cNew != null) c = cNew;
            }
            ys.add(seq == 0 ? Kindling.zeros(new int[] {0, batch, hidden}, x.dtype()) : Kindling.stack(List.of(outs), 0));
            hs.add(h);
            cs.add(c);
        }
        Tensor y = Kindling.stack(ys, 1);
        Tensor yh = Kindling.stack(hs, 0);
        Tensor yc = Kindling.stack(cs, 0);
        if (layout == 1) {
            y = y.permute(2, 0, 1, 3);
            yh = yh.transpose(0, 1);
            yc = yc.transpose(0, 1);
        }
        return kind == Kind.LSTM ? new Tensor[] {y, yh, yc} : new Tensor[] {y, yh};
    }

    private static Tensor validMask(long[] lens, int t, DType dtype) {
        double[] m = new double[lens.length];
        for (int i = 0; i < lens.length; i++) m[i] = t < lens[i] ? 1 : 0;
        return Kindling.fromArray(m, lens.length, 1).to(dtype);
    }

    private static Tensor clip(Tensor t, double clip) {
        return Double.isNaN(clip) ? t : t.clamp(-clip, clip);
    }

    private static List<UnaryOperator<Tensor>> activations(OpContext ctx, Kind kind, int dirs) {
        List<String> names = ctx.attrs().getStrings("activations", null);
        float[] alphas = ctx.attrs().getFloats("activation_alpha", new float[0]);
        float[] betas = ctx.attrs().getFloats("activation_beta", new float[0]);
        if (names == null) {
            List<String> defaults = switch (kind) {
                case LSTM -> List.of("Sigmoid", "Tanh", "Tanh");
                case GRU -> List.of("Sigmoid", "Tanh");
                case RNN -> List.of("Tanh");
            };
            names = new ArrayList<>();
            for (int d = 0; d < dirs; d++) names.addAll(defaults);
        }
        if (names.size() < kind.activations * dirs) {
            throw ctx.fail("activations lists " + names.size() + " functions; expected " + kind.activations * dirs);
        }
        List<UnaryOperator<Tensor>> out = new ArrayList<>();
        int ai = 0, bi = 0;
        for (String n : names) {
            switch (n.toLowerCase()) {
                case "sigmoid" -> out.add(Tensor::sigmoid);
                case "tanh" -> out.add(Tensor::tanh);
                case "relu" -> out.add(Tensor::relu);
                case "softsign" -> out.add(t -> t.div(t.abs().add(1.0)));
                case "softplus" -> out.add(t -> t.relu().add(t.abs().neg().exp().log1p()));
                case "leakyrelu" -> {
                    double a = ai < alphas.length ? alphas[ai++] : 0.01;
                    out.add(t -> ElementwiseOps.leaky(t, a));
                }
                case "thresholdedrelu" -> {
                    double a = ai < alphas.length ? alphas[ai++] : 1.0;
                    out.add(t -> t.where(t.gt(a), Kindling.zerosLike(t)));
                }
                case "elu" -> {
                    double a = ai < alphas.length ? alphas[ai++] : 1.0;
                    out.add(t -> ElementwiseOps.elu(t, a));
                }
                case "hardsigmoid" -> {
                    double a = ai < alphas.length ? alphas[ai++] : 0.2, b = bi < betas.length ? betas[bi++] : 0.5;
                    out.add(t -> t.mul(a).add(b).clamp(0, 1));
                }
                case "affine" -> {
                    double a = ai < alphas.length ? alphas[ai++] : 1.0, b = bi < betas.length ? betas[bi++] : 0.0;
                    out.add(t -> t.mul(a).add(b));
                }
                case "scaledtanh" -> {
                    double a = ai < alphas.length ? alphas[ai++] : 1.0, b = bi < betas.length ? betas[bi++] : 1.0;
                    out.add(t -> t.mul(b).tanh().mul(a));
                }
                default -> throw ctx.fail("activation '" + n + "' is not supported");
            }
        }
        return out;
    }
}
