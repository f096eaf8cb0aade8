package org.kindling.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.jit.Graph;
import org.kindling.onnx.internal.proto.OnnxProtos.AttributeProto;
import org.kindling.onnx.internal.proto.OnnxProtos.GraphProto;
import org.kindling.onnx.internal.proto.OnnxProtos.ModelProto;
import org.kindling.onnx.internal.proto.OnnxProtos.NodeProto;
import org.kindling.onnx.internal.proto.OnnxProtos.StringStringEntryProto;
import org.kindling.onnx.internal.proto.OnnxProtos.TensorProto;
import org.kindling.tensor.Tensor;

/**
 * Mutates the official node-test models (bit flips, truncation, huge dims, cycles, broken references,
 * hostile attribute values and external-data paths) and requires every case to end, within 5 s, either in a
 * run that completes or in an {@link OnnxException}: never another exception, a JVM error, a hang or an
 * OutOfMemoryError.
 */
class OnnxFuzzTest {

    static final int CASES = Integer.getInteger("kindling.onnx.fuzzCases", 2400);
    static final long SEED = Long.getLong("kindling.onnx.fuzzSeed", 20251126L);

    record Case(int id, String source, String mutation) {}

    @Test
    void mutatedModelsFailCleanly(@TempDir Path tmp) throws Exception {
        Path root = OnnxNodeConformanceTest.backendTestsDir();
        assumeTrue(root != null, "ONNX backend node tests not found (see OnnxNodeConformanceTest); the fuzzer mutates them");
        List<Path> sources;
        try (Stream<Path> s = Files.list(root)) {
            sources = s.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().toList();
        }
        Path outside = tmp.resolve("outside.bin");
        Files.write(outside, new byte[4096]);
        Random rnd = new Random(SEED);
        ExecutorService pool = Executors.newSingleThreadExecutor(daemon());
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < CASES; i++) {
                Path src = sources.get(rnd.nextInt(sources.size()));
                Path dir = Files.createDirectories(tmp.resolve("case" + i));
                String mutation = mutate(src, dir, rnd, outside);
                Map<String, Tensor> inputs = inputsOf(src);
                Future<String> f = pool.submit(() -> runCase(dir.resolve("model.onnx"), inputs));
                String outcome;
                try {
                    outcome = f.get(5, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    f.cancel(true);
                    pool.shutdownNow();
                    pool = Executors.newSingleThreadExecutor(daemon());
                    outcome = "HANG";
                } catch (java.util.concurrent.ExecutionException e) {
                    outcome = "CRASH " + e.getCause();
                }
                String kind = outcome.startsWith("CRASH") || outcome.equals("HANG") ? outcome : outcome.split(":")[0];
                outcomes.merge(kind.startsWith("CRASH") ? "CRASH" : kind, 1, Integer::sum);
                if (kind.startsWith("CRASH") || kind.equals("HANG")) {
                    problems.add("case " + i + " (" + src.getFileName() + ", " + mutation + "): " + outcome);
                }
                deleteTree(dir);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("ONNX fuzz: %d cases in %.1f s, outcomes %s%n", CASES, (System.nanoTime() - start) / 1e9, outcomes);
        assertTrue(problems.isEmpty(), problems.size() + " case(s) crashed or hung:\n  " + String.join("\n  ", problems.subList(0, Math.min(30, problems.size()))));
        assertTrue(outcomes.getOrDefault("REJECTED", 0) > CASES / 10, "too few mutations were rejected: " + outcomes);
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(null, r, "onnx-fuzz", 64L << 20);
            t.setDaemon(true);
            return t;
        };
    }

