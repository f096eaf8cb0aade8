package org.kindling.bench.compare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Merges the per-thread-count result files of {@link Compare} into one Markdown report: the
 * table of figures with Kindling/libtorch ratios, the FMA peak and sgemm's share of it, and the
 * issue's floors (at 2 threads), each met or missed by how much.
 *
 * <p>Ratio = Kindling throughput / libtorch throughput (= libtorch time / Kindling time):
 * above 1 means Kindling is faster.
 */
public final class Report {
    private Report() {}

    /** One process's figures for a case and engine, or several runs combined (perRun: each run's median). */
    record Row(double median, double p25, double p75, int samples, String check, List<Double> perRun) {}

    /** Median over runs of the runs' medians; p25/p75 likewise; any failed check is kept. */
    static Row combine(List<Row> rows) {
        List<Row> ok = rows.stream().filter(r -> !Double.isNaN(r.median())).toList();
        String check = rows.stream().map(Row::check).filter(c -> !"ok".equals(c)).findFirst().orElse("ok");
        if (ok.isEmpty()) return new Row(Double.NaN, Double.NaN, Double.NaN, 0, check, List.of());
        List<Double> medians = ok.stream().map(Row::median).toList();
        return new Row(Harness.median(medians), Harness.median(ok.stream().map(Row::p25).toList()),
                Harness.median(ok.stream().map(Row::p75).toList()), ok.stream().mapToInt(Row::samples).sum(), check,
                medians);
    }

    /** A floor of the issue: at 2 threads, ratio on case id must be at least min (or above, if strict). */
    record Floor(String id, double min, boolean strict, String text) {}

    static final List<Floor> FLOORS = List.of(
            new Floor("sgemm-512", 0.6, false, "sgemm n=512 >= 0.6x libtorch GFLOPS"),
            new Floor("sgemm-1024", 0.6, false, "sgemm n=1024 >= 0.6x libtorch GFLOPS"),
            new Floor("sgemm-2048", 0.6, false, "sgemm n=2048 >= 0.6x libtorch GFLOPS"),
            new Floor("add-1e6", 0.8, false, "add 1e6 >= 0.8x libtorch throughput"),
            new Floor("sum-1e6", 0.8, false, "sum 1e6 >= 0.8x libtorch throughput"),
            new Floor("softmax-1024x1024", 0.8, false, "softmax 1024x1024 >= 0.8x libtorch throughput"),
            new Floor("add-1e3", 1.0, true, "add 1e3 faster than libtorch through DJL"));

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        // runs.get(threads).get(caseId).get(engine): one Row per process (bench/run.sh repeats the
        // processes RUNS times); the report's figure is the median over runs of each run's median.
        Map<Integer, Map<String, Map<String, List<Row>>>> runs = new LinkedHashMap<>();
        Map<Integer, Double> peaks = new LinkedHashMap<>();
        String kernels = "?";
        for (String a : args) {
            for (String line : Files.readAllLines(Path.of(a))) {
                String[] f = line.split("\t");
                switch (f[0]) {
                    case "info" -> kernels = f[3];
                    case "peak" -> peaks.merge(Integer.parseInt(f[1]), Double.parseDouble(f[2]), Math::max);
                    case "result" -> runs.computeIfAbsent(Integer.parseInt(f[1]), k -> new LinkedHashMap<>())
                            .computeIfAbsent(f[2], k -> new LinkedHashMap<>())
                            .computeIfAbsent(f[3], k -> new ArrayList<>())
                            .add(new Row(Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                                    Double.parseDouble(f[6]), Integer.parseInt(f[7]), f.length > 8 ? f[8] : "", List.of()));
                    default -> { }
                }
            }
        }
        Map<Integer, Map<String, Map<String, Row>>> results = new LinkedHashMap<>();
        runs.forEach((t, byCase) -> byCase.forEach((id, byEngine) -> byEngine.forEach((engine, rows) ->
                results.computeIfAbsent(t, k -> new LinkedHashMap<>()).computeIfAbsent(id, k -> new LinkedHashMap<>())
                        .put(engine, combine(rows)))));
        List<Integer> threads = new ArrayList<>(new TreeSet<>(results.keySet()));
        StringBuilder sb = new StringBuilder();

        sb.append("Kindling kernels: ").append(kernels)
                .append(". Ratio = Kindling throughput / libtorch throughput (> 1: Kindling faster).\n")
                .append("sgemm in GFLOPS (2n^3 / median time); other ops: median time per call, result allocation included.\n\n");
        sb.append("| op | size |");
        for (int t : threads) sb.append(" Kindling ").append(t).append("T | libtorch ").append(t).append("T | ratio ").append(t).append("T |");
        sb.append('\n').append("|---|---|");
        for (int ignored : threads) sb.append("---:|---:|---:|");
        sb.append('\n');
        for (Case c : Case.all()) {
            String[] label = label(c);
            sb.append("| ").append(label[0]).append(" | ").append(label[1]).append(" |");
            for (int t : threads) {
                Row k = get(results, t, c.id(), "kindling");
                Row p = get(results, t, c.id(), "libtorch");
                sb.append(' ').append(figure(c, k)).append(" | ").append(figure(c, p)).append(" | ")
                        .append(ratioText(k, p)).append(" |");
            }
            sb.append('\n');
        }

