package org.kindling.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/**
 * Interop with the published format: a file written by an independent implementation
 * ({@code tools/reference/safetensors_fixture.py}) is read exactly, and a file written by Kindling is
 * left under {@code target/safetensors-interop/} with its expected content for that script's reader
 * (see the script's docstring; the tests themselves never need Python).
 */
class SafetensorsReferenceTest {
    private static final Path INTEROP_DIR = Path.of("target", "safetensors-interop");

    private static Path resource(String name) throws URISyntaxException {
        var url = SafetensorsReferenceTest.class.getResource("/io/" + name);
        if (url == null) throw new IllegalStateException("missing test resource /io/" + name);
        return Path.of(url.toURI());
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code dtype:shape:values} as written by the fixture script (floats in Python or Java spelling). */
    static Tensor decodeSpec(String spec) {
        String[] p = spec.split(":", -1);
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
        switch (dtype) {
            case FLOAT32 -> {
                float[] f = new float[vals.length];
                for (int i = 0; i < f.length; i++) f[i] = (float) parseDouble(vals[i]);
                return Kindling.fromArray(f, shape);
            }
            case FLOAT64 -> {
                double[] d = new double[vals.length];
                for (int i = 0; i < d.length; i++) d[i] = parseDouble(vals[i]);
                return Kindling.fromArray(d, shape);
            }
            default -> {
                long[] l = new long[vals.length];
                for (int i = 0; i < l.length; i++) l[i] = Long.parseLong(vals[i]);
                return Kindling.fromArray(l, shape).to(dtype);
            }
        }
    }

    private static double parseDouble(String s) {
        return switch (s) {
            case "nan", "NaN" -> Double.NaN;
            case "inf", "Infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    private static String encodeSpec(Tensor t) {
        StringBuilder sb = new StringBuilder(t.dtype().pytorchName()).append(':');
        int[] shape = t.shape().toArray();
        for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? "x" : "").append(shape[i]);
        sb.append(':');
        List<String> vals = new ArrayList<>();
        switch (t.dtype()) {
            case FLOAT32 -> {
                for (float f : t.toFloatArray()) vals.add(Double.toString(f));
            }
            case FLOAT64 -> {
                for (double d : t.toDoubleArray()) vals.add(Double.toString(d));
            }
            default -> {
                for (long l : t.toLongArray()) vals.add(Long.toString(l));
            }
        }
        return sb.append(String.join(",", vals)).toString();
    }

    @Test
    void readsTheIndependentlyWrittenReferenceFileExactly() throws Exception {
        Map<String, String> fileDtypes = new LinkedHashMap<>();
        Map<String, Tensor> expected = new LinkedHashMap<>();
        Map<String, String> expectedMeta = new LinkedHashMap<>();
        for (String line : Files.readAllLines(resource("reference.txt"), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] p = line.split(" \\| ", -1);
            if (p[0].equals("meta")) {
                expectedMeta.put(decode(p[1]), decode(p[2]));
            } else {
                String name = decode(p[1]);
                fileDtypes.put(name, p[2]);
                expected.put(name, decodeSpec(p[3]));
            }
        }
        assertEquals(12, expected.size(), "fixture entries");
        assertEquals("F16", fileDtypes.get("half"));
        assertEquals("BF16", fileDtypes.get("bf16"));

        StateDict sd = Safetensors.load(resource("reference.safetensors"));
        SafetensorsTest.assertSameStateDict(expected, sd);
        assertEquals(new ArrayList<>(expectedMeta.entrySet()), new ArrayList<>(sd.metadata().entrySet()));
        assertEquals("unicode \u2713, \"quotes\", back\\slash, tab\t|pipe", sd.metadata().get("note"));
        assertEquals(0, sd.get("scalar").dim());
        assertEquals(42, sd.get("emb.\u00fcn\u00ef").itemLong());
        assertEquals(Long.MIN_VALUE, sd.get("ids.i64").toLongArray()[1]);

        // and Kindling writes it back to a file that reads the same
        Path copy = Files.createTempFile("kindling-reference", ".safetensors");
        try {
            Safetensors.save(sd, copy);
            SafetensorsTest.assertSameStateDict(sd, Safetensors.load(copy));
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /**
     * Leaves a Kindling-written file and its expected content for the fixture script's reader:
     * {@code python3 tools/reference/safetensors_fixture.py check core/target/safetensors-interop/kindling.safetensors
     * core/target/safetensors-interop/kindling.txt}.
     */
    @Test
    void writesAFileForThePythonReader() throws IOException {
        StateDict sd = new StateDict();
        sd.put("features.0.weight", Kindling.arange(0, 12, 1).to(DType.FLOAT32).div(7.0).reshape(3, 4).t());
        sd.put("features.0.bias", Kindling.fromArray(new float[] {-0f, Float.NaN, Float.NEGATIVE_INFINITY}, 3));
        sd.put("double", Kindling.fromArray(new double[] {Math.PI, 1e-300, -2.5}, 3, 1));
        sd.put("steps", Kindling.fromArray(new long[] {Long.MIN_VALUE, Long.MAX_VALUE, (1L << 53) + 1}, 3));
        sd.put("count", Kindling.fromArray(new int[] {Integer.MIN_VALUE, 5}, 1, 2));
        sd.put("mask", Kindling.tensor(new boolean[][] {{true, false}, {false, true}}).t());
        sd.put("scalar", Kindling.scalar(0.25));
        sd.put("empty", Kindling.zeros(new int[] {2, 0}, DType.INT32));
        sd.put("caf\u00e9 \"x\"", Kindling.ones(1));
        sd.putMetadata("format", "pt");
        sd.putMetadata("note", "written by Kindling \u2713 \"quoted\"\n");
        Files.createDirectories(INTEROP_DIR);
        Path f = INTEROP_DIR.resolve("kindling.safetensors");
        Safetensors.save(sd, f);
        List<String> lines = new ArrayList<>();
        lines.add("# written by SafetensorsReferenceTest; check with tools/reference/safetensors_fixture.py check");
        sd.metadata().forEach((k, v) -> lines.add("meta | " + encode(k) + " | " + encode(v)));
        sd.forEach((name, t) -> lines.add("tensor | " + encode(name) + " | " + fileDtype(t.dtype()) + " | "
                + encodeSpec(t.contiguous())));
        Files.write(INTEROP_DIR.resolve("kindling.txt"), lines, StandardCharsets.UTF_8);
        SafetensorsTest.assertSameStateDict(sd, Safetensors.load(f));
    }

    private static String fileDtype(DType d) {
        return switch (d) {
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
            case INT64 -> "I64";
            case INT32 -> "I32";
            case BOOL -> "BOOL";
        };
    }
}
