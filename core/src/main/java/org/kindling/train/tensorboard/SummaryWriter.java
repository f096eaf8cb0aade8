package org.kindling.train.tensorboard;

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.kindling.tensor.Tensor;
import org.kindling.train.tensorboard.internal.Summaries;
import org.kindling.train.tensorboard.internal.TfRecords;
import org.kindling.train.tensorboard.internal.proto.Event;
import org.kindling.train.tensorboard.internal.proto.SourceMetadata;
import org.kindling.train.tensorboard.internal.proto.Summary;

/**
 * Writes TensorBoard event files, like PyTorch's {@code torch.utils.tensorboard.SummaryWriter}: scalars,
 * histograms, images, text and hyperparameters, each tagged and stamped with a global step and the wall time.
 *
 * <p>One writer owns one file, {@code events.out.tfevents.<seconds>.<host>.<pid>.<n>} in its log folder (created if
 * missing). The file starts with a {@code brain.Event:2} version record; every later record is one {@code Event}
 * holding a {@code Summary}, framed as TFRecords with masked CRC32C checksums. Records are buffered and flushed at
 * most {@link #DEFAULT_FLUSH_INTERVAL} apart, on {@link #flush()} and on {@link #close()}, so TensorBoard can follow
 * a run while it trains. Methods are thread-safe.
 *
 * <pre>
 * try (SummaryWriter tb = new SummaryWriter(Path.of("runs/fashion-cnn"))) {
 *     for (int step = 0; step &lt; 100; step++) {
 *         tb.addScalar("train/loss", loss(step), step);
 *     }
 *     tb.addHistogram("fc1/weight", model.fc1.weight, 100);
 *     tb.addImage("samples", Kindling.rand(3, 28, 28), 100);   // [C, H, W] in [0, 1]
 *     tb.addText("notes", "lr 1e-3, batch 64", 0);
 *     tb.addHparams(Map.of("lr", 1e-3, "optimizer", "adam"), Map.of("hparam/accuracy", 0.91));
 * }
 * // tensorboard --logdir runs
 * </pre>
 */
public final class SummaryWriter implements Closeable, Flushable {

    /** Longest time records stay in the buffer before a write flushes them. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(5);

    /** Number of equal-width buckets of {@link #addHistogram(String, Tensor, long)}. */
    public static final int DEFAULT_BINS = 30;

    private static final AtomicInteger FILES = new AtomicInteger();

    private final Path logDir;
    private final Path file;
    private final long flushIntervalNanos;
    private OutputStream out;
    private long lastFlush;

    /**
     * Opens a new event file in {@code logDir}.
     *
     * @param logDir the run's folder, created if missing
     * @throws UncheckedIOException naming the folder when it cannot be created or written
     */
    public SummaryWriter(Path logDir) {
        this(logDir, DEFAULT_FLUSH_INTERVAL);
    }

