package org.kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/**
 * Reads the layer fixtures written by tools/reference/nn_conv_rnn_reference.py
 * ({@code case.name=dtype:shape:values}) and checks a layer against one case: load the
 * parameters, run forward on the inputs, backpropagate the fixed upstream gradients and compare
 * outputs, input gradients and parameter gradients.
 */
public final class NnReference {
    private static final Map<String, Map<String, Tensor>> CACHE = new HashMap<>();

    private NnReference() {}

    /** All tensors of the file, by {@code case.name}. */
    public static synchronized Map<String, Tensor> load(String file) {
        return CACHE.computeIfAbsent(file, f -> {
            Map<String, Tensor> out = new LinkedHashMap<>();
            try (InputStream in = NnReference.class.getResourceAsStream("/reference/" + f)) {
                if (in == null) throw new IllegalStateException("missing test resource /reference/" + f);
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (line.isBlank() || line.startsWith("#")) continue;
                    int eq = line.indexOf('=');
                    out.put(line.substring(0, eq), decode(line.substring(eq + 1)));
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return out;
        });
    }

    static Tensor decode(String spec) {
        String[] p = spec.trim().split(":", -1);
        int[] shape = p[1].isEmpty() ? new int[0] : Arrays.stream(p[1].split("x")).mapToInt(Integer::parseInt).toArray();
        String[] vals = p[2].isEmpty() ? new String[0] : p[2].split(",");
        if (p[0].equals("bool")) {
            long[] l = new long[vals.length];
            for (int i = 0; i < vals.length; i++) l[i] = Long.parseLong(vals[i]);
            return Kindling.fromArray(l, shape).to(DType.BOOL);
        }
        double[] d = new double[vals.length];
        for (int i = 0; i < vals.length; i++) d[i] = Double.parseDouble(vals[i]);
        return Kindling.fromArray(d, shape).to(p[0].equals("float64") ? DType.FLOAT64 : DType.FLOAT32);
    }

    /** The case's tensors with the {@code case.} prefix removed. */
    public static Map<String, Tensor> of(String file, String name) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        load(file).forEach((k, v) -> {
            if (k.startsWith(name + ".")) out.put(k.substring(name.length() + 1), v);
        });
        if (out.isEmpty()) throw new IllegalStateException("no case " + name + " in " + file);
        return out;
    }

    /**
     * Loads the case's parameters into {@code m}, runs {@code forward} on its inputs x0, x1, ...
     * (float ones require grad) and compares outputs y0, y1, ..., input gradients dx* and parameter
     * gradients g.* within {@code rtol}/{@code atol}.
     */
    public static void check(String file, String name, Module m, Function<Tensor[], Tensor[]> forward, double rtol,
                             double atol) {
        Map<String, Tensor> c = of(file, name);
        Map<String, Tensor> state = new LinkedHashMap<>();
        c.forEach((k, v) -> {
            if (k.startsWith("p.")) state.put(k.substring(2), v);
        });
        m.loadStateDict(state, true);
        List<Tensor> xs = new ArrayList<>();
        for (int i = 0; c.containsKey("x" + i); i++) {
            Tensor x = c.get("x" + i).clone();
            if (x.dtype() == DType.FLOAT32) x.requiresGrad_(true);
            xs.add(x);
        }
        m.zeroGrad();
        Tensor[] ys = forward.apply(xs.toArray(new Tensor[0]));
        Tensor loss = null;
        for (int i = 0; i < ys.length; i++) {
            Tensor want = c.get("y" + i);
            if (want == null) continue;
            assertClose(want, ys[i], rtol, atol, name + ": output y" + i);
            Tensor gy = c.get("gy" + i);
            if (gy != null) {
                Tensor term = ys[i].mul(gy).sum();
                loss = loss == null ? term : loss.add(term);
            }
        }
        assertNotNull(loss, name + ": no upstream gradient");
        loss.backward();
        for (int i = 0; i < xs.size(); i++) {
            Tensor want = c.get("dx" + i);
            if (want == null) continue;
            assertNotNull(xs.get(i).grad(), name + ": no gradient for input x" + i);
            assertClose(want, xs.get(i).grad(), rtol, atol, name + ": gradient of x" + i);
        }
        Map<String, Parameter> params = m.namedParameters();
        c.forEach((k, want) -> {
            if (!k.startsWith("g.")) return;
            Parameter p = params.get(k.substring(2));
            assertNotNull(p, name + ": module has no parameter " + k.substring(2) + "; it has " + params.keySet());
            assertNotNull(p.grad(), name + ": no gradient for " + k.substring(2));
            assertClose(want, p.grad(), rtol, atol, name + ": gradient of " + k.substring(2));
        });
    }

    public static void assertClose(Tensor expected, Tensor actual, double rtol, double atol, String what) {
        assertArrayEquals(expected.shape().toArray(), actual.shape().toArray(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i]))) {
                fail(what + ": element " + i + " expected " + e[i] + " but was " + a[i] + " (shape "
                        + expected.shape() + ")");
            }
        }
    }
}
