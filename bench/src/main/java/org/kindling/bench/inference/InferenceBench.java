package org.kindling.bench.inference;

import ai.onnxruntime.OnnxTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kindling.Kindling;
import org.kindling.jit.GraphExecutor;
import org.kindling.nn.Module;
import org.kindling.nn.Sequential;
import org.kindling.nn.activation.ReLU;
import org.kindling.nn.conv.Conv2d;
import org.kindling.nn.flatten.Flatten;
import org.kindling.nn.linear.Linear;
import org.kindling.nn.pooling.MaxPool2d;
import org.kindling.onnx.ExportOptions;
import org.kindling.onnx.Onnx;
import org.kindling.onnx.internal.verify.OrtRunner;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;

/**
 * Inference of the bench MLP (784-512-256-10) and CNN (two conv-relu-maxpool blocks, 3136-128-10)
 * exported by Kindling to ONNX: Kindling's {@link GraphExecutor} on the re-imported file beside
 * ONNX Runtime on the same file, at batch 1 and 64, in one process. Kindling runs with
 * {@code -Dkindling.threads}; ONNX Runtime with the same number of intra-op threads.
 *
 * <pre>
 * bench/run-inference.sh          # 1 and 2 threads, one JVM each
 * </pre>
 */
public final class InferenceBench {
    private InferenceBench() {}

    static Module mlp() {
        return new Sequential(new Linear(784, 512), new ReLU(), new Linear(512, 256), new ReLU(), new Linear(256, 10));
    }

    static Module cnn() {
        return new Sequential(new Conv2d(1, 32, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Conv2d(32, 64, 3, 1, 1),
                new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(3136, 128), new ReLU(), new Linear(128, 10));
    }

    /** Median and 10th/90th percentiles of per-call times (ms) after a warm-up of at least {@code warmupMs}. */
    static double[] time(Runnable call, long warmupMs, int samples) {
        long end = System.nanoTime() + warmupMs * 1_000_000L;
        int warm = 0;
        while (System.nanoTime() < end || warm < 20) {
            call.run();
            warm++;
        }
        double[] t = new double[samples];
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            call.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return new double[] {t[samples / 2], t[samples / 10], t[samples * 9 / 10]};
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.getInteger("kindling.threads", Runtime.getRuntime().availableProcessors());
        long warmupMs = Long.getLong("bench.warmupMs", 3000);
        int samples = Integer.getInteger("bench.samples", 200);
        Path dir = Files.createTempDirectory("kindling-inference");
        List<String> rows = new ArrayList<>();
        Kindling.manualSeed(0);
        for (String name : List.of("mlp", "cnn")) {
            Module m = name.equals("mlp") ? mlp() : cnn();
            m.eval();
            int[] shape = name.equals("mlp") ? new int[] {2, 784} : new int[] {2, 1, 28, 28};
            Path file = dir.resolve(name + ".onnx");
            Onnx.export(m, new Tensor[] {Kindling.randn(shape)}, file, ExportOptions.builder().dynamicBatch().build());
            GraphExecutor kindling = new GraphExecutor(Onnx.load(file).graph());
            try (OrtRunner ort = new OrtRunner(file, threads)) {
                for (int batch : new int[] {1, 64}) {
                    shape[0] = batch;
                    Tensor x = Kindling.randn(shape);
                    Map<String, OnnxTensor> feed = ort.prepare(Map.of("input", x));
                    try {
                        double diff = kindling.run(x).get(0).sub(ort.run(Map.of("input", x)).get("output")).abs().max().item();
                        double[] k = time(() -> kindling.run(x), warmupMs, samples);
                        double[] eager;
                        try (var g = GradMode.noGrad()) {
                            eager = time(() -> m.forward(x), warmupMs, samples);
                        }
                        double[] o = time(() -> ort.runPrepared(feed), warmupMs, samples);
                        rows.add(String.format(Locale.ROOT, "| %s | %d | %d | %.3f (%.3f-%.3f) | %.3f (%.3f-%.3f) | %.2f | %.3f | %.1e |",
                                name, batch, threads, k[0], k[1], k[2], o[0], o[1], o[2], k[0] / o[0], eager[0], diff));
                    } finally {
                        feed.values().forEach(OnnxTensor::close);
                    }
                }
            }
        }
        if (!"false".equals(System.getProperty("bench.header"))) {
            System.out.println("| model | batch | threads | Kindling GraphExecutor ms (p10-p90) | ONNX Runtime ms (p10-p90) "
                    + "| Kindling / ORT | Kindling eager forward ms | max abs diff |");
            System.out.println("|---|---|---|---|---|---|---|---|");
        }
        rows.forEach(System.out::println);
    }
}
