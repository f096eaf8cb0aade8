package org.kindling.train;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar for long work, tqdm style:
 * {@code epoch 1/5 [=========>          ] 234/469  loss 0.4123  acc 86.1%  2,345 samples/s  ETA 0:12}.
 * On a terminal the line is redrawn in place (at most ten times a second); when the output is
 * a file or a pipe, a plain line is printed every tenth of the way so logs stay readable.
 *
 * <pre>
 * var bar = new ProgressBar("epoch 1/5", loader.size(), System.err);
 * for (var batch : loader) {
 *     ...
 *     bar.step(batchSize, Map.of("loss", loss.item()));
 * }
 * bar.close();
 * </pre>
 */
public final class ProgressBar implements AutoCloseable {
    private static final int WIDTH = 24;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean interactive;
    private final LongSupplier clock;
    private final long start;
    private final Map<String, Double> metrics = new LinkedHashMap<>();
    private long done;
    private long samples;
    private long lastDraw = Long.MIN_VALUE;
    private int lastDecile = -1;
    private boolean closed;

    /** A bar over {@code total} steps writing to {@code out}; interactive when a console is attached. */
    public ProgressBar(String label, long total, PrintStream out) {
        this(label, total, out, System.console() != null, System::nanoTime);
    }

    /** For tests and non-console use: explicit mode and clock. */
    public ProgressBar(String label, long total, PrintStream out, boolean interactive, LongSupplier nanoClock) {
        if (total < 0) throw new IllegalArgumentException("total must be >= 0, got " + total);
        this.label = label;
        this.total = total;
        this.out = out;
        this.interactive = interactive;
        this.clock = nanoClock;
        this.start = nanoClock.getAsLong();
    }

    /** One step done, covering {@code sampleCount} samples, with the latest metric values. */
    public void step(long sampleCount, Map<String, Double> latest) {
        done++;
        samples += sampleCount;
        metrics.putAll(latest);
        long now = clock.getAsLong();
        if (interactive) {
            if (now - lastDraw >= REDRAW_NANOS || done == total) {
                lastDraw = now;
                out.print("\r" + render(now));
                out.flush();
            }
        } else {
            int decile = total == 0 ? 10 : (int) (done * 10 / total);
            if (decile != lastDecile && (decile > lastDecile)) {
                lastDecile = decile;
                if (done != total) out.println(render(now));
            }
        }
    }

    /** Steps done so far. */
    public long done() {
        return done;
    }

    /** The current line, without control characters. */
    public String render() {
        return render(clock.getAsLong());
    }

    private String render(long now) {
        StringBuilder sb = new StringBuilder(label).append(' ');
        int filled = total == 0 ? WIDTH : (int) Math.min(WIDTH, done * WIDTH / total);
        sb.append('[');
        for (int i = 0; i < WIDTH; i++) sb.append(i < filled ? '=' : (i == filled ? '>' : ' '));
        sb.append("] ").append(done).append('/').append(total);
        for (var e : metrics.entrySet()) {
            sb.append("  ").append(e.getKey()).append(' ').append(formatMetric(e.getKey(), e.getValue()));
        }
        double secs = (now - start) / 1e9;
        if (secs > 0 && samples > 0) {
            sb.append(String.format(Locale.ROOT, "  %,.0f samples/s", samples / secs));
        }
        if (done > 0 && done < total && secs > 0) {
            long eta = Math.round(secs / done * (total - done));
            sb.append(String.format(Locale.ROOT, "  ETA %d:%02d", eta / 60, eta % 60));
        } else if (done >= total) {
            long t = Math.round(secs);
            sb.append(String.format(Locale.ROOT, "  %d:%02d", t / 60, t % 60));
        }
        return sb.toString();
    }

    private static String formatMetric(String name, double v) {
        if (name.contains("acc")) return String.format(Locale.ROOT, "%.1f%%", v * 100);
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** Prints the final line. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        String line = render(clock.getAsLong());
        if (interactive) {
            out.print("\r" + line + "\n");
        } else {
            out.println(line);
        }
        out.flush();
    }
}
