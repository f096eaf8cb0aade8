package org.kindling.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/**
 * Gradients compared with PyTorch 1.13's, from {@code reference/grad_ops.txt} (written by
 * {@code tools/reference/grad_ops.py}). Each case runs the op on the recorded inputs, calls
 * backward with the recorded output gradient, and compares every float64 input's gradient.
 */
class PyTorchReferenceGradTest {

    private record Case(String name, String op, Map<String, String> params, List<Tensor> inputs, Tensor gradOut,
                        List<Tensor> grads) {}

    private static List<Case> cases() {
        String text;
        try (InputStream in = PyTorchReferenceGradTest.class.getResourceAsStream("/reference/grad_ops.txt")) {
            assertNotNull(in, "missing test resource /reference/grad_ops.txt");
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<Case> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] io = line.split(" -> ");
            String[] left = io[0].split(" \\| ", -1);
            Map<String, String> params = new HashMap<>();
            for (String kv : left[2].trim().split(";")) {
                if (kv.isEmpty()) continue;
                String[] p = kv.split("=", 2);
                params.put(p[0], p[1]);
            }
            List<Tensor> ins = new ArrayList<>();
            for (int k = 3; k < left.length - 1; k++) ins.add(decode(left[k]));
            Tensor gout = decode(left[left.length - 1]);
            List<Tensor> grads = new ArrayList<>();
            for (String g : io[1].split(" \\| ")) grads.add(decode(g));
            out.add(new Case(left[0].trim(), left[1].trim(), params, ins, gout, grads));
        }
        return out;
    }

    private static Tensor decode(String spec) {
        String[] p = spec.trim().split(":", -1);
        int[] shape = p[1].isEmpty() ? new int[0] : Arrays.stream(p[1].split("x")).mapToInt(Integer::parseInt).toArray();
        String[] vals = p[2].isEmpty() ? new String[0] : p[2].split(",");
        switch (p[0]) {
            case "float64" -> {
                double[] d = new double[vals.length];
                for (int i = 0; i < vals.length; i++) {
                    d[i] = switch (vals[i]) {
                        case "nan" -> Double.NaN;
                        case "inf" -> Double.POSITIVE_INFINITY;
                        case "-inf" -> Double.NEGATIVE_INFINITY;
                        default -> Double.parseDouble(vals[i]);
                    };
                }
                return Kindling.fromArray(d, shape);
            }
            case "int64" -> {
                long[] l = new long[vals.length];
                for (int i = 0; i < vals.length; i++) l[i] = Long.parseLong(vals[i]);
                return Kindling.fromArray(l, shape);
            }
            case "bool" -> {
                long[] l = new long[vals.length];
                for (int i = 0; i < vals.length; i++) l[i] = Long.parseLong(vals[i]);
                return Kindling.fromArray(l, shape).to(DType.BOOL);
            }
            default -> throw new IllegalArgumentException("unexpected dtype in grad_ops.txt: " + p[0]);
        }
    }

    private static int[] intList(String s) {
        if (s == null || s.isEmpty()) return new int[0];
        return Arrays.stream(s.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    private static double dbl(String s) {
        return switch (s) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    private static Tensor run(Case c, List<Tensor> x) {
        Map<String, String> p = c.params();
        Tensor a = x.get(0);
        Tensor b = x.size() > 1 ? x.get(1) : null;
        Tensor d = x.size() > 2 ? x.get(2) : null;
        return switch (c.op()) {
            case "relu" -> a.relu();
            case "abs" -> a.abs();
            case "sign" -> a.sign();
            case "floor" -> a.floor();
            case "round" -> a.round();
            case "tanh" -> a.tanh();
            case "sigmoid" -> a.sigmoid();
            case "gelu" -> a.gelu();
            case "gelu_tanh" -> a.gelu("tanh");
            case "silu" -> a.silu();
            case "softplus" -> a.softplus();
            case "expm1" -> a.expm1();
            case "sin" -> a.sin();
            case "cos" -> a.cos();
            case "square" -> a.square();
            case "log" -> a.log();
            case "log1p" -> a.log1p();
            case "sqrt" -> a.sqrt();
            case "rsqrt" -> a.rsqrt();
            case "reciprocal" -> a.reciprocal();
            case "clamp" -> p.containsKey("min") && p.containsKey("max") ? a.clamp(dbl(p.get("min")), dbl(p.get("max")))
                    : p.containsKey("min") ? a.clampMin(dbl(p.get("min"))) : a.clampMax(dbl(p.get("max")));
            case "maximum" -> a.maximum(b);
            case "minimum" -> a.minimum(b);
            case "pow" -> a.pow(b);
            case "remainder" -> a.remainder(b);
            case "div" -> a.div(b);
            case "where" -> Kindling.where(a, b, d);
            case "max_all" -> a.max();
            case "min_all" -> a.min();
            case "amax" -> a.amax(intList(p.get("dims")), Boolean.parseBoolean(p.get("keepdim").toLowerCase()));
            case "amin" -> a.amin(intList(p.get("dims")), Boolean.parseBoolean(p.get("keepdim").toLowerCase()));
            case "max_dim" -> a.max(Integer.parseInt(p.get("dim")), bool(p, "keepdim")).values();
            case "min_dim" -> a.min(Integer.parseInt(p.get("dim")), bool(p, "keepdim")).values();
            case "prod_all" -> a.prod();
            case "prod_dim" -> a.prod(Integer.parseInt(p.get("dim")), bool(p, "keepdim"));
            case "cumprod" -> a.cumprod(Integer.parseInt(p.get("dim")));
            case "cumsum" -> a.cumsum(Integer.parseInt(p.get("dim")));
            case "mean" -> a.mean(intList(p.get("dims")), bool(p, "keepdim"));
            case "norm" -> p.containsKey("dims") ? a.norm(dbl(p.get("p")), intList(p.get("dims")), bool(p, "keepdim"))
                    : a.norm(dbl(p.get("p")));
            case "var" -> a.var(intList(p.get("dims")), dbl(p.get("correction")), bool(p, "keepdim"));
            case "std" -> p.containsKey("dims") ? a.std(intList(p.get("dims")), dbl(p.get("correction")), bool(p, "keepdim"))
                    : a.std();
            case "logsumexp" -> a.logsumexp(intList(p.get("dims")), bool(p, "keepdim"));
            case "softmax" -> a.softmax(Integer.parseInt(p.get("dim")));
            case "log_softmax" -> a.logSoftmax(Integer.parseInt(p.get("dim")));
            case "sort_values" -> a.sort(Integer.parseInt(p.get("dim")), bool(p, "descending")).values();
            case "topk_values" -> a.topk(Integer.parseInt(p.get("k")), Integer.parseInt(p.get("dim")),
                    bool(p, "largest")).values();
            case "unfold" -> a.unfold(Integer.parseInt(p.get("dim")), Integer.parseInt(p.get("size")),
                    Integer.parseInt(p.get("step")));
            case "slice" -> a.slice(Integer.parseInt(p.get("dim")), Integer.parseInt(p.get("start")),
                    Integer.parseInt(p.get("end")), Integer.parseInt(p.get("step")));
            case "index_select" -> a.indexSelect(Integer.parseInt(p.get("dim")), b);
            case "gather" -> a.gather(Integer.parseInt(p.get("dim")), b);
            case "scatter" -> a.scatter(Integer.parseInt(p.get("dim")), b, d);
            case "scatter_add" -> a.scatterAdd(Integer.parseInt(p.get("dim")), b, d);
            case "masked_select" -> a.maskedSelect(b);
            case "masked_fill" -> a.maskedFill(b, dbl(p.get("value")));
            case "index" -> a.index(b);
            case "index_put" -> a.indexPut(new Tensor[] {b}, d, bool(p, "accumulate"));
            case "take" -> a.take(b);
            case "pad" -> a.pad(intList(p.get("pad")), p.get("mode"), dbl(p.get("value")));
            case "repeat" -> a.repeat(intList(p.get("reps")));
            case "roll" -> a.roll(intList(p.get("shifts")), intList(p.get("dims")));
            case "flip" -> a.flip(intList(p.get("dims")));
            case "tril" -> a.tril(Integer.parseInt(p.get("k")));
            case "triu" -> a.triu(Integer.parseInt(p.get("k")));
            case "cat" -> Kindling.cat(x, Integer.parseInt(p.get("dim")));
            case "stack" -> Kindling.stack(x, Integer.parseInt(p.get("dim")));
            case "addmm" -> a.addmm(b, d, dbl(p.get("beta")), dbl(p.get("alpha")));
            case "mv" -> a.mv(b);
            case "outer" -> a.outer(b);
            case "bmm" -> a.bmm(b);
            case "einsum" -> Kindling.einsum(p.get("eq"), x.toArray(new Tensor[0]));
            default -> throw new IllegalArgumentException("unknown op in grad_ops.txt: " + c.op());
        };
    }

    private static boolean bool(Map<String, String> p, String key) {
        return Boolean.parseBoolean(p.get(key).toLowerCase());
    }

    @TestFactory
    Stream<DynamicTest> gradientsMatchPyTorch() {
        List<Case> all = cases();
        assertTrue(all.size() > 80, "expected the full fixture, got " + all.size() + " cases");
        return all.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private static void check(Case c) {
        List<Tensor> leaves = new ArrayList<>();
        List<Tensor> in = new ArrayList<>();
        for (Tensor t : c.inputs()) {
            Tensor x = t.clone();
            if (x.dtype() == DType.FLOAT64) {
                x.requiresGrad_();
                leaves.add(x);
            }
            in.add(x);
        }
        Tensor out = run(c, in);
        assertArrayEquals(c.gradOut().shape().toArray(), out.shape().toArray(), c.name() + ": output shape");
        out.backward(c.gradOut());
        assertEquals(c.grads().size(), leaves.size(), c.name() + ": number of gradients");
        for (int i = 0; i < leaves.size(); i++) {
            Tensor got = leaves.get(i).grad();
            double[] e = c.grads().get(i).toDoubleArray();
            double[] a = got == null ? new double[e.length] : got.toDoubleArray();
            assertArrayEquals(c.grads().get(i).shape().toArray(), leaves.get(i).shape().toArray());
            for (int k = 0; k < e.length; k++) {
                boolean ok = Double.isNaN(e[k]) ? Double.isNaN(a[k])
                        : e[k] == a[k] || Math.abs(e[k] - a[k]) <= 1e-9 + 1e-9 * Math.abs(e[k]);
                if (!ok) {
                    fail(c.name() + ": gradient of input " + i + " at " + k + ": expected " + e[k] + " but got " + a[k]
                            + "\n expected " + Arrays.toString(e) + "\n      got " + Arrays.toString(a));
                }
            }
        }
    }
}
