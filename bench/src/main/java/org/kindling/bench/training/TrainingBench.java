package org.kindling.bench.training;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kindling.Kindling;

/**
 * Training-step timing of Kindling and/or libtorch (through DJL) for one thread count
 * ({@code bench/run-training.sh} starts one JVM per engine and thread count, as libtorch's thread
 * count is fixed per process; with {@code --engines kindling,libtorch} both run in this JVM).
 *
 * <p>Per workload (MLP, CNN, LSTM): both engines get the same batch; each is built, its first
 * losses are printed (a sanity check: both start near ln(classes) and go down), it is warmed up
 * (at least {@code --warmup} steps and {@code --warm-ms}), then {@code --samples} steps per engine
 * are timed one by one, in {@value #ROUNDS} rounds that alternate the engines (so outside load hits
 * both). The figure is the median step time; p25 and p75 are kept too. The CPU time other processes
 * used during the timed steps is recorded ({@link OtherLoad}); above {@code --max-other} cores (plus
 * half of the cores this process leaves idle: 0.5 of 2 with 1 thread) the timed phase is repeated,
 * up to {@code --retries} times, and the least disturbed attempt is kept.
 *
 * <p>{@code --heap cnn}: after the timing, the Java heap during {@code --heap-steps} Kindling steps
 * of that workload is recorded: {@code System.gc()} for a baseline, the heap pools' peak usage
 * reset, the steps run, then the sum of the pools' peaks, the bytes allocated per step (all
 * threads, {@code com.sun.management.ThreadMXBean}), and the live heap after forward + loss and
 * after backward (see {@code heapPeak}).
 *
 * <pre>
 * TrainingBench --threads N [--cases mlp,cnn,lstm] [--engines kindling,libtorch] [--warmup 5]
 *               [--warm-ms 2000] [--samples 20] [--heap cnn] [--heap-steps 10] [--out file.tsv]
 *               [--max-other 0.15] [--retries 8]
 * </pre>
 */
public final class TrainingBench {
    static final int ROUNDS = 4;

    private TrainingBench() {}

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        int threads = Kindling.getNumThreads();
        List<String> cases = List.of("mlp", "cnn", "lstm");
        List<String> engines = List.of("kindling", "libtorch");
        int warmup = 5;
        long warmMs = 2000;
        int samples = 20;
        String heap = null;
        int heapSteps = 10;
        Path out = null;
        double maxOther = 0.15;
        int retries = 8;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--cases" -> cases = List.of(args[++i].split(","));
                case "--engines" -> engines = List.of(args[++i].split(","));
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--warm-ms" -> warmMs = Long.parseLong(args[++i]);
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--heap" -> heap = args[++i];
                case "--heap-steps" -> heapSteps = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--max-other" -> maxOther = Double.parseDouble(args[++i]);
                case "--retries" -> retries = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        Kindling.setNumThreads(threads);
        List<String> tsv = new ArrayList<>();
        System.out.printf("== threads=%d  JDK %s  Kindling kernels=%s  heap max %d MiB%n", threads,
                Runtime.version(), Kindling.kernels(), Runtime.getRuntime().maxMemory() >> 20);
        if (engines.contains("libtorch")) System.out.println("   libtorch: " + TorchTraining.describe());
        tsv.add(String.join("\t", "info", Integer.toString(threads), "kernels", Kindling.kernels(), "cores",
                Integer.toString(Runtime.getRuntime().availableProcessors())));
        // others may use part of the cores this process leaves idle without disturbing the timing much
        double allowed = maxOther + 0.5 * Math.max(0, Runtime.getRuntime().availableProcessors() - threads);