        if (!peaks.isEmpty()) {
            sb.append("\nFP32 FMA peak (Vector API loop, 12 independent fma chains per thread) and sgemm's share of it:\n\n");
            sb.append("| threads | FMA peak GFLOPS |");
            for (Case c : Case.all()) if (c.kind() == Case.Kind.SGEMM) sb.append(" n=").append(c.shape()[0]).append(" Kindling / libtorch |");
            sb.append("\n|---:|---:|");
            for (Case c : Case.all()) if (c.kind() == Case.Kind.SGEMM) sb.append("---:|");
            sb.append('\n');
            for (int t : threads) {
                Double peak = peaks.get(t);
                sb.append("| ").append(t).append(" | ").append(peak == null ? "-" : String.format("%.1f", peak)).append(" |");
                for (Case c : Case.all()) {
                    if (c.kind() != Case.Kind.SGEMM) continue;
                    Row k = get(results, t, c.id(), "kindling");
                    Row p = get(results, t, c.id(), "libtorch");
                    sb.append(' ').append(share(c, k, peak)).append(" / ").append(share(c, p, peak)).append(" |");
                }
                sb.append('\n');
            }
        }

        int ft = threads.contains(2) ? 2 : threads.isEmpty() ? 2 : threads.get(threads.size() - 1);
        sb.append("\nFloors of the issue (").append(ft).append(" threads):\n\n");
        sb.append("| floor | ratio | verdict |\n|---|---:|---|\n");
        for (Floor f : FLOORS) {
            Row k = get(results, ft, f.id(), "kindling");
            Row p = get(results, ft, f.id(), "libtorch");
            double r = ratio(k, p);
            String verdict;
            if (Double.isNaN(r)) {
                verdict = "not measured";
            } else if (f.strict() ? r > f.min() : r >= f.min()) {
                verdict = "met";
            } else {
                verdict = String.format("MISSED by %.0f%% (needs %.2fx%s)", 100 * (f.min() - r) / f.min(), f.min(),
                        f.strict() ? "+" : "");
            }
            if (k != null && !"ok".equals(k.check())) verdict += " — check: " + k.check();
            sb.append("| ").append(f.text()).append(" | ").append(Double.isNaN(r) ? "-" : String.format("%.2fx", r))
                    .append(" | ").append(verdict).append(" |\n");
        }

        sb.append("\nSpread: p25 .. p75 of the per-call time samples (median over runs; \"noisy\" where p75 > 1.3 x p25,"
                + " a sign of outside load), each run's median, and the correctness check:\n\n");
        sb.append("| threads | case | Kindling p25 .. p75 | Kindling per run | libtorch p25 .. p75 | libtorch per run | check |\n"
                + "|---:|---|---|---|---|---|---|\n");
        for (int t : threads) {
            for (Case c : Case.all()) {
                Row k = get(results, t, c.id(), "kindling");
                Row p = get(results, t, c.id(), "libtorch");
                if (k == null && p == null) continue;
                String check = k != null ? k.check() : p.check();
                sb.append("| ").append(t).append(" | ").append(c.id()).append(" | ").append(spread(k)).append(" | ")
                        .append(perRun(k)).append(" | ").append(spread(p)).append(" | ").append(perRun(p)).append(" | ")
                        .append(check).append(" |\n");
            }
        }
        System.out.print(sb);
    }

    private static Row get(Map<Integer, Map<String, Map<String, Row>>> r, int t, String id, String engine) {
        Map<String, Map<String, Row>> byCase = r.get(t);
        if (byCase == null) return null;
        Map<String, Row> byEngine = byCase.get(id);
        return byEngine == null ? null : byEngine.get(engine);
    }

    private static String[] label(Case c) {
        return switch (c.kind()) {
            case SGEMM -> new String[] {"sgemm (GFLOPS)", "n=" + c.shape()[0]};
            case ADD -> new String[] {"add", c.id().substring(c.id().indexOf('-') + 1) + " + " + c.id().substring(c.id().indexOf('-') + 1)};
            case SUM -> new String[] {"sum", "1e6"};
            case SOFTMAX -> new String[] {"softmax(-1)", "1024x1024"};
            case TRANSPOSE -> new String[] {"transpose+contiguous", "1024x1024"};
        };
    }

    private static boolean ok(Row r) {
        return r != null && !Double.isNaN(r.median());
    }

    private static String figure(Case c, Row r) {
        if (r == null) return "-";
        if (!ok(r)) return "fails";
        String v = c.kind() == Case.Kind.SGEMM ? String.format("%.1f", c.flops() / r.median()) : Compare.time(r.median());
        return "ok".equals(r.check()) ? v : v + " (WRONG)";
    }

    static double ratio(Row k, Row p) {
        if (!ok(k) || !ok(p)) return Double.NaN;
        return p.median() / k.median();
    }

    private static String ratioText(Row k, Row p) {
        double r = ratio(k, p);
        return Double.isNaN(r) ? "-" : String.format("%.2fx", r);
    }

    private static String share(Case c, Row r, Double peak) {
        if (!ok(r) || peak == null) return "-";
        return String.format("%.0f%%", 100 * c.flops() / r.median() / peak);
    }

    private static String spread(Row r) {
        if (r == null) return "-";
        if (!ok(r)) return "fails";
        return Compare.time(r.p25()) + " .. " + Compare.time(r.p75()) + (r.p75() > 1.3 * r.p25() ? " noisy" : "");
    }

    private static String perRun(Row r) {
        if (r == null || r.perRun().isEmpty()) return "-";
        StringBuilder b = new StringBuilder();
        for (double m : r.perRun()) b.append(b.length() == 0 ? "" : ", ").append(Compare.time(m));
        return b.toString();
    }
}
