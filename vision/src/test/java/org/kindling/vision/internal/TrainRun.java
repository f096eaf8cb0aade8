package org.kindling.vision.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kindling.plugin.WorkloadResult;

/**
 * Runs vision.train outside a hub, for accuracy measurements on the full data set:
 * {@code java -cp ... org.kindling.vision.internal.TrainRun <output-dir> epochs=10 threads=16 ...}
 * (options as {@code name=value}; the model store is a folder in the output directory).
 */
public final class TrainRun {

    private TrainRun() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Files.createDirectories(Path.of(args[0]));
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        TestHub.Context context = new TestHub.Context(TrainWorkload.class, options, out,
                new TestHub.FolderStore(out.resolve("store")));
        context.echo = true;
        long start = System.nanoTime();
        WorkloadResult result = new TrainWorkload().run(context);
        System.out.printf("%s: %s%nmetrics %s%nwall %.1f s%n", result.status(), result.message(), result.metrics(),
                (System.nanoTime() - start) / 1e9);
    }
}
