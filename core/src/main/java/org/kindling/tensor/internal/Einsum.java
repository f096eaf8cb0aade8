package org.kindling.tensor.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kindling.tensor.DType;
import org.kindling.tensor.Shape;

/**
 * {@code torch.einsum}: parses the equation, takes diagonals for repeated subscripts (views), sums
 * subscripts that are needed nowhere else as early as possible, and contracts the operands left to
 * right, each pair as one batched matrix product after permute + reshape.
 *
 * <p>Labels are ints: 'A'..'Z' are 0..25, 'a'..'z' 26..51, and the k-th broadcast ("...") dim is
 * 52 + k, counted so that the ellipsis dims of all operands align from the right.
 */
final class Einsum {
    private Einsum() {}

    private static final String OP = "einsum()";
    private static final int ELLIPSIS = -1;
    private static final int LETTERS = 52;

    /** An operand with one dim per distinct label. */
    private record Term(Buffer buf, int[] labels) {
        int indexOf(int label) {
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == label) return i;
            }
            return -1;
        }

        boolean has(int label) {
            return indexOf(label) >= 0;
        }
    }

    private static int code(char c) {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        return -2;
    }

    private static String name(int label) {
        if (label < 26) return String.valueOf((char) ('A' + label));
        if (label < LETTERS) return String.valueOf((char) ('a' + label - 26));
        return "... (broadcast dim " + (label - LETTERS) + ")";
    }

    static Buffer einsum(String equation, Buffer[] operands) {
        if (equation == null) throw new NullPointerException(OP + ": equation is null");
        if (operands == null || operands.length == 0) {
            throw new IllegalArgumentException(OP + ": must provide at least one operand");
        }

        // ------------------------------------------------------------ parse
        List<List<Integer>> inputs = new ArrayList<>();
        List<Integer> cur = new ArrayList<>();
        List<Integer> output = null;
        boolean inOutput = false;
        int pos = 0;
        int len = equation.length();
        while (pos < len) {
            char c = equation.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '.') {
                if (!equation.startsWith("...", pos)) {
                    throw new IllegalArgumentException(OP + ": found '.' at index " + pos + " of the equation \""
                            + equation + "\" that is not part of an ellipsis ('...')");
                }
                if (cur.contains(ELLIPSIS)) {
                    throw new IllegalArgumentException(OP + ": found more than one ellipsis ('...') in "
                            + (inOutput ? "the output" : "operand " + inputs.size()) + " of the equation \""
                            + equation + "\"");
                }
                cur.add(ELLIPSIS);
                pos += 3;
            } else if (c == ',') {
                if (inOutput) {
                    throw new IllegalArgumentException(OP + ": found ',' at index " + pos
                            + " in the output subscripts of the equation \"" + equation + "\"");
                }
                inputs.add(cur);
                cur = new ArrayList<>();
                pos++;
            } else if (c == '-') {
                if (inOutput || pos + 1 >= len || equation.charAt(pos + 1) != '>') {
                    throw new IllegalArgumentException(OP + ": invalid character '-' at index " + pos
                            + " of the equation \"" + equation + "\" (expected a single '->')");
                }
                inputs.add(cur);
                cur = new ArrayList<>();
                inOutput = true;
                pos += 2;
            } else if (code(c) >= 0) {
                cur.add(code(c));
                pos++;
            } else {
                throw new IllegalArgumentException(OP + ": invalid subscript '" + c + "' given at index " + pos
                        + " in the equation string \"" + equation + "\", subscripts must be in [a-zA-Z]");
            }
        }
        if (inOutput) {
            output = cur;
        } else {
            inputs.add(cur);
        }
        int nOps = operands.length;
        if (inputs.size() != nOps) {
            throw new IllegalArgumentException(OP + ": the equation \"" + equation + "\" specifies " + inputs.size()
                    + " operand" + (inputs.size() == 1 ? "" : "s") + " but " + nOps + " "
                    + (nOps == 1 ? "was" : "were") + " provided");
        }

        // ------------------------------------------------------------ per-operand labels, ellipsis dims
        int[] ellDims = new int[nOps];
        int maxEll = 0;
        for (int t = 0; t < nOps; t++) {
            List<Integer> term = inputs.get(t);
            int rank = operands[t].rank();
            boolean hasEll = term.contains(ELLIPSIS);
            int letters = term.size() - (hasEll ? 1 : 0);
            if (hasEll) {
                if (letters > rank) {
                    throw new IllegalArgumentException(OP + ": the number of subscripts in the equation (" + letters
                            + ") is more than the number of dimensions (" + rank + ") for operand " + t);
                }
                ellDims[t] = rank - letters;
                maxEll = Math.max(maxEll, ellDims[t]);
            } else if (letters != rank) {
                throw new IllegalArgumentException(OP + ": the number of subscripts in the equation (" + letters
                        + ") does not match the number of dimensions (" + rank + ") for operand " + t
                        + " and no ellipsis was given");
            }
        }
        int nLabels = LETTERS + maxEll;
        int[][] dimLabels = new int[nOps][];
        int[] count = new int[nLabels];
        for (int t = 0; t < nOps; t++) {
            int[] dl = new int[operands[t].rank()];
            int j = 0;
            for (int l : inputs.get(t)) {
                if (l == ELLIPSIS) {
                    for (int e = 0; e < ellDims[t]; e++) dl[j++] = LETTERS + maxEll - ellDims[t] + e;
                } else {
                    dl[j++] = l;
                    count[l]++;
                }
            }
            dimLabels[t] = dl;
        }

        // ------------------------------------------------------------ output labels
        int[] outLabels;
        if (output != null) {
            List<Integer> ol = new ArrayList<>();
            boolean[] seen = new boolean[nLabels];
            for (int l : output) {
                if (l == ELLIPSIS) {
                    for (int e = 0; e < maxEll; e++) ol.add(LETTERS + e);
                    continue;
                }
                if (count[l] == 0) {
                    throw new IllegalArgumentException(OP + ": output subscript " + name(l)
                            + " does not appear in the equation for any input operand");
                }
                if (seen[l]) {
                    throw new IllegalArgumentException(OP + ": output subscript " + name(l)
                            + " appears more than once in the output");
                }
                seen[l] = true;
                ol.add(l);
            }
            outLabels = ol.stream().mapToInt(Integer::intValue).toArray();
        } else {
            List<Integer> ol = new ArrayList<>();
            for (int e = 0; e < maxEll; e++) ol.add(LETTERS + e);
            for (int l = 0; l < LETTERS; l++) {
                if (count[l] == 1) ol.add(l);
            }
            outLabels = ol.stream().mapToInt(Integer::intValue).toArray();
        }
        boolean[] inOut = new boolean[nLabels];
        for (int l : outLabels) inOut[l] = true;

        // ------------------------------------------------------------ sizes, diagonals, dtype
        int[] size = new int[nLabels];
        int[] sizeFrom = new int[nLabels];
        Arrays.fill(size, -1);
        DType dt = operands[0].dtype();
        for (Buffer b : operands) dt = DType.promote(dt, b.dtype());
        Term[] terms = new Term[nOps];
        for (int t = 0; t < nOps; t++) {
            Buffer x = operands[t].dtype() == dt ? operands[t] : operands[t].castCopy(dt);
            int[] dl = dimLabels[t];
            List<Integer> distinct = new ArrayList<>();
            List<Integer> dSize = new ArrayList<>();
            List<Integer> dStride = new ArrayList<>();
            for (int d = 0; d < dl.length; d++) {
                int l = dl[d];
                int s = x.shape[d];
                int at = distinct.indexOf(l);
                if (at >= 0) {
                    if (dSize.get(at) != s) {
                        throw new IllegalArgumentException(OP + ": subscript " + name(l) + " is repeated for operand "
                                + t + " but the sizes don't match, " + dSize.get(at) + " != " + s);
                    }
                    dStride.set(at, dStride.get(at) + x.strides[d]);
                    continue;
                }
                distinct.add(l);
                dSize.add(s);
                dStride.add(x.strides[d]);
                if (size[l] == -1 || (size[l] == 1 && s != 1)) {
                    size[l] = s;
                    sizeFrom[l] = t;
                } else if (s != size[l] && s != 1) {
                    throw new IllegalArgumentException(OP + ": size mismatch for subscript " + name(l) + ": operand "
                            + sizeFrom[l] + " has size " + size[l] + " but operand " + t + " has size " + s
                            + " (operand shapes " + Arrays.toString(operands[sizeFrom[l]].shape) + " and "
                            + Arrays.toString(operands[t].shape) + ")");
                }
            }
            int[] labels = distinct.stream().mapToInt(Integer::intValue).toArray();
            int[] shape = dSize.stream().mapToInt(Integer::intValue).toArray();
            int[] strides = dStride.stream().mapToInt(Integer::intValue).toArray();
            terms[t] = new Term(new Buffer(x.storage, x.offset, shape, strides), labels);
        }

        // ------------------------------------------------------------ contract left to right
        // lastUse[l]: the last operand that has label l.
        int[] lastUse = new int[nLabels];
        Arrays.fill(lastUse, -1);
        for (int t = 0; t < nOps; t++) {
            for (int l : terms[t].labels) lastUse[l] = t;
        }
        Term acc = terms[0];
        for (int t = 1; t < nOps; t++) {
            Term rhs = terms[t];
            final int step = t;
            Term accF = acc;
            Term rhsF = rhs;
            // Labels needed after this step: in the output or in a later operand.
            acc = sumOut(accF, l -> !inOut[l] && lastUse[l] <= step && !rhsF.has(l));
            rhs = sumOut(rhsF, l -> !inOut[l] && lastUse[l] <= step && !accF.has(l));
            acc = contract(acc, rhs, l -> inOut[l] || lastUse[l] > step);
        }
        acc = sumOut(acc, l -> !inOut[l]);

        // ------------------------------------------------------------ output order
        int[] perm = new int[outLabels.length];
        for (int i = 0; i < outLabels.length; i++) perm[i] = acc.indexOf(outLabels[i]);
        return acc.buf.permute(perm, OP);
    }

    @FunctionalInterface
    private interface LabelTest {
        boolean test(int label);
    }

    /** Sums the dims whose labels pass the test. */
    private static Term sumOut(Term t, LabelTest drop) {
        int r = t.labels.length;
        int nDrop = 0;
        for (int l : t.labels) {
            if (drop.test(l)) nDrop++;
        }
        if (nDrop == 0) return t;
        int[] perm = new int[r];
        int[] keptLabels = new int[r - nDrop];
        int[] keptShape = new int[r - nDrop];
        int j = 0;
        for (int d = 0; d < r; d++) {
            if (!drop.test(t.labels[d])) {
                keptLabels[j] = t.labels[d];
                keptShape[j] = t.buf.shape[d];
                perm[j++] = d;
            }
        }
        int inner = 1;
        for (int d = 0; d < r; d++) {
            if (drop.test(t.labels[d])) {
                perm[j++] = d;
                inner *= t.buf.shape[d];
            }
        }
        Buffer p = t.buf.permute(perm, OP);
        int outer = Shape.numel(keptShape);
        Buffer summed;
        if (inner == 1) {
            summed = p.reshape(keptShape, OP);
        } else {
            // Row sums as a matrix-vector product against ones, so large sums use the GEMM kernels.
            Buffer m2 = p.reshape(new int[] {outer, inner}, OP);
            Buffer ones = Buffer.allocate(p.dtype(), new int[] {inner, 1});
            fillOnes(ones.storage);
            Buffer prod = LinalgOps.batchedMatmul(m2, ones);
            summed = new Buffer(prod.storage, 0, keptShape, Buffer.contiguousStrides(keptShape));
        }
        return new Term(summed, keptLabels);
    }

    private static void fillOnes(Storage s) {
        switch (s.dtype) {
            case FLOAT32 -> Arrays.fill(s.f32, 1f);
            case FLOAT64 -> Arrays.fill(s.f64, 1d);
            case INT64 -> Arrays.fill(s.i64, 1L);
            case INT32 -> Arrays.fill(s.i32, 1);
            case BOOL -> Arrays.fill(s.bool, (byte) 1);
        }
    }

    /**
     * Contracts two terms: labels in both and kept are batch dims, in both and not kept are summed,
     * the rest are kept on their own side (everything not kept and on one side only was summed already).
     * A shared label of size 1 on one side broadcasts against the other side.
     */
    private static Term contract(Term a, Term b, LabelTest keep) {
        List<Integer> batch = new ArrayList<>();
        List<Integer> sum = new ArrayList<>();
        List<Integer> left = new ArrayList<>();
        List<Integer> right = new ArrayList<>();
        for (int l : a.labels) {
            if (b.has(l)) {
                (keep.test(l) ? batch : sum).add(l);
            } else {
                left.add(l);
            }
        }
        for (int l : b.labels) {
            if (!a.has(l)) right.add(l);
        }
        Map<Integer, Integer> sz = new HashMap<>();
        for (int d = 0; d < a.labels.length; d++) sz.put(a.labels[d], a.buf.shape[d]);
        for (int d = 0; d < b.labels.length; d++) {
            int sb = b.buf.shape[d];
            sz.merge(b.labels[d], sb, (sa, s2) -> sa == 1 ? s2 : sa);
        }
        Buffer a3 = arrange(a, batch, left, sum, sz);
        Buffer b3 = arrange(b, batch, sum, right, sz);
        Buffer prod = LinalgOps.batchedMatmul(a3, b3);
        int n = batch.size() + left.size() + right.size();
        int[] labels = new int[n];
        int[] shape = new int[n];
        int j = 0;
        for (List<Integer> g : List.of(batch, left, right)) {
            for (int l : g) {
                labels[j] = l;
                shape[j++] = sz.get(l);
            }
        }
        return new Term(new Buffer(prod.storage, 0, shape, Buffer.contiguousStrides(shape)), labels);
    }

    /** Permutes t to [g0..., g1..., g2...] broadcast to the sizes in sz, reshaped to 3-D [|g0|, |g1|, |g2|]. */
    private static Buffer arrange(Term t, List<Integer> g0, List<Integer> g1, List<Integer> g2,
                                  Map<Integer, Integer> sz) {
        int r = t.labels.length;
        int[] perm = new int[r];
        int[] target = new int[r];
        int[] groups = new int[3];
        int j = 0;
        List<List<Integer>> gs = List.of(g0, g1, g2);
        for (int g = 0; g < 3; g++) {
            long prod = 1;
            for (int l : gs.get(g)) {
                perm[j] = t.indexOf(l);
                target[j] = sz.get(l);
                prod *= target[j];
                j++;
            }
            if (prod > Integer.MAX_VALUE) throw new IllegalArgumentException(OP + ": intermediate result is too large");
            groups[g] = (int) prod;
        }
        Buffer p = t.buf.permute(perm, OP).expandTo(target, OP);
        return p.reshape(groups, OP);
    }
}
