package org.kindling.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.kindling.jit.Graph;
import org.kindling.jit.Value;
import org.kindling.onnx.internal.ModelImporter;
import org.kindling.onnx.internal.TensorProtos;
import org.kindling.onnx.internal.proto.OnnxProtos.ModelProto;
import org.kindling.onnx.internal.proto.OnnxProtos.TensorProto;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/**
 * Runs the official ONNX backend node tests (each folder: model.onnx + test_data_set_N/input_i.pb, output_i.pb)
 * with the reference runner's rules: floats within rtol 1e-3 / atol 1e-7 with NaN equal to NaN, other types
 * exact, output dtype and shape equal. Tests listed in {@code conformance/passing.txt} must pass; every other test
 * is listed with its reason in {@code conformance/excluded.txt}. {@code -Dkindling.onnx.updateLists=true}
 * rewrites both lists from the current results.
 *
 * <p>The data is the {@code onnx/backend/test/data/node} folder of the ONNX repository (also installed with the
 * {@code onnx} Python package); point {@code -Dkindling.onnx.backendTests} or {@code KINDLING_ONNX_BACKEND_TESTS} at it.
 */
class OnnxNodeConformanceTest {

    static final double RTOL = 1e-3, ATOL = 1e-7;
    static final int FLOOR = 750;

    enum Status { PASS, FAIL, UNSUPPORTED }

    record Result(String test, String op, Status status, String reason) {}

