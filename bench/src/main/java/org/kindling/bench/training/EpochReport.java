package org.kindling.bench.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Markdown report from the TSV files {@link EpochBench} writes: per run, data path, thread count and
 * epoch, Kindling's and libtorch's epoch time, the ratio Kindling/libtorch (lower is better), the floor
 * (at 2 threads) met or missed, both engines' training loss and accuracy, and the CPU other processes
 * used meanwhile; then where each engine's time went (data, forward + loss, backward, optimizer,
 * metrics).
 *
 * <pre>
 * EpochReport [--run R] file.tsv... [--run R2] file.tsv...
 * </pre>
 */
public final class EpochReport {
    /** Kindling/libtorch epoch-time ceiling at 2 threads (issue 6). */
    static final double FLOOR = 1.5;
    static final int FLOOR_THREADS = 2;

    private EpochReport() {}

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        // key: run|data|threads|epoch -> engine -> epoch fields
        Map<String, Map<String, String[]>> rows = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        int cores = 2;
        String run = "1";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--run")) {
                run = args[++i];
                continue;
            }
            Path file = Path.of(args[i]);
            if (!Files.isRegularFile(file)) {
                missing.add(run + ": " + file);
                continue;
            }
            for (String line : Files.readAllLines(file)) {
                String[] f = line.split("\t");
                if (f[0].equals("info") && f.length > 5) cores = Integer.parseInt(f[5]);
                if (!f[0].equals("epoch")) continue;
                String key = run + "|" + f[2] + "|" + f[3] + "|" + f[4];
                rows.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(f[1], f);
            }
        }
        System.out.println("| run | data path | threads | epoch | Kindling s | libtorch s | Kindling / libtorch"
                + " | floor (2 threads) | Kindling loss / accuracy | libtorch loss / accuracy | others' CPU (Kindling / libtorch) |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---|---|---|---:|");
        for (var e : rows.entrySet()) {
            String[] key = e.getKey().split("\\|");
            String[] k = e.getValue().get("kindling");
            String[] l = e.getValue().get("libtorch");
            int threads = Integer.parseInt(key[2]);
            double allowed = TrainingReport.CONTENDED + 0.5 * Math.max(0, cores - threads);
            boolean contended = (k != null && d(k[10]) > allowed) || (l != null && d(l[10]) > allowed);
            String ratio = "-";
            String floor = "-";
            if (k != null && l != null) {
                double r = d(k[5]) / d(l[5]);
                ratio = String.format("%.2f", r);
                if (threads != FLOOR_THREADS) {
                    floor = String.format("(%.1f applies at %d threads)", FLOOR, FLOOR_THREADS);
                } else if (contended) {
                    floor = "not judged (contended)";
                } else {
                    floor = r <= FLOOR ? String.format("<= %.1f: met", FLOOR)
                            : String.format("<= %.1f: missed by %.0f%%", FLOOR, (r / FLOOR - 1) * 100);
                }
            }
            System.out.printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", key[0], key[1], key[2], key[3],
                    k != null ? String.format("%.1f", d(k[5])) : "-", l != null ? String.format("%.1f", d(l[5])) : "-",
                    ratio, floor, lossAcc(k), lossAcc(l),
                    String.format("%s / %s%s", k != null ? String.format("%.2f", d(k[10])) : "-",
                            l != null ? String.format("%.2f", d(l[10])) : "-", contended ? " (contended)" : ""));
        }
        System.out.println();
        System.out.println("Where the time went (seconds of the epoch, share in brackets):");
        System.out.println();
        StringBuilder head = new StringBuilder("| run | engine | data path | threads | epoch | epoch s |");
        StringBuilder rule = new StringBuilder("|---|---|---|---:|---:|---:|");
        for (String p : EpochSetup.PHASES) {
            head.append(' ').append(p).append(" |");
            rule.append("---:|");
        }
        System.out.println(head);
        System.out.println(rule);
        for (var e : rows.entrySet()) {
            String[] key = e.getKey().split("\\|");
            for (String[] f : e.getValue().values()) {
                StringBuilder row = new StringBuilder(String.format("| %s | %s | %s | %s | %s | %.1f |", key[0], f[1],
                        key[1], key[2], key[3], d(f[5])));
                for (int p = 0; p < EpochSetup.PHASES.size() && 11 + p < f.length; p++) {
                    double s = d(f[11 + p]);
                    row.append(String.format(" %.1f (%.0f %%) |", s, 100 * s / d(f[5])));
                }
                System.out.println(row);
            }
        }
        if (!missing.isEmpty()) {
            System.out.println();
            System.out.println("No results (the JVM failed; see its output above): " + String.join(", ", missing));
        }
    }

    private static String lossAcc(String[] f) {
        return f == null ? "-" : String.format("%.4f / %.2f %%", d(f[6]), 100 * d(f[7]));
    }

    private static double d(String s) {
        return Double.parseDouble(s);
    }
}