    /**
     * @param logDir the run's folder, created if missing
     * @param flushInterval longest time a record waits in the buffer (zero flushes every record)
     * @throws UncheckedIOException naming the folder when it cannot be created or written
     */
    public SummaryWriter(Path logDir, Duration flushInterval) {
        this.logDir = Objects.requireNonNull(logDir, "logDir");
        if (flushInterval.isNegative()) {
            throw new IllegalArgumentException("flushInterval must be >= 0, got " + flushInterval);
        }
        this.flushIntervalNanos = flushInterval.toNanos();
        long seconds = System.currentTimeMillis() / 1000;
        String name = "events.out.tfevents." + seconds + "." + hostName() + "." + ProcessHandle.current().pid() + "."
                + FILES.incrementAndGet();
        this.file = logDir.resolve(name);
        try {
            Files.createDirectories(logDir);
            out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), 1 << 16);
            writeEvent(Event.newBuilder().setWallTime(now()).setFileVersion("brain.Event:2")
                    .setSourceMetadata(SourceMetadata.newBuilder().setWriter("kindling")).build());
            flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a TensorBoard event file in " + logDir + ": " + e, e);
        }
    }

    /** @return the run's folder */
    public Path logDir() {
        return logDir;
    }

    /** @return the event file this writer appends to */
    public Path file() {
        return file;
    }

    /**
     * Logs one value of a scalar series (TensorBoard's Scalars tab).
     *
     * @param tag series name; slashes group series, as in {@code "train/loss"}
     * @param value the value (stored as float32, as TensorBoard does)
     * @param step global step
     */
    public void addScalar(String tag, double value, long step) {
        write(step, Summaries.scalar(checkTag(tag), value));
    }

    /**
     * Logs several scalars of one step in one event.
     *
     * @param values tag to value
     * @param step global step
     */
    public void addScalars(Map<String, ? extends Number> values, long step) {
        Summary.Builder summary = Summary.newBuilder();
        values.forEach((tag, v) -> summary.addValue(Summaries.scalar(checkTag(tag), v.doubleValue())));
        write(step, summary.build());
    }

    /**
     * Logs the distribution of a tensor's values in {@link #DEFAULT_BINS} equal-width buckets (Histograms and
     * Distributions tabs).
     *
     * @param tag series name
     * @param values any shape; must be finite
     * @param step global step
     * @throws IllegalArgumentException when the tensor is empty or holds NaN or infinite values (the message counts them)
     */
    public void addHistogram(String tag, Tensor values, long step) {
        addHistogram(tag, values.detach().toDoubleArray(), DEFAULT_BINS, step);
    }

    /**
     * @param tag series name
     * @param values the values; must be finite
     * @param bins number of equal-width buckets between the smallest and the largest value
     * @param step global step
     */
    public void addHistogram(String tag, double[] values, int bins, long step) {
        write(step, Summaries.histogram(checkTag(tag), values, bins));
    }

    /**
     * Logs an image given as a tensor of shape [C, H, W] with C = 1 (grey), 3 (RGB) or 4 (RGBA) and values in [0, 1]
     * (clamped), the layout of {@code torchvision.transforms.ToTensor}. Stored PNG-encoded (Images tab).
     *
     * @param tag series name
     * @param chw the image
     * @param step global step
     * @throws IllegalArgumentException naming the shape when it is not [1|3|4, H, W]
     */
    public void addImage(String tag, Tensor chw, long step) {
        addImage(tag, toImage(chw), step);
    }

    /**
     * @param tag series name
     * @param image the image, PNG-encoded into the event
     * @param step global step
     */
    public void addImage(String tag, BufferedImage image, long step) {
        write(step, Summaries.image(checkTag(tag), image));
    }

    /**
     * Logs text, rendered as Markdown by TensorBoard's Text tab.
     *
     * @param tag series name
     * @param text the text
     * @param step global step
     */
    public void addText(String tag, String text, long step) {
        write(step, Summaries.text(checkTag(tag), Objects.requireNonNull(text, "text")));
    }

    /**
     * Logs one hyperparameter session (HParams tab): the hyperparameters of this run and the metrics it reached,
     * the metrics also as scalars at step 0. Values may be numbers, booleans or strings (others are written as text).
     *
     * @param hparams hyperparameter name to value
     * @param metrics metric tag to final value
     */
    public void addHparams(Map<String, ?> hparams, Map<String, ? extends Number> metrics) {
        Map<String, Object> ordered = new LinkedHashMap<>(hparams);
        double t = now();
        Summary.Value[] values = Summaries.hparams(ordered, metrics.keySet(), logDir.getFileName() == null ? ""
                : logDir.getFileName().toString(), t, t);
        for (Summary.Value v : values) {
            write(0, Summary.newBuilder().addValue(v).build());
        }
        addScalars(metrics, 0);
    }

    /** Writes buffered records to the file. */
    @Override
    public synchronized void flush() {
        if (out == null) {
            return;
        }
        try {
            out.flush();
            lastFlush = System.nanoTime();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flush " + file + ": " + e, e);
        }
    }

    /** Flushes and closes the file; later writes throw {@link IllegalStateException}. Idempotent. */
    @Override
    public synchronized void close() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e, e);
        } finally {
            out = null;
        }
    }

    private void write(long step, Summary.Value value) {
        write(step, Summary.newBuilder().addValue(value).build());
    }

    private synchronized void write(long step, Summary summary) {
        if (out == null) {
            throw new IllegalStateException("SummaryWriter for " + file + " is closed");
        }
        try {
            writeEvent(Event.newBuilder().setWallTime(now()).setStep(step).setSummary(summary).build());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + file + ": " + e, e);
        }
        if (System.nanoTime() - lastFlush >= flushIntervalNanos) {
            flush();
        }
    }

    private void writeEvent(Event event) throws IOException {
        TfRecords.write(out, event.toByteArray());
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    private static String checkTag(String tag) {
        if (tag == null || tag.isBlank()) {
            throw new IllegalArgumentException("a summary tag must be non-empty text, got '" + tag + "'");
        }
        return tag;
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException | SecurityException e) {
                host = "localhost";
            }
        }
        return host.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /**
     * Converts a [C, H, W] tensor with values in [0, 1] to an image (grey, RGB or ARGB by channel count).
     *
     * @param chw the tensor
     * @return the image
     * @throws IllegalArgumentException naming the shape when it is not [1|3|4, H, W]
     */
    public static BufferedImage toImage(Tensor chw) {
        int[] s = chw.shape().toArray();
        if (s.length != 3 || (s[0] != 1 && s[0] != 3 && s[0] != 4) || s[1] < 1 || s[2] < 1) {
            throw new IllegalArgumentException("an image tensor must have shape [C, H, W] with C in {1, 3, 4}, got "
                    + chw.shape());
        }
        int c = s[0];
        int h = s[1];
        int w = s[2];
        float[] px = chw.detach().toFloatArray();
        int type = c == 1 ? BufferedImage.TYPE_BYTE_GRAY : c == 3 ? BufferedImage.TYPE_INT_RGB
                : BufferedImage.TYPE_INT_ARGB;
        BufferedImage image = new BufferedImage(w, h, type);
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (c == 1) {
                    image.getRaster().setSample(x, y, 0, toByte(px[i]));
                } else {
                    int rgb = toByte(px[i]) << 16 | toByte(px[plane + i]) << 8 | toByte(px[2 * plane + i]);
                    int alpha = c == 4 ? toByte(px[3 * plane + i]) : 255;
                    image.setRGB(x, y, alpha << 24 | rgb);
                }
            }
        }
        return image;
    }

    private static int toByte(float v) {
        float clamped = Float.isNaN(v) ? 0f : Math.max(0f, Math.min(1f, v));
        return Math.round(clamped * 255f);
    }
}
