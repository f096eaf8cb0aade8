package org.kindling.bench.training;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kindling.Kindling;
import org.kindling.bench.training.EpochSetup.DataPath;
import org.kindling.bench.training.EpochSetup.EpochResult;
import org.kindling.vision.datasets.DatasetNotFoundException;

/**
 * Full Fashion-MNIST training epochs of vision's {@code cnn} for one engine, one thread count and one
 * data path ({@code bench/run-epoch.sh} starts one JVM per combination). Each epoch is timed from its
 * first batch to its last step; the mean training loss and accuracy of its batches are printed so
 * that the two engines can be seen to train the same model. The seconds spent in each part of a step
 * ({@link EpochSetup#PHASES}) are recorded too.
 *
 * <pre>
 * EpochBench --engine kindling|libtorch --threads N [--data loader|tensor] [--epochs 2] [--seed 42]
 *            [--limit 0] [--out file.tsv]
 * </pre>
 *
 * <p>Exit status 3 when Fashion-MNIST is not installed (the message names the folders searched and
 * {@code kindling data fetch fashion-mnist}).
 */
public final class EpochBench {
    private EpochBench() {}

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        String engine = null;
        int threads = 0;
        DataPath path = DataPath.LOADER;
        int epochs = 2;
        long seed = 42;
        int limit = 0;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--engine" -> engine = args[++i];
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--data" -> path = DataPath.byId(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--limit" -> limit = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (engine == null || !List.of("kindling", "libtorch").contains(engine)) {
            usage("--engine must be kindling or libtorch, got " + engine);
        }
        if (threads < 1) usage("--threads must be >= 1, got " + threads);
        if (epochs < 1) usage("--epochs must be >= 1, got " + epochs);
        // Kindling's pool also serves the libtorch JVM's small Kindling parts (sampler, initial weights)
        Kindling.setNumThreads(threads);
        EpochRun run;
        try {
            run = engine.equals("kindling") ? new KindlingEpoch(path, seed, limit) : new TorchEpoch(path, seed, limit);
        } catch (DatasetNotFoundException e) {
            System.err.println(e.getMessage());
            System.exit(3);
            return;
        }
        List<String> tsv = new ArrayList<>();
        System.out.printf("== %s, %d threads, data path %s: %s%n", engine, threads, path.id, run.describe());
        tsv.add(String.join("\t", "info", engine, path.id, Integer.toString(threads), run.describe(),
                Integer.toString(Runtime.getRuntime().availableProcessors())));
        try (run) {
            for (int e = 1; e <= epochs; e++) {
                EpochResult r = run.runEpoch(e);
                if (!Double.isFinite(r.meanLoss()) || r.images() == 0) {
                    throw new IllegalStateException(engine + " epoch " + e + ": expected a finite mean loss over some"
                            + " images, got " + r.meanLoss() + " over " + r.images() + " images");
                }
                StringBuilder phases = new StringBuilder();
                for (int p = 0; p < EpochSetup.PHASES.size(); p++) {
                    phases.append(String.format(" %s %.2f s", EpochSetup.PHASES.get(p), r.phaseSeconds()[p]));
                }
                System.out.printf("   epoch %d: %.2f s, %d steps, %d images, train loss %.4f, train accuracy %.4f;"
                                + " others' CPU %.2f cores;%s%n", e, r.seconds(), r.steps(), r.images(), r.meanLoss(),
                        r.accuracy(), r.otherCores(), phases);
                List<String> f = new ArrayList<>(List.of("epoch", engine, path.id, Integer.toString(threads),
                        Integer.toString(e), fmt(r.seconds()), fmt(r.meanLoss()), fmt(r.accuracy()),
                        Integer.toString(r.steps()), Long.toString(r.images()), fmt(r.otherCores())));
                for (double s : r.phaseSeconds()) f.add(fmt(s));
                tsv.add(String.join("\t", f));
            }
        }
        if (out != null) {
            Path dir = out.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, out.getFileName().toString(), ".tmp");
            Files.write(tmp, tsv);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static String fmt(double v) {
        return String.format("%.4f", v);
    }

    private static void usage(String problem) {
        System.err.println("EpochBench: " + problem);
        System.err.println("usage: EpochBench --engine kindling|libtorch --threads N [--data loader|tensor]"
                + " [--epochs 2] [--seed 42] [--limit 0] [--out file.tsv]");
        System.exit(2);
    }
}