    /** "RAN", "REJECTED: message", or "CRASH ..." for anything that is not an OnnxException. */
    static String runCase(Path model, Map<String, Tensor> inputs) {
        try {
            OnnxModel m = Onnx.load(model);
            Map<String, Tensor> feed = new LinkedHashMap<>();
            for (String name : m.inputNames()) {
                Tensor t = inputs.get(name);
                if (t == null) return "REJECTED: no input " + name;
                feed.put(name, t);
            }
            m.forward(feed);
            return "RAN";
        } catch (OnnxException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) return "CRASH OnnxException without a message";
            return "REJECTED: " + e.getMessage();
        } catch (Throwable t) {
            return "CRASH " + t;
        }
    }

    private static Map<String, Tensor> inputsOf(Path testDir) {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        try {
            Graph g = Onnx.readGraph(testDir.resolve("model.onnx"), OnnxLimits.defaults());
            Path set = testDir.resolve("test_data_set_0");
            for (int i = 0; i < g.inputs().size(); i++) {
                Path f = set.resolve("input_" + i + ".pb");
                if (Files.exists(f)) inputs.put(g.inputs().get(i).name(), OnnxNodeConformanceTest.readTensor(f));
            }
        } catch (RuntimeException e) {
            // Unsupported source model: its mutations still exercise the reader.
        }
        return inputs;
    }

    /** Writes a mutated copy of the source model into {@code dir}; returns what was done. */
    static String mutate(Path src, Path dir, Random rnd, Path outside) throws IOException {
        byte[] bytes = Files.readAllBytes(src.resolve("model.onnx"));
        Path target = dir.resolve("model.onnx");
        int kind = rnd.nextInt(9);
        if (kind == 0) {
            int flips = 1 + rnd.nextInt(8);
            for (int i = 0; i < flips; i++) bytes[rnd.nextInt(bytes.length)] ^= (byte) (1 << rnd.nextInt(8));
            Files.write(target, bytes);
            return "flip " + flips + " bits";
        }
        if (kind == 1) {
            int cut = rnd.nextInt(bytes.length);
            Files.write(target, java.util.Arrays.copyOf(bytes, cut));
            return "truncate to " + cut + " of " + bytes.length;
        }
        ModelProto m = ModelProto.parseFrom(bytes);
        GraphProto.Builder g = m.getGraph().toBuilder();
        String what;
        switch (kind) {
            case 2 -> {
                long[] huge = {1L << 40, Long.MAX_VALUE, -5, 1L << 31, 3_000_000_000L};
                long d = huge[rnd.nextInt(huge.length)];
                TensorProto t = TensorProto.newBuilder().setName("huge_" + rnd.nextInt(1000)).setDataType(1)
                        .addDims(d).addDims(1 + rnd.nextInt(1 << 20)).setRawData(ByteString.copyFrom(new byte[16])).build();
                g.addInitializer(t);
                if (g.getNodeCount() > 0) {
                    NodeProto.Builder n = g.getNode(0).toBuilder();
                    if (n.getInputCount() > 0) n.setInput(0, t.getName());
                    g.setNode(0, n);
                }
                what = "initializer with dim " + d;
            }
            case 3 -> {
                if (g.getNodeCount() == 0) return writeAnd(target, m, g, "no nodes");
                int last = g.getNodeCount() - 1;
                NodeProto.Builder first = g.getNode(0).toBuilder();
                String out = g.getNode(last).getOutputCount() > 0 ? g.getNode(last).getOutput(0) : "x";
                if (first.getInputCount() > 0) first.setInput(0, out);
                else first.addInput(out);
                g.setNode(0, first);
                what = "cycle: first node reads the last node's output";
            }
            case 4 -> {
                if (g.getNodeCount() == 0) return writeAnd(target, m, g, "no nodes");
                int i = rnd.nextInt(g.getNodeCount());
                NodeProto.Builder n = g.getNode(i).toBuilder();
                if (rnd.nextBoolean() && n.getInputCount() > 0) {
                    n.setInput(rnd.nextInt(n.getInputCount()), "undefined_" + rnd.nextInt(100));
                    what = "undefined input";
                } else if (g.getNodeCount() > 1 && n.getOutputCount() > 0) {
                    String dup = g.getNode((i + 1) % g.getNodeCount()).getOutput(0);
                    n.setOutput(0, dup);
                    what = "duplicate output";
                } else {
                    n.setOpType(n.getOpType() + "X");
                    what = "unknown op";
                }
                g.setNode(i, n);
            }
            case 5, 6 -> {
                if (g.getNodeCount() == 0) return writeAnd(target, m, g, "no nodes");
                int i = rnd.nextInt(g.getNodeCount());
                NodeProto.Builder n = g.getNode(i).toBuilder();
                long[] values = {0, -1, -7, 1L << 31, Long.MAX_VALUE, Long.MIN_VALUE, 1_000_000, 3};
                if (n.getAttributeCount() > 0) {
                    int a = rnd.nextInt(n.getAttributeCount());
                    AttributeProto.Builder attr = n.getAttribute(a).toBuilder();
                    long v = values[rnd.nextInt(values.length)];
                    if (attr.getType() == AttributeProto.AttributeType.INTS && attr.getIntsCount() > 0) {
                        attr.setInts(rnd.nextInt(attr.getIntsCount()), v);
                    } else if (attr.getType() == AttributeProto.AttributeType.FLOAT) {
                        attr.setF(rnd.nextBoolean() ? Float.NaN : -1e30f);
                    } else {
                        attr.setType(AttributeProto.AttributeType.INT).setI(v);
                    }
                    n.setAttribute(a, attr);
                    what = "attribute " + attr.getName() + " of " + n.getOpType() + " set to a hostile value";
                } else {
                    n.addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT).setI(values[rnd.nextInt(values.length)]));
                    what = "added axis attribute to " + n.getOpType();
                }
                g.setNode(i, n);
            }
            case 7 -> {
                String[] hostile = {"../outside.bin", "/etc/passwd", "a/../../outside.bin", "link.bin", "missing.bin", "sub/../../../x",
                    "weights.bin"};
                String loc = hostile[rnd.nextInt(hostile.length)];
                if (loc.equals("link.bin")) {
                    try {
                        Files.createSymbolicLink(dir.resolve("link.bin"), outside);
                    } catch (UnsupportedOperationException | IOException e) {
                        loc = "missing.bin";
                    }
                }
                long offset = rnd.nextBoolean() ? 0 : Long.MAX_VALUE - rnd.nextInt(10);
                if (loc.equals("weights.bin")) Files.write(dir.resolve("weights.bin"), new byte[64]);
                TensorProto t = TensorProto.newBuilder().setName("ext").setDataType(1).addDims(4).addDims(4)
                        .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                        .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(loc))
                        .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(Long.toString(offset))).build();
                g.addInitializer(t);
                what = "external data at '" + loc + "' offset " + offset;
            }
            default -> {
                NodeProto.Builder n = NodeProto.newBuilder().setOpType("ConstantOfShape").addInput("huge_shape").addOutput("big");
                g.addInitializer(TensorProto.newBuilder().setName("huge_shape").setDataType(7).addDims(3)
                        .addInt64Data(100_000).addInt64Data(100_000).addInt64Data(rnd.nextInt(1000) + 1));
                g.addNode(n);
                g.addOutput(org.kindling.onnx.internal.proto.OnnxProtos.ValueInfoProto.newBuilder().setName("big"));
                what = "ConstantOfShape asking for 10^10+ elements";
            }
        }
        return writeAnd(target, m, g, what);
    }

    private static String writeAnd(Path target, ModelProto m, GraphProto.Builder g, String what) throws IOException {
        Files.write(target, m.toBuilder().setGraph(g).build().toByteArray());
        return what;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Test
    void hostileExternalDataPathsAreRejectedWithTheReason(@TempDir Path tmp) throws IOException {
        Path modelDir = Files.createDirectories(tmp.resolve("model"));
        Files.write(tmp.resolve("secret.bin"), new byte[64]);
        Files.createSymbolicLink(modelDir.resolve("escape.bin"), tmp.resolve("secret.bin"));
        Files.write(modelDir.resolve("ok.bin"), floatsLe(1, 2, 3, 4));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("../secret.bin", "leaves the model's folder ('..')");
        expected.put("/etc/passwd", "is absolute");
        expected.put("escape.bin", "outside the model's folder");
        expected.put("nothere.bin", "does not exist");
        for (var e : expected.entrySet()) {
            Path file = writeExternalModel(modelDir, e.getKey(), 0);
            OnnxException ex = org.junit.jupiter.api.Assertions.assertThrows(OnnxException.class, () -> Onnx.load(file));
            assertTrue(ex.getMessage().contains(e.getValue()), e.getKey() + " -> " + ex.getMessage());
        }
        Path past = writeExternalModel(modelDir, "ok.bin", 8);
        OnnxException beyond = org.junit.jupiter.api.Assertions.assertThrows(OnnxException.class, () -> Onnx.load(past));
        assertTrue(beyond.getMessage().contains("lies beyond the end"), beyond.getMessage());
        // The same file inside the folder loads, and its values arrive.
        OnnxModel ok = Onnx.load(writeExternalModel(modelDir, "ok.bin", 0));
        assertEquals(List.of(1f, 2f, 3f, 4f), boxed(ok.forward(Map.of()).get("w").toFloatArray()));
    }

    @Test
    void tensorBudgetIsCheckedBeforeAllocation(@TempDir Path tmp) throws IOException {
        Path file = writeExternalModel(Files.createDirectories(tmp.resolve("m")), "w.bin", 0);
        Files.write(tmp.resolve("m/w.bin"), floatsLe(1, 2, 3, 4));
        OnnxException e = org.junit.jupiter.api.Assertions.assertThrows(OnnxException.class,
                () -> Onnx.load(file, OnnxLimits.defaults().withMaxTensorBytes(8)));
        assertTrue(e.getMessage().contains("over the limit of 8 bytes (OnnxLimits.maxTensorBytes)"), e.getMessage());
        OnnxException small = org.junit.jupiter.api.Assertions.assertThrows(OnnxException.class,
                () -> Onnx.load(file, OnnxLimits.defaults().withMaxFileBytes(10)));
        assertTrue(small.getMessage().contains("(OnnxLimits.maxFileBytes)"), small.getMessage());
    }

    private static List<Float> boxed(float[] f) {
        List<Float> l = new ArrayList<>();
        for (float v : f) l.add(v);
        return l;
    }

    private static byte[] floatsLe(float... v) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    /** A model whose only output is an initializer 'w' (float32[4]) stored externally at {@code location}. */
    static Path writeExternalModel(Path dir, String location, long offset) throws IOException {
        TensorProto w = TensorProto.newBuilder().setName("w").setDataType(1).addDims(4)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(Long.toString(offset))).build();
        GraphProto g = GraphProto.newBuilder().setName("ext").addInitializer(w)
                .addOutput(org.kindling.onnx.internal.proto.OnnxProtos.ValueInfoProto.newBuilder().setName("w")).build();
        ModelProto m = ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(org.kindling.onnx.internal.proto.OnnxProtos.OperatorSetIdProto.newBuilder().setVersion(17)).build();
        Path file = dir.resolve("model_" + Math.abs(location.hashCode()) + "_" + offset + ".onnx");
        Files.write(file, m.toByteArray());
        return file;
    }
}
