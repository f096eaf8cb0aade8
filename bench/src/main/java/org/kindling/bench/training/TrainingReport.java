package org.kindling.bench.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Markdown report from the TSV files {@link TrainingBench} writes (one per thread count): per
 * workload and thread count, Kindling's and libtorch's median step time, the ratio
 * Kindling/libtorch (lower is better; 1.00 = as fast), the floor (at 2 threads) met or missed, and the
 * CPU other processes used during the timed steps (rows above 0.15 cores, plus half of the cores the
 * run leaves idle, are marked contended).
 */
public final class TrainingReport {
    /** Kindling/libtorch step-time ceilings at 2 threads. */
    static final Map<String, Double> FLOORS = Map.of("mlp", 1.25, "cnn", 1.5, "lstm", 1.5);
    static final int FLOOR_THREADS = 2;
    /** Cores used by other processes during the timed steps above which a row is marked. */
    static final double CONTENDED = 0.15;

    private TrainingReport() {}

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        // key: threads|case|engine -> fields
        Map<String, String[]> results = new LinkedHashMap<>();
        Map<String, String> failed = new LinkedHashMap<>();
        List<String[]> heap = new ArrayList<>();
        List<String> threadsSeen = new ArrayList<>();
        int cores = 2;
        for (String a : args) {
            for (String line : Files.readAllLines(Path.of(a))) {
                String[] f = line.split("\t");
                switch (f[0]) {
                    case "info" -> {
                        if (!threadsSeen.contains(f[1])) threadsSeen.add(f[1]);
                        if (f.length > 5) cores = Integer.parseInt(f[5]);
                    }
                    case "result" -> results.put(f[1] + "|" + f[2] + "|" + f[3], f);
                    case "failed" -> failed.put(f[1] + "|" + f[2] + "|" + f[3], f[4]);
                    case "heap" -> heap.add(f);
                    default -> { }
                }
            }
        }
        System.out.println("| step | threads | Kindling ms (p25..p75) | libtorch ms (p25..p75) | Kindling/libtorch | floor (2 threads) | others' CPU (Kindling / libtorch) |");
        System.out.println("|---|---:|---:|---:|---:|---|---:|");
        for (Workload w : Workload.values()) {
            for (String t : threadsSeen) {
                String[] k = results.get(t + "|" + w.id + "|kindling");
                String[] l = results.get(t + "|" + w.id + "|libtorch");
                String kf = failed.get(t + "|" + w.id + "|kindling");
                String lf = failed.get(t + "|" + w.id + "|libtorch");
                if (k == null && l == null && kf == null && lf == null) continue;
                String ks = k != null ? cell(k) : kf != null ? "FAILED" : "-";
                String ls = l != null ? cell(l) : lf != null ? "FAILED" : "-";
                String ratio = "-";
                String floor = "-";
                if (k != null && l != null) {
                    double r = Double.parseDouble(k[4]) / Double.parseDouble(l[4]);
                    ratio = String.format("%.2f", r);
                    double fl = FLOORS.get(w.id);
                    if (Integer.parseInt(t) == FLOOR_THREADS) {
                        floor = r <= fl ? String.format("<= %.2f: met", fl)
                                : String.format("<= %.2f: missed by %.0f%% (%.2fx over)", fl, (r / fl - 1) * 100, r / fl);
                    } else {
                        floor = String.format("(%.2f applies at %d threads)", fl, FLOOR_THREADS);
                    }
                }
                double allowed = CONTENDED + 0.5 * Math.max(0, cores - Integer.parseInt(t));
                String other = otherLoad(k, l, allowed);
                if (other.endsWith("(contended)") && !floor.equals("-")) floor = "not judged (contended)";
                System.out.printf("| %s | %s | %s | %s | %s | %s | %s |%n", w.title, t, ks, ls, ratio, floor, other);
            }
        }
        if (!failed.isEmpty()) {
            System.out.println();
            for (var e : failed.entrySet()) {
                String[] k = e.getKey().split("\\|");
                System.out.printf("- %s, %s threads, %s FAILED: %s%n", k[1], k[0], k[2], e.getValue());
            }
        }
        for (String[] h : heap) {
            System.out.println();
            boolean gc = Long.parseLong(h[7]) > 0;
            System.out.printf("Java heap, Kindling %s step (%s threads), %s steps after a System.gc() baseline of %.1f MiB:"
                            + " peak %.1f MiB (sum of the heap pools' peak usage, garbage included; %s GCs in those steps%s);"
                            + " live heap (after System.gc()) after forward + loss %.1f MiB, after backward %.1f MiB;"
                            + " %.1f MiB allocated per step.%n",
                    h[2], h[1], h[11], d(h[4]), d(h[5]), h[7],
                    gc ? String.format(", largest heap right after one of them %.1f MiB", d(h[8])) : "",
                    d(h[9]), d(h[10]), d(h[6]));
        }
    }

    /** Others' CPU during the timed steps: one figure (one JVM) or Kindling's / libtorch's (two JVMs). */
    private static String otherLoad(String[] k, String[] l, double allowed) {
        Double lk = k != null && k.length > 9 ? d(k[9]) : null;
        Double ll = l != null && l.length > 9 ? d(l[9]) : null;
        if (lk == null && ll == null) return "-";
        boolean contended = (lk != null && lk > allowed) || (ll != null && ll > allowed);
        String v = lk != null && ll != null && !k[9].equals(l[9])
                ? String.format("%.2f / %.2f cores", lk, ll)
                : String.format("%.2f cores", lk != null ? lk : ll);
        return v + (contended ? " (contended)" : "");
    }

    private static double d(String s) {
        return Double.parseDouble(s);
    }

    private static String cell(String[] f) {
        return String.format("%.2f (%.2f..%.2f)", Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]));
    }
}
