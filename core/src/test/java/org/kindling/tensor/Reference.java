package org.kindling.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kindling.Kindling;

/** Reads tensors written by tools/reference/*.py ({@code dtype:shape:values}) and compares results. */
final class Reference {
    private Reference() {}

    static String resource(String name) {
        try (InputStream in = Reference.class.getResourceAsStream("/reference/" + name)) {
            if (in == null) throw new IllegalStateException("missing test resource /reference/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> lines(String name) {
        List<String> out = new ArrayList<>();
        for (String l : resource(name).split("\n")) {
            if (!l.isBlank() && !l.startsWith("#")) out.add(l);
        }
        return out;
    }

    static Tensor decode(String spec) {
        String[] p = spec.trim().split(":", -1);
        DType dtype = switch (p[0]) {
            case "float32" -> DType.FLOAT32;
            case "float64" -> DType.FLOAT64;
            case "int64" -> DType.INT64;
            case "int32" -> DType.INT32;
            case "bool" -> DType.BOOL;
            default -> throw new IllegalArgumentException("dtype " + p[0]);
        };
        int[] shape = p[1].isEmpty() ? new int[0] : Arrays.stream(p[1].split("x")).mapToInt(Integer::parseInt).toArray();
        String[] vals = p[2].isEmpty() ? new String[0] : p[2].split(",");
        if (dtype.isFloatingPoint()) {
            double[] d = new double[vals.length];
            for (int i = 0; i < vals.length; i++) d[i] = parseDouble(vals[i]);
            return Kindling.fromArray(d, shape).to(dtype);
        }
        long[] l = new long[vals.length];
        for (int i = 0; i < vals.length; i++) l[i] = Long.parseLong(vals[i]);
        return Kindling.fromArray(l, shape).to(dtype);
    }

    private static double parseDouble(String s) {
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    /** Same shape, same dtype, values within rtol/atol (NaN equal to NaN, exact for integers and bool). */
    static void assertMatches(Tensor expected, Tensor actual, double rtol, double atol, String what) {
        assertArrayEquals(expected.shape().toArray(), actual.shape().toArray(), what + ": shape");
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        if (!expected.dtype().isFloatingPoint()) {
            assertArrayEquals(expected.toLongArray(), actual.toLongArray(), what + ": values");
            return;
        }
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i])
                    : e[i] == a[i] || Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i]);
            if (!ok) {
                fail(what + ": value at flat index " + i + " expected " + e[i] + " but got " + a[i]
                        + "\nexpected " + expected + "\nactual   " + actual);
            }
        }
    }
}
