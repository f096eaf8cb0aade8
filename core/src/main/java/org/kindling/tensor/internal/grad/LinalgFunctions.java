package org.kindling.tensor.internal.grad;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Function;
import org.kindling.tensor.FunctionCtx;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.trace.TraceEmitter;
import org.kindling.tensor.internal.trace.TraceOps;
import org.kindling.tensor.internal.trace.Traceable;

/** Differentiable matrix products and einsum. */
public final class LinalgFunctions {
    private LinalgFunctions() {}

    private static int[] shape(Tensor t) {
        return t.shape().toArray();
    }

    private static Tensor as(Tensor t, DType d) {
        return t.dtype() == d ? t : t.to(d);
    }

    public static final class Mm extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            return in[0].mm(in[1]);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor[] s = ctx.savedTensors();
            return new Tensor[] {
                ctx.needsInputGrad(0) ? g.mm(s[1].t()) : null,
                ctx.needsInputGrad(1) ? s[0].t().mm(g) : null};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.binary(e, "MatMul");
        }
    }

    public static final class Bmm extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            return in[0].bmm(in[1]);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor[] s = ctx.savedTensors();
            return new Tensor[] {
                ctx.needsInputGrad(0) ? g.bmm(s[1].mT()) : null,
                ctx.needsInputGrad(1) ? s[0].mT().bmm(g) : null};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.binary(e, "MatMul");
        }
    }

    public static final class Mv extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            return in[0].mv(in[1]);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor[] s = ctx.savedTensors();
            return new Tensor[] {
                ctx.needsInputGrad(0) ? g.outer(s[1]) : null,
                ctx.needsInputGrad(1) ? s[0].t().mv(g) : null};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.binary(e, "MatMul");
        }
    }

    public static final class Dot extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            return in[0].dot(in[1]);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor[] s = ctx.savedTensors();
            return new Tensor[] {
                ctx.needsInputGrad(0) ? s[1].mul(g) : null,
                ctx.needsInputGrad(1) ? s[0].mul(g) : null};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.binary(e, "MatMul");
        }
    }

    /** outer(a, b) (dtypes may differ: the product promotes, the gradients are cast back). */
    public static final class Outer extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            return in[0].outer(in[1]);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor[] s = ctx.savedTensors();
            DType t = g.dtype();
            return new Tensor[] {
                ctx.needsInputGrad(0) ? as(g.mv(as(s[1], t)), s[0].dtype()) : null,
                ctx.needsInputGrad(1) ? as(g.t().mv(as(s[0], t)), s[1].dtype()) : null};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            org.kindling.tensor.DType t = e.output().dtype();
            V a = TraceOps.unsqueeze(e, TraceOps.input(e, 0, t), 1);
            V b = TraceOps.unsqueeze(e, TraceOps.input(e, 1, t), 0);
            return e.op("Mul").in(a).in(b).out();
        }
    }

    /** beta * input + alpha * (m1 @ m2), input broadcast. */
    public static final class Addmm extends Function implements Traceable {
        private final double beta;
        private final double alpha;

        public Addmm(double beta, double alpha) {
            this.beta = beta;
            this.alpha = alpha;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(ctx.needsInputGrad(2) ? in[1] : null, ctx.needsInputGrad(1) ? in[2] : null);
            ctx.put("shape", shape(in[0]));
            return in[0].addmm(in[1], in[2], beta, alpha);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor[] s = ctx.savedTensors();
            Tensor gi = null;
            Tensor g1 = null;
            Tensor g2 = null;
            if (ctx.needsInputGrad(0)) gi = Grads.sumToShape(beta == 1 ? g : g.mul(beta), ctx.get("shape"));
            if (ctx.needsInputGrad(1)) {
                g1 = g.mm(s[1].t());
                if (alpha != 1) g1 = g1.mul(alpha);
            }
            if (ctx.needsInputGrad(2)) {
                g2 = s[0].t().mm(g);
                if (alpha != 1) g2 = g2.mul(alpha);
            }
            return new Tensor[] {gi, g1, g2};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            org.kindling.tensor.DType t = e.output().dtype();
            return e.op("Gemm").in(TraceOps.input(e, 1, t)).in(TraceOps.input(e, 2, t)).in(TraceOps.input(e, 0, t))
                    .attr("alpha", alpha).attr("beta", beta).out();
        }
    }

    // ================================================================ einsum

    private static final int LETTERS = 52;

    private static int code(char c) {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        return -1;
    }

    private static char letter(int code) {
        return (char) (code < 26 ? 'A' + code : 'a' + code - 26);
    }

    private static String letters(int[] labels) {
        StringBuilder sb = new StringBuilder();
        for (int l : labels) sb.append(letter(l));
        return sb.toString();
    }

    /**
     * An einsum equation with the ellipsis replaced by letters the equation does not use and the
     * implicit output made explicit (ellipsis dims first, then the labels used once, in order).
     */
    static final class Equation {
        final int[][] inputs;
        final int[] output;

        Equation(int[][] inputs, int[] output) {
            this.inputs = inputs;
            this.output = output;
        }

        static Equation parse(String equation, int[] ranks) {
            String eq = equation.replaceAll("\\s", "");
            int arrow = eq.indexOf("->");
            String lhs = arrow < 0 ? eq : eq.substring(0, arrow);
            String rhs = arrow < 0 ? null : eq.substring(arrow + 2);
            String[] terms = lhs.split(",", -1);
            boolean[] used = new boolean[LETTERS];
            for (char c : eq.toCharArray()) {
                if (code(c) >= 0) used[code(c)] = true;
            }
            int maxEll = 0;
            for (int t = 0; t < terms.length; t++) {
                if (terms[t].contains("...")) {
                    int lettersIn = terms[t].replace("...", "").length();
                    maxEll = Math.max(maxEll, ranks[t] - lettersIn);
                }
            }
            int[] fresh = new int[maxEll];
            for (int e = 0, c = 0; e < maxEll; e++) {
                while (c < LETTERS && used[c]) c++;
                if (c == LETTERS) throw new IllegalArgumentException("einsum: too many dims for the gradient of \"" + equation + "\"");
                fresh[e] = c++;
            }
            int[][] inputs = new int[terms.length][];
            int[] count = new int[LETTERS];
            for (int t = 0; t < terms.length; t++) {
                List<Integer> ls = new ArrayList<>();
                String term = terms[t];
                int ell = term.indexOf("...");
                int k = ranks[t] - term.replace("...", "").length();
                for (int i = 0; i < term.length(); i++) {
                    if (i == ell) {
                        for (int e = 0; e < k; e++) ls.add(fresh[maxEll - k + e]);
                        i += 2;
                        continue;
                    }
                    int l = code(term.charAt(i));
                    ls.add(l);
                    count[l]++;
                }
                inputs[t] = ls.stream().mapToInt(Integer::intValue).toArray();
            }
            List<Integer> out = new ArrayList<>();
            if (rhs != null) {
                for (int i = 0; i < rhs.length(); i++) {
                    if (rhs.startsWith("...", i)) {
                        for (int f : fresh) out.add(f);
                        i += 2;
                    } else {
                        out.add(code(rhs.charAt(i)));
                    }
                }
            } else {
                for (int f : fresh) out.add(f);
                for (int l = 0; l < LETTERS; l++) if (count[l] == 1) out.add(l);
            }
            return new Equation(inputs, out.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    /**
     * einsum: the gradient of each operand is itself an einsum of the other operands and the
     * output gradient, followed by an expand over labels only that operand has, a diagonal
     * embedding for labels it repeats, and a sum over dims it broadcast from size 1.
     */
    public static final class Einsum extends Function implements Traceable {
        private final String equation;

        public Einsum(String equation) {
            this.equation = equation;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in);
            return Kindling.einsum(equation, in);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor[] ops = ctx.savedTensors();
            int n = ops.length;
            int[] ranks = new int[n];
            for (int i = 0; i < n; i++) ranks[i] = ops[i].dim();
            Equation eq = Equation.parse(equation, ranks);
            Tensor[] out = new Tensor[n];
            for (int i = 0; i < n; i++) {
                if (ctx.needsInputGrad(i)) out[i] = operandGrad(eq, ops, g, i);
            }
            return out;
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            TraceEmitter.NodeSpec<V> n = e.op("Einsum");
            for (int i = 0; i < e.inputCount(); i++) n.in(TraceOps.input(e, i, e.output().dtype()));
            return n.attr("equation", equation.replace(" ", "")).out();
        }

        private static Tensor operandGrad(Equation eq, Tensor[] ops, Tensor g, int i) {
            int[] li = eq.inputs[i];
            int[] si = shape(ops[i]);
            // Distinct labels of operand i in order of first occurrence, and which appear elsewhere.
            List<Integer> distinct = new ArrayList<>();
            for (int l : li) if (!distinct.contains(l)) distinct.add(l);
            boolean[] elsewhere = new boolean[LETTERS];
            for (int l : eq.output) elsewhere[l] = true;
            for (int j = 0; j < ops.length; j++) {
                if (j != i) for (int l : eq.inputs[j]) elsewhere[l] = true;
            }
            List<Integer> target = new ArrayList<>();
            for (int l : distinct) if (elsewhere[l]) target.add(l);

            StringBuilder sb = new StringBuilder();
            List<Tensor> args = new ArrayList<>();
            for (int j = 0; j < ops.length; j++) {
                if (j == i) continue;
                sb.append(letters(eq.inputs[j])).append(',');
                args.add(ops[j]);
            }
            sb.append(letters(eq.output)).append("->");
            for (int l : target) sb.append(letter(l));
            args.add(g);
            Tensor r = Kindling.einsum(sb.toString(), args.toArray(new Tensor[0]));

            // Size of each distinct label in operand i.
            int[] size = new int[LETTERS];
            for (int p = 0; p < li.length; p++) size[li[p]] = si[p];
            // Labels only operand i has: the gradient is the same across them.
            int[] dshape = new int[distinct.size()];
            int[] rshape = new int[distinct.size()];
            int[] rs = shape(r);
            for (int k = 0, t = 0; k < distinct.size(); k++) {
                int l = distinct.get(k);
                dshape[k] = size[l];
                rshape[k] = elsewhere[l] ? rs[t++] : 1;
            }
            r = r.reshape(rshape);
            r = fitTo(r, dshape);

            // Repeated labels: embed on the diagonal.
            if (distinct.size() != li.length) {
                int[] full = new int[li.length];
                boolean[] first = new boolean[li.length];
                List<Integer> seen = new ArrayList<>();
                for (int p = 0; p < li.length; p++) {
                    first[p] = !seen.contains(li[p]);
                    if (first[p]) seen.add(li[p]);
                    full[p] = first[p] ? si[p] : 1;
                }
                r = r.reshape(full);
                Tensor mask = null;
                for (int p = 0; p < li.length; p++) {
                    if (first[p]) continue;
                    int q = indexOfFirst(li, li[p]);
                    int m = si[p];
                    int[] sq = ones(li.length);
                    sq[q] = m;
                    int[] sp = ones(li.length);
                    sp[p] = m;
                    Tensor ar = Kindling.arange(m);
                    Tensor eye = ar.reshape(sq).eq(ar.reshape(sp));
                    mask = mask == null ? eye : mask.logicalAnd(eye);
                }
                r = r.mul(mask.to(r.dtype()));
            }
            r = fitTo(r, si);
            return as(r, ops[i].dtype());
        }

        private static int indexOfFirst(int[] a, int v) {
            for (int i = 0; i < a.length; i++) if (a[i] == v) return i;
            return -1;
        }

        private static int[] ones(int n) {
            int[] a = new int[n];
            Arrays.fill(a, 1);
            return a;
        }

        /** Sums dims the operand had as size 1 (broadcast) and expands dims the gradient has as size 1. */
        private static Tensor fitTo(Tensor r, int[] target) {
            int[] rs = shape(r);
            if (Arrays.equals(rs, target)) return r;
            List<Integer> sumDims = new ArrayList<>();
            for (int d = 0; d < rs.length; d++) if (target[d] == 1 && rs[d] != 1) sumDims.add(d);
            if (!sumDims.isEmpty()) r = r.sum(sumDims.stream().mapToInt(Integer::intValue).toArray(), true);
            return Arrays.equals(shape(r), target) ? r : r.expand(target);
        }
    }
}
