package org.kindling.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Reads the fixtures written by tools/reference/optim_reference.py: lines of fields separated by
 * " | ", tensors as {@code dtype:shape:values}, options as {@code key=value;key=value}.
 */
public final class OptimFixtures {
    private OptimFixtures() {}

    /** The non-comment, non-blank lines of /reference/{name}, split into fields. */
    public static List<String[]> records(String name) {
        String text;
        try (InputStream in = OptimFixtures.class.getResourceAsStream("/reference/" + name)) {
            if (in == null) throw new IllegalStateException("missing test resource /reference/" + name);
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<String[]> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split(" \\| ", -1);
            for (int i = 0; i < f.length; i++) f[i] = f[i].trim();
            out.add(f);
        }
        return out;
    }

    /** A float tensor from {@code dtype:shape:values}. */
    public static Tensor tensor(String spec) {
        String[] p = spec.trim().split(":", -1);
        DType dtype = switch (p[0]) {
            case "float32" -> DType.FLOAT32;
            case "float64" -> DType.FLOAT64;
            default -> throw new IllegalArgumentException("dtype " + p[0]);
        };
        int[] shape = p[1].isEmpty() ? new int[0] : Arrays.stream(p[1].split("x")).mapToInt(Integer::parseInt).toArray();
        double[] d = p[2].isEmpty() ? new double[0] : Arrays.stream(p[2].split(",")).mapToDouble(OptimFixtures::number).toArray();
        return Kindling.fromArray(d, shape).to(dtype);
    }

    /** A number as Python's repr writes it, with nan/inf. */
    public static double number(String s) {
        return switch (s.trim()) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s.trim());
        };
    }

    public static double[] numbers(String csv) {
        return Arrays.stream(csv.split(",")).mapToDouble(OptimFixtures::number).toArray();
    }

    /** {@code key=value;...} with values kept as text. */
    public static Map<String, String> options(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text.isBlank()) return out;
        for (String kv : text.split(";")) {
            int eq = kv.indexOf('=');
            out.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return out;
    }

    /** An option value as ParamGroup holds it: Boolean, List&lt;Double&gt; or Double. */
    public static Object optionValue(String v) {
        if (v.equals("true") || v.equals("false")) return Boolean.parseBoolean(v);
        if (v.contains(",")) {
            List<Double> l = new ArrayList<>();
            for (double d : numbers(v)) l.add(d);
            return l;
        }
        return number(v);
    }

    /** Same shape, values within {@code atol + rtol * |expected|}. */
    public static void assertClose(Tensor expected, Tensor actual, double rtol, double atol, String what) {
        assertArrayEquals(expected.shape().toArray(), actual.shape().toArray(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i]) : Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i]);
            final int idx = i;
            assertTrue(ok, () -> what + ": element " + idx + " expected " + e[idx] + " but was " + a[idx]
                    + "\n expected " + Arrays.toString(e) + "\n actual   " + Arrays.toString(a));
        }
    }

    /** Doubles within {@code atol + rtol * |expected|}. */
    public static void assertClose(double[] expected, double[] actual, double rtol, double atol, String what) {
        assertTrue(expected.length == actual.length, what + ": expected " + expected.length + " values, got " + actual.length);
        for (int i = 0; i < expected.length; i++) {
            final int idx = i;
            assertTrue(Math.abs(expected[i] - actual[i]) <= atol + rtol * Math.abs(expected[i]),
                    () -> what + ": element " + idx + " expected " + Arrays.toString(expected) + " but was "
                            + Arrays.toString(actual));
        }
    }
}
