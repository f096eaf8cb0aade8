package org.kindling.bench.compare;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.kindling.Kindling;
import org.kindling.tensor.Tensor;

/**
 * Side-by-side timing of Kindling and libtorch for one thread count (libtorch's thread count is
 * fixed per process, so {@code bench/run.sh} starts one JVM per thread count).
 *
 * <p>Per case: both sides get the same operands, their results are compared, each side is warmed
 * up, then timed samples are taken in {@value #ROUNDS} alternating rounds (Kindling, libtorch,
 * Kindling, ...) so that a burst of outside load hits both; the figure is the median per-call time.
 *
 * <pre>
 * Compare --threads N [--engines kindling,libtorch] [--cases sgemm-512,add-1e3,...]
 *         [--out results.tsv] [--quick] [--no-peak]
 * </pre>
 */
public final class Compare {
    static final int ROUNDS = 3;

    private Compare() {}

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        int threads = Kindling.getNumThreads();
        Set<String> engines = new LinkedHashSet<>(List.of("kindling", "libtorch"));
        Set<String> only = null;
        Path out = null;
        boolean quick = false;
        boolean peak = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--engines" -> engines = new LinkedHashSet<>(List.of(args[++i].split(",")));
                case "--cases" -> only = new LinkedHashSet<>(List.of(args[++i].split(",")));
                case "--out" -> out = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--no-peak" -> peak = false;
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        long warmNs = quick ? 200_000_000L : 1_000_000_000L;
        long budgetNs = quick ? 300_000_000L : 1_500_000_000L;

        List<String> tsv = new ArrayList<>();
        System.out.printf("== threads=%d  JDK %s  Kindling kernels=%s%n", threads,
                Runtime.version(), Kindling.kernels());

        List<Side> sides = new ArrayList<>();
        if (engines.contains("kindling")) sides.add(new KindlingSide(threads));
        if (engines.contains("libtorch")) {
            sides.add(new TorchSide());
            System.out.println("   libtorch: " + TorchSide.describe());
        }
        tsv.add(String.join("\t", "info", Integer.toString(threads), "kernels", Kindling.kernels()));

        if (peak) {
            double p = FmaPeak.peak(threads);
            System.out.printf("   FP32 FMA peak (Vector API, 12 chains, %d thread%s): %.1f GFLOPS%n",
                    threads, threads == 1 ? "" : "s", p);
            tsv.add(String.join("\t", "peak", Integer.toString(threads), fmt(p)));
        }

        System.out.printf("   %-22s %-9s %12s %12s %12s %8s  %s%n", "case", "engine", "median", "p25", "p75", "samples", "check");
        for (Case c : Case.all()) {
            if (only != null && !only.contains(c.id())) continue;
            runCase(c, sides, threads, warmNs, budgetNs, tsv);
        }
        for (Side s : sides) s.close();