        for (String id : cases) {
            Workload w = Workload.byId(id);
            runCase(w, engines, threads, warmup, warmMs, samples, allowed, retries, tsv);
            if (w.id.equals(heap) && engines.contains("kindling")) heapPeak(w, threads, heapSteps, tsv);
        }
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            try (PrintWriter pw = new PrintWriter(Files.newBufferedWriter(out))) {
                for (String line : tsv) pw.println(line);
            }
        }
    }

    private static TrainStep build(String engine, Workload w, Workload.Data d) {
        return engine.equals("kindling") ? KindlingTraining.create(w, d) : TorchTraining.create(w, d);
    }

    private static void runCase(Workload w, List<String> engines, int threads, int warmup, long warmMs, int samples,
                                double maxOther, int retries, List<String> tsv) {
        System.out.printf("-- %s: %s%n", w.id, w.title);
        Workload.Data d = w.data(42);
        Map<String, TrainStep> steps = new LinkedHashMap<>();
        for (String e : engines) {
            try {
                TrainStep s = build(e, w, d);
                // sanity: the first losses (cross-entropy of an untrained net ~ ln(classes)), then down
                double l0 = s.stepAndLoss(), l1 = s.stepAndLoss(), l2 = s.stepAndLoss();
                if (!Double.isFinite(l0) || !Double.isFinite(l2)) throw new IllegalStateException("loss not finite: " + l0 + ", " + l2);
                long t0 = System.nanoTime();
                int n = 0;
                while (n < warmup || System.nanoTime() - t0 < warmMs * 1_000_000L) {
                    s.step();
                    n++;
                }
                double after = s.stepAndLoss();
                System.out.printf("   %-9s losses %.4f %.4f %.4f ... after %d warm-up steps (%.0f ms) %.4f%n", e, l0, l1, l2,
                        n, (System.nanoTime() - t0) / 1e6, after);
                tsv.add(String.join("\t", "loss", Integer.toString(threads), w.id, e, fmt(l0), fmt(after), Integer.toString(n)));
                steps.put(e, s);
            } catch (RuntimeException | Error ex) {
                StringWriter sw = new StringWriter();
                ex.printStackTrace(new PrintWriter(sw));
                String first = ex.getClass().getName() + ": " + ex.getMessage();
                System.out.printf("   %-9s FAILED: %s%n%s", e, first, indent(sw.toString(), 12));
                tsv.add(String.join("\t", "failed", Integer.toString(threads), w.id, e, first.replace('\t', ' ').replace('\n', ' ')));
            }
        }
        // timed: ROUNDS rounds, engines alternating (their order flipped every round); the whole
        // phase is repeated (up to --retries more times) while other processes used more than
        // --max-other cores meanwhile, and the attempt with the least outside load is kept
        if (steps.isEmpty()) return;
        Map<String, long[]> best = null;
        double bestLoad = Double.POSITIVE_INFINITY;
        int attempts = 0;
        List<String> order = new ArrayList<>(steps.keySet());
        while (!order.isEmpty()) {
            attempts++;
            Map<String, long[]> times = new LinkedHashMap<>();
            for (String e : order) times.put(e, new long[samples]);
            int[] filled = new int[order.size()];
            OtherLoad load = OtherLoad.start();
            for (int r = 0; r < ROUNDS; r++) {
                int per = samples / ROUNDS + (r < samples % ROUNDS ? 1 : 0);
                List<String> o = new ArrayList<>(order);
                if (r % 2 == 1) java.util.Collections.reverse(o);
                for (String e : o) {
                    TrainStep s = steps.get(e);
                    long[] t = times.get(e);
                    int k = order.indexOf(e);
                    for (int i = 0; i < per; i++) {
                        long a = System.nanoTime();
                        s.step();
                        t[filled[k]++] = System.nanoTime() - a;
                    }
                }
            }
            double other = load.cores();
            if (best == null || other < bestLoad || Double.isNaN(bestLoad)) {
                best = times;
                bestLoad = other;
            }
            if (Double.isNaN(other) || other <= maxOther || attempts > retries) break;
            System.out.printf("   (other processes used %.2f cores during the samples: sampling again)%n", other);
        }
        System.out.printf("   %-9s %10s %10s %10s %10s %8s   others' CPU during the samples: %.2f cores (attempt %d)%n",
                "engine", "median ms", "p25", "p75", "min", "samples", bestLoad, attempts);
        Map<String, Double> med = new LinkedHashMap<>();
        for (String e : steps.keySet()) {
            long[] t = best.get(e).clone();
            Arrays.sort(t);
            double m = pct(t, 0.5) / 1e6, p25 = pct(t, 0.25) / 1e6, p75 = pct(t, 0.75) / 1e6, min = t[0] / 1e6;
            med.put(e, m);
            System.out.printf("   %-9s %10.3f %10.3f %10.3f %10.3f %8d%n", e, m, p25, p75, min, t.length);
            tsv.add(String.join("\t", "result", Integer.toString(threads), w.id, e, fmt(m), fmt(p25), fmt(p75),
                    fmt(min), Integer.toString(t.length), fmt(bestLoad), Integer.toString(attempts)));
        }
        if (med.containsKey("kindling") && med.containsKey("libtorch")) {
            System.out.printf("   ratio kindling/libtorch: %.2f%n", med.get("kindling") / med.get("libtorch"));
        }
        for (TrainStep s : steps.values()) s.close();
    }

    /**
     * Java heap over some Kindling steps of workload w. Three figures: (1) the heap pools' peak
     * usage during {@code n} steps after a {@code System.gc()} baseline (garbage included: with
     * -Xms3g, G1 collects rarely, so this mostly shows how much is allocated between GCs);
     * (2) the largest heap in use right after a GC during those steps (live data at that moment);
     * (3) the live heap (after {@code System.gc()}) at the two fullest points of a step: after
     * forward + loss (parameters, batch and every activation saved for backward) and after backward
     * (parameters with gradients, before the SGD update).
     */
    private static void heapPeak(Workload w, int threads, int n, List<String> tsv) throws InterruptedException {
        Workload.Data d = w.data(42);
        KindlingTraining.Step s = KindlingTraining.create(w, d);
        for (int i = 0; i < 3; i++) s.step();
        List<MemoryPoolMXBean> pools = new ArrayList<>();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.isValid()) pools.add(p);
        }
        long[] afterGcMax = {0};
        List<javax.management.NotificationEmitter> emitters = new ArrayList<>();
        javax.management.NotificationListener listener = (notification, handback) -> {
            if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                    .equals(notification.getType())) return;
            var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                    (javax.management.openmbean.CompositeData) notification.getUserData());
            long used = 0;
            for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (!e.getKey().contains("Metaspace") && !e.getKey().contains("CodeHeap")
                        && !e.getKey().contains("Compressed")) used += e.getValue().getUsed();
            }
            synchronized (afterGcMax) {
                afterGcMax[0] = Math.max(afterGcMax[0], used);
            }
        };
        for (var g : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (g instanceof javax.management.NotificationEmitter em) {
                em.addNotificationListener(listener, null, null);
                emitters.add(em);
            }
        }
        System.gc();
        System.gc();
        Thread.sleep(200);
        synchronized (afterGcMax) {
            afterGcMax[0] = 0;
        }
        long base = 0;
        for (MemoryPoolMXBean p : pools) {
            base += p.getUsage().getUsed();
            p.resetPeakUsage();
        }
        com.sun.management.ThreadMXBean tm = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long alloc0 = allocated(tm);
        long gc0 = gcCount();
        for (int i = 0; i < n; i++) s.step();
        long alloc = allocated(tm) - alloc0;
        long gcs = gcCount() - gc0;
        long peak = 0;
        StringBuilder per = new StringBuilder();
        for (MemoryPoolMXBean p : pools) {
            long pk = p.getPeakUsage().getUsed();
            peak += pk;
            per.append(String.format(" %s=%.1f", p.getName().replace(' ', '_'), pk / 1048576.0));
        }
        Thread.sleep(100);  // notifications are delivered asynchronously
        long liveGc;
        synchronized (afterGcMax) {
            liveGc = afterGcMax[0];
        }
        for (var em : emitters) {
            try {
                em.removeNotificationListener(listener);
            } catch (javax.management.ListenerNotFoundException ignored) {
                // not registered
            }
        }
        long liveFwd = 0, liveBwd = 0;
        for (int i = 0; i < 3; i++) {
            org.kindling.tensor.Tensor loss = s.forwardLoss();
            liveFwd = Math.max(liveFwd, usedAfterGc());
            s.backward(loss);
            liveBwd = Math.max(liveBwd, usedAfterGc());
            s.update();
        }
        double mib = 1048576.0;
        System.out.printf("   heap (kindling %s, %d steps): baseline after GC %.1f MiB; peak %.1f MiB (sum of pool peaks:%s);"
                        + " %d GCs%s; live after forward+loss %.1f MiB, after backward %.1f MiB; allocated %.1f MiB/step%n",
                w.id, n, base / mib, peak / mib, per, gcs,
                gcs > 0 ? String.format(", max heap right after a GC %.1f MiB", liveGc / mib) : "",
                liveFwd / mib, liveBwd / mib, alloc / mib / n);
        tsv.add(String.join("\t", "heap", Integer.toString(threads), w.id, "kindling", fmt(base / mib),
                fmt(peak / mib), fmt(alloc / mib / n), Long.toString(gcs), fmt(liveGc / mib), fmt(liveFwd / mib),
                fmt(liveBwd / mib), Integer.toString(n)));
        s.close();
    }

    private static long usedAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long allocated(com.sun.management.ThreadMXBean tm) {
        long[] ids = tm.getAllThreadIds();
        long sum = 0;
        for (long a : tm.getThreadAllocatedBytes(ids)) if (a > 0) sum += a;
        return sum;
    }

    private static long gcCount() {
        long c = 0;
        for (var g : ManagementFactory.getGarbageCollectorMXBeans()) c += Math.max(0, g.getCollectionCount());
        return c;
    }

    private static double pct(long[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    static String fmt(double v) {
        return String.format("%.4f", v);
    }

    private static String indent(String s, int lines) {
        StringBuilder b = new StringBuilder();
        String[] ls = s.split("\n");
        for (int i = 0; i < Math.min(lines, ls.length); i++) b.append("      ").append(ls[i]).append('\n');
        return b.toString();
    }
}