    static Path backendTestsDir() {
        List<Path> candidates = new ArrayList<>();
        String prop = System.getProperty("kindling.onnx.backendTests");
        if (prop != null && !prop.isBlank()) candidates.add(Path.of(prop));
        String env = System.getenv("KINDLING_ONNX_BACKEND_TESTS");
        if (env != null && !env.isBlank()) candidates.add(Path.of(env));
        // The module dir is <repo>/onnx; shared/ sits beside the repository clone.
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) candidates.add(p.resolve("shared/onnx-backend/node"));
        candidates.add(Path.of("/work/shared/onnx-backend/node"));
        for (Path c : candidates) if (Files.isDirectory(c)) return c;
        return null;
    }

    @Test
    void officialNodeTests() throws Exception {
        Path root = backendTestsDir();
        assumeTrue(root != null, "ONNX backend node tests not found: set -Dkindling.onnx.backendTests or KINDLING_ONNX_BACKEND_TESTS "
                + "to the onnx/backend/test/data/node folder of the ONNX repository (shared/onnx-backend/node beside the clone)");
        List<Path> tests;
        try (Stream<Path> s = Files.list(root)) {
            tests = s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().toList();
        }
        List<Result> results = new ArrayList<>();
        ExecutorService pool = Executors.newSingleThreadExecutor(daemon());
        long start = System.nanoTime();
        try {
            for (Path t : tests) {
                Future<Result> f = pool.submit(() -> runOne(t));
                try {
                    results.add(f.get(20, TimeUnit.SECONDS));
                } catch (TimeoutException e) {
                    f.cancel(true);
                    pool.shutdownNow();
                    pool = Executors.newSingleThreadExecutor(daemon());
                    results.add(new Result(t.getFileName().toString(), opOf(t), Status.FAIL, "timed out after 20 s"));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        report(results, seconds, root);

        Map<String, Result> byName = new LinkedHashMap<>();
        results.forEach(r -> byName.put(r.test(), r));
        if (Boolean.getBoolean("kindling.onnx.updateLists")) writeLists(results);
        List<String> expected = readList("conformance/passing.txt");
        List<String> regressions = new ArrayList<>();
        for (String name : expected) {
            Result r = byName.get(name);
            if (r == null) regressions.add(name + ": test data missing");
            else if (r.status() != Status.PASS) regressions.add(name + ": " + r.status() + " " + r.reason());
        }
        assertTrue(regressions.isEmpty(), regressions.size() + " listed test(s) no longer pass:\n  " + String.join("\n  ", regressions));
        assertTrue(expected.size() >= FLOOR, "passing.txt lists " + expected.size() + " tests; the floor is " + FLOOR);
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(null, r, "onnx-node-test", 64L << 20);
            t.setDaemon(true);
            return t;
        };
    }

    static String opOf(Path testDir) {
        try {
            ModelProto m = ModelImporter.parse(testDir.resolve("model.onnx"), OnnxLimits.defaults());
            return m.getGraph().getNodeCount() == 0 ? "?" : m.getGraph().getNode(0).getOpType();
        } catch (RuntimeException e) {
            return "?";
        }
    }

    static Result runOne(Path dir) {
        String name = dir.getFileName().toString();
        String op = opOf(dir);
        OnnxModel model;
        try {
            model = Onnx.load(dir.resolve("model.onnx"));
        } catch (OnnxException e) {
            return new Result(name, op, e.isUnsupported() ? Status.UNSUPPORTED : Status.FAIL, firstLine(e.getMessage()));
        } catch (RuntimeException | StackOverflowError e) {
            return new Result(name, op, Status.FAIL, "load: " + e);
        }
        Graph g = model.graph();
        List<Path> sets;
        try (Stream<Path> s = Files.list(dir)) {
            sets = s.filter(p -> p.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
        } catch (IOException e) {
            return new Result(name, op, Status.FAIL, e.toString());
        }
        for (Path set : sets) {
            try {
                Map<String, Tensor> inputs = new LinkedHashMap<>();
                for (int i = 0; i < g.inputs().size(); i++) {
                    Path f = set.resolve("input_" + i + ".pb");
                    if (!Files.exists(f)) continue;
                    inputs.put(g.inputs().get(i).name(), readTensor(f));
                }
                Map<String, Tensor> out = model.forward(inputs);
                List<Value> outs = g.outputs();
                for (int i = 0; i < outs.size(); i++) {
                    Path f = set.resolve("output_" + i + ".pb");
                    if (!Files.exists(f)) continue;
                    Tensor want = readTensor(f);
                    String mismatch = compare(want, out.get(outs.get(i).name()));
                    if (mismatch != null) return new Result(name, op, Status.FAIL, set.getFileName() + " output " + i + ": " + mismatch);
                }
            } catch (OnnxException e) {
                return new Result(name, op, e.isUnsupported() ? Status.UNSUPPORTED : Status.FAIL, firstLine(e.getMessage()));
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                return new Result(name, op, Status.FAIL, firstLine(String.valueOf(e)));
            }
        }
        return new Result(name, op, Status.PASS, "");
    }

    static Tensor readTensor(Path f) {
        TensorProto p = ModelImporter.parseTensor(f, OnnxLimits.defaults());
        return TensorProtos.toTensor(p, f.getParent(), new org.kindling.onnx.internal.Budget(OnnxLimits.defaults()));
    }

    /** Null when equal by the reference runner's rules, else what differs. */
    static String compare(Tensor want, Tensor got) {
        if (got == null) return "no value produced";
        if (want.dtype() != got.dtype()) return "dtype " + got.dtype().pytorchName() + ", expected " + want.dtype().pytorchName();
        if (!java.util.Arrays.equals(want.shape().toArray(), got.shape().toArray())) {
            return "shape " + got.shape() + ", expected " + want.shape();
        }
        if (!want.dtype().isFloatingPoint()) {
            long[] a = want.to(DType.INT64).contiguous().toLongArray(), b = got.to(DType.INT64).contiguous().toLongArray();
            for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return "element " + i + " is " + b[i] + ", expected " + a[i];
            return null;
        }
        double[] a = want.to(DType.FLOAT64).contiguous().toDoubleArray(), b = got.to(DType.FLOAT64).contiguous().toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            if (Double.isNaN(a[i]) && Double.isNaN(b[i])) continue;
            if (a[i] == b[i]) continue;
            if (!(Math.abs(a[i] - b[i]) <= ATOL + RTOL * Math.abs(a[i]))) {
                return "element " + i + " is " + b[i] + ", expected " + a[i] + " (rtol 1e-3, atol 1e-7)";
            }
        }
        return null;
    }

    static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static void report(List<Result> results, double seconds, Path root) {
        Map<String, int[]> byOp = new TreeMap<>();
        int[] total = new int[3];
        for (Result r : results) {
            byOp.computeIfAbsent(r.op(), k -> new int[3])[r.status().ordinal()]++;
            total[r.status().ordinal()]++;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("ONNX node conformance (%s): %d tests, %d pass, %d fail, %d unsupported in %.1f s%n",
                root, results.size(), total[0], total[1], total[2], seconds));
        sb.append(String.format("%-34s %5s %5s %5s%n", "op", "pass", "fail", "unsup"));
        byOp.forEach((op, c) -> sb.append(String.format("%-34s %5d %5d %5d%n", op, c[0], c[1], c[2])));
        System.out.print(sb);
        String dump = System.getProperty("kindling.onnx.resultsFile");
        if (dump != null) {
            StringBuilder lines = new StringBuilder();
            for (Result r : results) lines.append(r.status()).append('\t').append(r.test()).append('\t').append(r.op()).append('\t').append(r.reason()).append('\n');
            try {
                Files.writeString(Path.of(dump), lines.toString());
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }
    }

    static List<String> readList(String resource) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = OnnxNodeConformanceTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) return out;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) continue;
                int sp = t.indexOf(' ');
                out.add(sp < 0 ? t : t.substring(0, sp));
            }
        }
        return out;
    }

    /** Why a failing test cannot pass, where the raw mismatch does not say it. */
    private static final Map<String, String> KNOWN_REASONS = Map.of(
            "test_training_dropout", "random mask: the expected output comes from numpy's seeded generator, which Kindling does not replicate",
            "test_dft_inverse", "the expected output holds float32 FFT round-off (1.9e-7) where the exact value is 0; atol 1e-7 rejects the exact answer");

    /** Rewrites the committed lists under src/test/resources (atomically). */
    private static void writeLists(List<Result> results) throws IOException {
        Path dir = Path.of("src/test/resources/conformance");
        Files.createDirectories(dir);
        StringBuilder pass = new StringBuilder("# ONNX backend node tests that pass; a listed test that fails fails the build.\n"
                + "# Regenerate with -Dkindling.onnx.updateLists=true after checking the change.\n");
        StringBuilder excluded = new StringBuilder("# ONNX backend node tests not run green, one line each: test, status, reason.\n");
        for (Result r : results) {
            if (r.status() == Status.PASS) {
                pass.append(r.test()).append('\n');
                continue;
            }
            String reason = KNOWN_REASONS.entrySet().stream().filter(e -> r.test().startsWith(e.getKey())).map(Map.Entry::getValue)
                    .findFirst().orElse(r.reason().replace('\n', ' '));
            excluded.append(r.test()).append("  ").append(r.status()).append(": ").append(reason).append('\n');
        }
        atomicWrite(dir.resolve("passing.txt"), pass.toString());
        atomicWrite(dir.resolve("excluded.txt"), excluded.toString());
    }

    private static void atomicWrite(Path target, String text) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
