package org.kindling.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/**
 * Reads the fixtures written by tools/reference/nn_reference.py: one case per line,
 * {@code name | key=dtype:shape:values | ...} (the tensor encoding of tools/reference/tensor_ops.py).
 */
final class NnRef {
    private NnRef() {}

    /** One fixture line: a name and its tensors by key, in file order. */
    record Case(String name, Map<String, Tensor> t) {
        Tensor get(String key) {
            Tensor v = t.get(key);
            assertNotNull(v, name + ": fixture has no " + key);
            return v;
        }

        /** Entries whose key starts with {@code prefix}, with the prefix removed. */
        Map<String, Tensor> withPrefix(String prefix) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            t.forEach((k, v) -> {
                if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
            });
            return out;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static String resource(String name) {
        try (InputStream in = NnRef.class.getResourceAsStream("/reference/" + name)) {
            if (in == null) throw new IllegalStateException("missing test resource /reference/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Case> cases(String file) {
        List<Case> out = new ArrayList<>();
        for (String l : resource(file).split("\n")) {
            if (l.isBlank() || l.startsWith("#")) continue;
            String[] parts = l.split(" \\| ");
            Map<String, Tensor> m = new LinkedHashMap<>();
            for (int i = 1; i < parts.length; i++) {
                int eq = parts[i].indexOf('=');
                m.put(parts[i].substring(0, eq), decode(parts[i].substring(eq + 1)));
            }
            out.add(new Case(parts[0].trim(), m));
        }
        return out;
    }

    static Tensor decode(String spec) {
        String[] p = spec.trim().split(":", -1);
        int[] shape = p[1].isEmpty() ? new int[0] : Arrays.stream(p[1].split("x")).mapToInt(Integer::parseInt).toArray();
        String[] vals = p[2].isEmpty() ? new String[0] : p[2].split(",");
        switch (p[0]) {
            case "float32", "float64" -> {
                double[] d = new double[vals.length];
                for (int i = 0; i < vals.length; i++) {
                    d[i] = switch (vals[i]) {
                        case "nan" -> Double.NaN;
                        case "inf" -> Double.POSITIVE_INFINITY;
                        case "-inf" -> Double.NEGATIVE_INFINITY;
                        default -> Double.parseDouble(vals[i]);
                    };
                }
                return Kindling.fromArray(d, shape).to(p[0].equals("float32") ? DType.FLOAT32 : DType.FLOAT64);
            }
            case "int64", "bool" -> {
                long[] l = new long[vals.length];
                for (int i = 0; i < vals.length; i++) l[i] = Long.parseLong(vals[i]);
                Tensor t = Kindling.fromArray(l, shape);
                return p[0].equals("bool") ? t.ne(0) : t;
            }
            default -> throw new IllegalArgumentException("dtype " + p[0]);
        }
    }

    /** Same shape and every value within {@code atol + rtol * |expected|}. */
    static void assertClose(Tensor expected, Tensor actual, double atol, double rtol, String what) {
        assertNotNull(actual, what + " is null");
        assertArrayEquals(expected.shape().toArray(), actual.shape().toArray(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i]))) {
                fail(what + ": element " + i + " expected " + e[i] + " but was " + a[i] + "\n expected "
                        + Arrays.toString(e) + "\n actual   " + Arrays.toString(a));
            }
        }
    }

    static void assertClose(Tensor expected, Tensor actual, String what) {
        assertClose(expected, actual, 1e-5, 1e-5, what);
    }
}