        if (out != null) {
            if (out.getParent() != null) Files.createDirectories(out.getParent());
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
                for (String line : tsv) w.println(line);
            }
        }
    }

    private static void runCase(Case c, List<Side> sides, int threads, long warmNs, long budgetNs, List<String> tsv) {
        float[][] operands = operands(c);
        int n = sides.size();
        Side.Prepared[] prepared = new Side.Prepared[n];
        String[] failure = new String[n];
        float[][] results = new float[n][];
        for (int i = 0; i < n; i++) {
            try {
                prepared[i] = sides.get(i).prepare(c, operands);
                results[i] = prepared[i].result();
            } catch (Throwable t) {
                failure[i] = describe(t);
            }
        }
        String check = check(c, operands, results, sides);

        double[] perCall = new double[n];
        int[] batch = new int[n];
        int[] reps = new int[n];
        List<List<Double>> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            samples.add(new ArrayList<>());
            if (failure[i] != null) continue;
            Side.Prepared p = prepared[i];
            try {
                perCall[i] = Harness.warmUp(p::call, warmNs, c.kind() == Case.Kind.SGEMM ? 3 : 50);
                batch[i] = Harness.batchFor(perCall[i]);
                long perRound = (long) (budgetNs / ROUNDS / (perCall[i] * batch[i]));
                reps[i] = (int) Math.max(2, Math.min(15, perRound));
            } catch (Throwable t) {
                failure[i] = describe(t);
            }
        }
        for (int r = 0; r < ROUNDS; r++) {
            for (int i = 0; i < n; i++) {
                if (failure[i] != null) continue;
                try {
                    // a short re-warm: the other side just ran, and may have left caches cold
                    if (perCall[i] * batch[i] < 50e6) Harness.sample(prepared[i]::call, batch[i], 1);
                    samples.get(i).addAll(Harness.sample(prepared[i]::call, batch[i], reps[i]));
                } catch (Throwable t) {
                    failure[i] = describe(t);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            String engine = sides.get(i).name();
            if (failure[i] != null) {
                System.out.printf("   %-22s %-9s FAILED: %s%n", c.id(), engine, failure[i]);
                tsv.add(String.join("\t", "result", Integer.toString(threads), c.id(), engine,
                        "NaN", "NaN", "NaN", "0", "failed: " + failure[i].replace('\t', ' ')));
                continue;
            }
            List<Double> s = samples.get(i);
            double med = Harness.median(s);
            double p25 = Harness.quantile(s, 0.25);
            double p75 = Harness.quantile(s, 0.75);
            String extra = c.kind() == Case.Kind.SGEMM ? String.format("  %.1f GFLOPS", c.flops() / med) : "";
            System.out.printf("   %-22s %-9s %12s %12s %12s %8d  %s%s%n", c.id(), engine, time(med), time(p25), time(p75),
                    s.size(), check, extra);
            tsv.add(String.join("\t", "result", Integer.toString(threads), c.id(), engine,
                    fmt(med), fmt(p25), fmt(p75), Integer.toString(s.size()), check));
        }
        for (Side.Prepared p : prepared) {
            if (p == null) continue;
            try {
                p.close();
            } catch (Exception ignored) {
                // best effort: the process ends soon
            }
        }
        KindlingSide.sink = null;
        System.gc();
    }

    /** Operands from Kindling's own generator (seeded), copied to both sides. */
    static float[][] operands(Case c) {
        float[][] ops = new float[c.arity()][];
        for (int k = 0; k < ops.length; k++) {
            try {
                Kindling.manualSeed(42 + k);
                Tensor t = Kindling.randn(c.shape());
                ops[k] = t.toFloatArray();
            } catch (RuntimeException e) {
                Random r = new Random(42 + k);
                ops[k] = new float[c.numel()];
                for (int i = 0; i < ops[k].length; i++) ops[k][i] = (float) r.nextGaussian();
            }
        }
        return ops;
    }

    /** "ok", or which side disagrees with a plain-Java (double-accumulated) reference, and where. */
    static String check(Case c, float[][] operands, float[][] results, List<Side> sides) {
        float[] ref = c.kind() == Case.Kind.SGEMM ? null : reference(c, operands);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < results.length; i++) {
            if (results[i] == null) continue;
            String bad = c.kind() == Case.Kind.SGEMM ? checkSgemm(c, operands, results[i]) : compare(c, results[i], ref);
            if (bad != null) {
                if (sb.length() > 0) sb.append("; ");
                sb.append(sides.get(i).name()).append(" WRONG: ").append(bad);
            }
        }
        return sb.length() == 0 ? "ok" : sb.toString();
    }

    /** sgemm: 512 sampled entries (and every corner) against a double-precision dot product. */
    private static String checkSgemm(Case c, float[][] ops, float[] got) {
        int n = c.shape()[0];
        if (got.length != n * n) return "length " + got.length + " != " + n * n;
        float[] a = ops[0];
        float[] b = ops[1];
        Random r = new Random(7);
        double tol = 1e-4 * Math.sqrt(n) * Math.sqrt(n); // |a.b| ~ sqrt(n) for N(0,1) data
        for (int s = 0; s < 512 + 4; s++) {
            int i = s < 4 ? (s & 1) * (n - 1) : r.nextInt(n);
            int j = s < 4 ? (s >> 1) * (n - 1) : r.nextInt(n);
            double want = 0;
            for (int k = 0; k < n; k++) want += (double) a[i * n + k] * b[k * n + j];
            double d = Math.abs(got[i * n + j] - want);
            if (!(d <= tol)) return "C[" + i + "," + j + "] = " + got[i * n + j] + " vs " + (float) want;
        }
        return null;
    }

    private static String compare(Case c, float[] got, float[] want) {
        if (got.length != want.length) return "length " + got.length + " != " + want.length;
        double tol = switch (c.kind()) {
            case SUM -> 1e-3 * Math.sqrt(c.numel());
            case SOFTMAX -> 1e-5;
            default -> 0;
        };
        for (int i = 0; i < got.length; i++) {
            double d = Math.abs((double) got[i] - want[i]);
            if (!(d <= tol)) return "element " + i + ": " + got[i] + " vs " + want[i];
        }
        return null;
    }

    /** Plain-Java (double-accumulated) reference results. */
    static float[] reference(Case c, float[][] ops) {
        float[] a = ops[0];
        switch (c.kind()) {
            case ADD: {
                float[] b = ops[1];
                float[] out = new float[a.length];
                for (int i = 0; i < a.length; i++) out[i] = a[i] + b[i];
                return out;
            }
            case SUM: {
                double s = 0;
                for (float v : a) s += v;
                return new float[] {(float) s};
            }
            case SOFTMAX: {
                int rows = c.shape()[0];
                int cols = c.shape()[1];
                float[] out = new float[a.length];
                for (int i = 0; i < rows; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < cols; j++) max = Math.max(max, a[i * cols + j]);
                    double s = 0;
                    for (int j = 0; j < cols; j++) s += Math.exp(a[i * cols + j] - max);
                    for (int j = 0; j < cols; j++) out[i * cols + j] = (float) (Math.exp(a[i * cols + j] - max) / s);
                }
                return out;
            }
            case TRANSPOSE: {
                int rows = c.shape()[0];
                int cols = c.shape()[1];
                float[] out = new float[a.length];
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
                }
                return out;
            }
            default:
                throw new IllegalStateException();
        }
    }

    private static String describe(Throwable t) {
        while (t.getCause() != null && (t instanceof TorchSide.Throwable0
                || t instanceof java.lang.reflect.InvocationTargetException)) {
            t = t.getCause();
        }
        String m = t.getMessage();
        m = m == null ? "" : m.lines().findFirst().orElse("");
        if (m.length() > 100) m = m.substring(0, 100) + "...";
        return t.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
    }

    static String time(double ns) {
        if (Double.isNaN(ns)) return "-";
        if (ns < 1e3) return String.format("%.0f ns", ns);
        if (ns < 1e6) return String.format("%.2f us", ns / 1e3);
        if (ns < 1e9) return String.format("%.3f ms", ns / 1e6);
        return String.format("%.3f s", ns / 1e9);
    }

    static String fmt(double v) {
        return String.format("%.6g", v);
    }
}
