package org.kindling.hub.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.kindling.plugin.RunStatus;
import org.kindling.plugin.WorkloadResult;
import org.kindling.plugin.WorkloadRun;

/**
 * Follows a run on the terminal: a live progress bar redrawn in place on a console, or a line per 10% when the
 * output is a file or a pipe. Ctrl-C cancels the run.
 */
final class Progress {

    private static final int WIDTH = 30;

    private Progress() {
    }

    static WorkloadResult follow(WorkloadRun run, PrintWriter err) throws InterruptedException {
        boolean console = System.console() != null;
        Thread cancelOnInterrupt = new Thread(run::cancel, "kindling-cancel-" + run.id());
        Runtime.getRuntime().addShutdownHook(cancelOnInterrupt);
        try {
            int lastDecile = -1;
            long t0 = System.nanoTime();
            while (true) {
                try {
                    WorkloadResult result = run.await(Duration.ofMillis(console ? 100 : 250));
                    String last = bar(result.status() == RunStatus.SUCCEEDED ? 1 : run.progress(), run.progressMessage(), t0);
                    err.println(console ? "\r" + last : last.stripTrailing());
                    err.flush();
                    return result;
                } catch (TimeoutException stillRunning) {
                    if (console) {
                        err.print("\r" + bar(run.progress(), run.progressMessage(), t0));
                        err.flush();
                    } else {
                        int decile = (int) (run.progress() * 10);
                        if (decile != lastDecile) {
                            err.println(bar(run.progress(), run.progressMessage(), t0).stripTrailing());
                            err.flush();
                            lastDecile = decile;
                        }
                    }
                }
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cancelOnInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: the JVM is exiting after Ctrl-C
            }
        }
    }

    static String bar(double fraction, String message, long t0) {
        int filled = (int) Math.round(fraction * WIDTH);
        String seconds = String.format("%.1fs", (System.nanoTime() - t0) / 1e9);
        String line = "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + String.format("%3.0f%%", 100 * fraction)
                + " " + seconds + (message == null || message.isEmpty() ? "" : "  " + message);
        return String.format("%-100s", line.length() > 100 ? line.substring(0, 100) : line);
    }

    static void printResult(WorkloadResult result, PrintWriter out) {
        out.println(result.status() + (result.message().isEmpty() ? "" : ": " + result.message()));
        for (Map.Entry<String, Double> m : result.metrics().entrySet()) {
            out.printf("  %-20s %.6g%n", m.getKey(), m.getValue());
        }
        result.artifacts().forEach(a -> out.println("  artifact " + a));
        out.flush();
    }
}
