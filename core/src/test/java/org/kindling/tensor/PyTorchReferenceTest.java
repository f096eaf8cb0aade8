package org.kindling.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.kindling.Kindling;

/**
 * Every case of {@code reference/tensor_ops.txt}, written by real PyTorch 1.13 through
 * {@code tools/reference/tensor_ops.py}, recomputed by Kindling: same shape, dtype and values.
 */
class PyTorchReferenceTest {

    private record Case(String name, String op, Map<String, String> params, List<Tensor> inputs,
                        List<Tensor> outputs) {
        String p(String key) {
            String v = params.get(key);
            if (v == null) throw new IllegalArgumentException(name + ": missing param " + key);
            return v;
        }

        int i(String key) {
            return Integer.parseInt(p(key));
        }

        boolean b(String key) {
            return Boolean.parseBoolean(p(key).toLowerCase());
        }

        double d(String key) {
            return Double.parseDouble(p(key));
        }

        int[] ints(String key) {
            String v = p(key);
            return v.isEmpty() ? new int[0] : Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
        }

        Tensor in(int k) {
            return inputs.get(k);
        }
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (String line : Reference.lines("tensor_ops.txt")) {
            String[] io = line.split(" -> ");
            String[] left = io[0].split(" \\| ", -1);
            Map<String, String> params = new HashMap<>();
            if (!left[2].isBlank()) {
                for (String kv : left[2].trim().split(";")) {
                    int eq = kv.indexOf('=');
                    params.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            List<Tensor> ins = new ArrayList<>();
            for (int k = 3; k < left.length; k++) ins.add(Reference.decode(left[k]));
            List<Tensor> outs = new ArrayList<>();
            for (String o : io[1].split(" \\| ")) outs.add(Reference.decode(o));
            out.add(new Case(left[0].trim(), left[1].trim(), params, ins, outs));
        }
        return out;
    }

    @Test
    void fixtureCoversEveryFamily() {
        List<Case> cs = cases();
        assertTrue(cs.size() > 200, "expected the full fixture, got " + cs.size() + " cases");
    }

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            List<Tensor> got = run(c);
            assertEquals(c.outputs().size(), got.size(), c.name() + ": number of outputs");
            for (int k = 0; k < got.size(); k++) {
                Reference.assertMatches(c.outputs().get(k), got.get(k), 2e-5, 2e-6, c.name() + " output " + k);
            }
        }));
    }

    private static int[] dimsOrNull(Case c) {
        int[] d = c.ints("dims");
        return d.length == 0 ? null : d;
    }

    private static List<Tensor> run(Case c) {
        Tensor a = c.in(0);
        Tensor b = c.inputs().size() > 1 ? c.in(1) : null;
        return switch (c.op()) {
            case "neg" -> List.of(a.neg());
            case "abs" -> List.of(a.abs());
            case "sign" -> List.of(a.sign());
            case "exp" -> List.of(a.exp());
            case "expm1" -> List.of(a.expm1());
            case "log" -> List.of(a.log());
            case "log1p" -> List.of(a.log1p());
            case "sqrt" -> List.of(a.sqrt());
            case "rsqrt" -> List.of(a.rsqrt());
            case "reciprocal" -> List.of(a.reciprocal());
            case "sin" -> List.of(a.sin());
            case "cos" -> List.of(a.cos());
            case "tanh" -> List.of(a.tanh());
            case "sigmoid" -> List.of(a.sigmoid());
            case "relu" -> List.of(a.relu());
            case "gelu" -> List.of(a.gelu());
            case "gelu_tanh" -> List.of(a.gelu("tanh"));
            case "silu" -> List.of(a.silu());
            case "softplus" -> List.of(a.softplus());
            case "floor" -> List.of(a.floor());
            case "ceil" -> List.of(a.ceil());
            case "round" -> List.of(a.round());
            case "square" -> List.of(a.square());
            case "isnan" -> List.of(a.isnan());
            case "isinf" -> List.of(a.isinf());
            case "logical_not" -> List.of(a.logicalNot());
            case "add" -> List.of(a.add(b));
            case "sub" -> List.of(a.sub(b));
            case "mul" -> List.of(a.mul(b));
            case "div" -> List.of(a.div(b));
            case "floor_divide" -> List.of(a.floorDivide(b));
            case "remainder" -> List.of(a.remainder(b));
            case "pow" -> List.of(a.pow(b));
            case "minimum" -> List.of(a.minimum(b));
            case "maximum" -> List.of(a.maximum(b));
            case "eq" -> List.of(a.eq(b));
            case "ne" -> List.of(a.ne(b));
            case "lt" -> List.of(a.lt(b));
            case "le" -> List.of(a.le(b));
            case "gt" -> List.of(a.gt(b));
            case "ge" -> List.of(a.ge(b));
            case "logical_and" -> List.of(a.logicalAnd(b));
            case "logical_or" -> List.of(a.logicalOr(b));
            case "logical_xor" -> List.of(a.logicalXor(b));
            case "clamp" -> List.of(a.clamp(c.d("min"), c.d("max")));
            case "where" -> List.of(Kindling.where(a, b, c.in(2)));
            case "sum" -> List.of(dimsOrNull(c) == null ? a.sum() : a.sum(c.ints("dims"), c.b("keepdim")));
            case "mean" -> List.of(dimsOrNull(c) == null ? a.mean() : a.mean(c.ints("dims"), c.b("keepdim")));
            case "prod" -> List.of(a.prod(c.ints("dims")[0], c.b("keepdim")));
            case "amax" -> List.of(dimsOrNull(c) == null ? a.max() : a.amax(c.ints("dims"), c.b("keepdim")));
            case "amin" -> List.of(dimsOrNull(c) == null ? a.min() : a.amin(c.ints("dims"), c.b("keepdim")));
            case "logsumexp" -> List.of(a.logsumexp(dimsOrNull(c) == null ? new int[] {0, 1, 2} : c.ints("dims"),
                    c.b("keepdim")));
            case "var" -> List.of(a.var(dimsOrNull(c), c.d("correction"), c.b("keepdim")));
            case "std" -> List.of(a.std(dimsOrNull(c), c.d("correction"), c.b("keepdim")));
            case "norm" -> List.of(a.norm(c.p("p").equals("inf") ? Double.POSITIVE_INFINITY : c.d("p"),
                    dimsOrNull(c), c.b("keepdim")));
            case "max_dim" -> {
                Tensor.ValuesIndices r = a.max(c.i("dim"), c.b("keepdim"));
                yield List.of(r.values(), r.indices());
            }
            case "min_dim" -> {
                Tensor.ValuesIndices r = a.min(c.i("dim"), c.b("keepdim"));
                yield List.of(r.values(), r.indices());
            }
            case "argmax" -> List.of(c.p("dim").isEmpty() ? a.argmax() : a.argmax(c.i("dim")));
            case "cumsum" -> List.of(a.cumsum(c.i("dim")));
            case "cumprod" -> List.of(a.cumprod(c.i("dim")));
            case "softmax" -> List.of(a.softmax(c.i("dim")));
            case "log_softmax" -> List.of(a.logSoftmax(c.i("dim")));
            case "all" -> List.of(a.all(c.ints("dims")[0], c.b("keepdim")));
            case "any" -> List.of(a.any(c.ints("dims")[0], c.b("keepdim")));
            case "sort" -> {
                Tensor.ValuesIndices r = a.sort(c.i("dim"), c.b("descending"));
                yield List.of(r.values(), r.indices());
            }
            case "topk" -> {
                Tensor.ValuesIndices r = a.topk(c.i("k"), c.i("dim"), c.b("largest"));
                yield List.of(r.values(), r.indices());
            }
            case "matmul" -> List.of(a.matmul(b));
            case "addmm" -> List.of(a.addmm(b, c.in(2), c.d("beta"), c.d("alpha")));
            case "einsum" -> List.of(Kindling.einsum(c.p("eq"), c.inputs().toArray(new Tensor[0])));
            case "flip" -> List.of(a.flip(c.ints("dims")));
            case "roll" -> List.of(a.roll(c.ints("shifts"), c.ints("dims")));
            case "tril" -> List.of(a.tril(c.i("k")));
            case "triu" -> List.of(a.triu(c.i("k")));
            case "pad" -> List.of(a.pad(c.ints("pad"), c.p("mode"), c.d("value")));
            case "repeat" -> List.of(a.repeat(c.ints("reps")));
            case "tile" -> List.of(a.tile(c.ints("reps")));
            case "cat" -> List.of(Kindling.cat(List.of(a, b), c.i("dim")));
            case "stack" -> List.of(Kindling.stack(List.of(a, b), c.i("dim")));
            case "gather" -> List.of(a.gather(c.i("dim"), b));
            case "index_select" -> List.of(a.indexSelect(c.i("dim"), b));
            case "scatter" -> List.of(a.scatter(c.i("dim"), b, c.in(2)));
            case "scatter_add" -> List.of(a.scatterAdd(c.i("dim"), b, c.in(2)));
            case "masked_select" -> List.of(a.maskedSelect(b));
            case "masked_fill" -> List.of(a.maskedFill(b, c.d("value")));
            case "take" -> List.of(a.take(b));
            case "nonzero" -> List.of(a.nonzero());
            case "index" -> {
                String[] pattern = c.p("pattern").split(",");
                Tensor[] idx = new Tensor[pattern.length];
                int k = 1;
                for (int j = 0; j < pattern.length; j++) idx[j] = pattern[j].equals("_") ? null : c.in(k++);
                yield List.of(a.index(idx));
            }
            case "index_put" -> List.of(a.indexPut(new Tensor[] {b}, c.in(2), c.b("accumulate")));
            default -> throw new IllegalArgumentException("no dispatch for op " + c.op() + " (case " + c.name() + ")");
        };
    }
}
