package org.kindling.hub.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.kindling.hub.Hub;
import org.kindling.plugin.ModelInfo;
import org.kindling.plugin.Prediction;
import org.kindling.plugin.PredictionInput;
import org.kindling.plugin.RunRequest;
import org.kindling.plugin.RunStatus;
import org.kindling.plugin.TensorData;
import org.kindling.plugin.WorkloadResult;
import org.kindling.plugin.WorkloadRun;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code kindling demo}: with the vision bundle, Fashion-MNIST end to end (fetch, train the CNN with a progress bar,
 * export to ONNX and check it in ONNX Runtime, classify test images through the prediction service and draw them
 * as text); without it, or with {@code --mlp}, the built-in spiral MLP.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"With the vision plugin: fetch Fashion-MNIST if missing, train the CNN (vision.train) for one "
                + "epoch, export it to ONNX and verify it in ONNX Runtime, classify test images through the hub's "
                + "prediction service and draw them as text, then say where the report, TensorBoard logs and model are.",
                "Without the vision plugin, or with --mlp: train the built-in demo MLP (demo.mlp) on spiral data."})
final class DemoCommand implements Callable<Integer> {

    static final String VISION_TRAIN = "vision.train";
    static final String MODEL_NAME = "fashion-mnist-cnn";
    static final String DATA_SET = "fashion-mnist";
    static final int PICTURE_ROWS = 14;
    static final int PICTURES_PER_LINE = 3;

    @ParentCommand
    KindlingCommand root;

    @Option(names = "--mlp", description = "Run the spiral MLP demo (demo.mlp) even when the vision plugin is present.")
    boolean mlp;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Epochs of the CNN (default 1), or training steps of the MLP (default 300).")
    Integer epochs;

    @Option(names = "--seed", description = "Random seed (default ${DEFAULT-VALUE}).", defaultValue = "0")
    long seed;

    @Option(names = "--threads", paramLabel = "N",
            description = "Compute threads for training (default: the available cores, ${DEFAULT-VALUE} here).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--limit", paramLabel = "N", description = "Train on the first N images only (default 0: all 60000).")
    int limit;

    @Option(names = "--images", paramLabel = "N", description = "Test images to classify and draw (default ${DEFAULT-VALUE}).",
            defaultValue = "6")
    int images;

    @Override
    public Integer call() throws Exception {
        List<String> problems = new ArrayList<>();
        if (epochs != null && epochs < 1) problems.add("--epochs must be >= 1, got " + epochs);
        if (threads < 1) problems.add("--threads must be >= 1, got " + threads);
        if (limit < 0) problems.add("--limit must be >= 0, got " + limit);
        if (images < 0) problems.add("--images must be >= 0, got " + images);
        if (!problems.isEmpty()) {
            throw new Main.UsageException(String.join("; ", problems));
        }
        long t0 = System.nanoTime();
        try (Hub hub = root.startHub(false)) {
            boolean vision = hub.workloads().describe(VISION_TRAIN).isPresent();
            root.err.println("kindling: hub ready in " + hub.startupMillis() + " ms; " + hub.workloads().list().size()
                    + " workloads, " + hub.plugins().list().size() + " bundles");
            if (mlp || !vision) {
                if (!mlp) {
                    root.err.println("kindling: the vision plugin is not installed; running the spiral MLP demo instead");
                }
                return spiralDemo(hub);
            }
            return fashionDemo(hub, t0);
        }
    }

    /** Options of the {@code vision.train} run the demo starts. */
    Map<String, String> visionOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("dataset", DATA_SET);
        options.put("model", "cnn");
        options.put("epochs", Integer.toString(epochs == null ? 1 : epochs));
        options.put("batch-size", "64");
        options.put("optimizer", "adam");
        options.put("lr", "0.001");
        options.put("schedule", "cosine");
        options.put("threads", Integer.toString(threads));
        options.put("limit", Integer.toString(limit));
        options.put("name", MODEL_NAME);
        return options;
    }

    private int fashionDemo(Hub hub, long t0) throws Exception {
        Path data = fetchData();
        Map<String, String> options = visionOptions();
        WorkloadRun run = hub.workloads().start(VISION_TRAIN, RunRequest.of(options).withSeed(seed));
        root.err.println("training the CNN on Fashion-MNIST (" + VISION_TRAIN + ", run " + run.id() + "): "
                + options.get("epochs") + " epoch(s), batch 64, Adam, cosine schedule, seed " + seed + ", " + threads
                + " threads");
        WorkloadResult result = Progress.follow(run, root.err);
        if (result.status() != RunStatus.SUCCEEDED) {
            Progress.printResult(result, root.out);
            throw new Main.WorkFailedException(VISION_TRAIN + " " + result.status() + ": " + result.message());
        }
        Map<String, Double> m = result.metrics();
        root.out.printf(Locale.ROOT, "trained in %.0f s at %.0f images/s: train accuracy %.2f%%, test accuracy %.2f%%%n",
                m.getOrDefault("seconds", Double.NaN), m.getOrDefault("images_per_second", Double.NaN),
                100 * m.getOrDefault("train_accuracy", Double.NaN), 100 * m.getOrDefault("test_accuracy", Double.NaN));
        root.out.println("ONNX: " + onnxLine(result.message()));

        ModelInfo model = hub.models().get(MODEL_NAME).orElseThrow(() -> new Main.WorkFailedException(
                VISION_TRAIN + " succeeded but the model store has no model named " + MODEL_NAME));
        List<String> labels = Arrays.asList(model.properties().getOrDefault("labels", "").split("\n", -1));
        if (images > 0) {
            List<TextPictures.GreyImage> samples = TextPictures.readTestImages(data, images);
            List<Cell> cells = new ArrayList<>();
            int right = 0;
            for (TextPictures.GreyImage image : samples) {
                Prediction p = hub.predictions().predict(MODEL_NAME,
                        PredictionInput.bytes(TextPictures.png(image), "image/png"));
                int predicted = (int) topValue(p, "top_classes");
                double probability = topValue(p, "top_probabilities");
                right += predicted == image.label() ? 1 : 0;
                cells.add(new Cell(TextPictures.render(image, PICTURE_ROWS),
                        String.format(Locale.ROOT, "%s %.1f%%", label(labels, predicted), 100 * probability),
                        (predicted == image.label() ? "ok, " : "NO, ") + "true " + label(labels, image.label())));
            }
            root.out.println();
            root.out.printf("%d test images through the prediction service (model %s, PNG in):%n", samples.size(),
                    model.reference() + " " + model.format());
            for (String line : layout(cells, PICTURES_PER_LINE)) {
                root.out.println(line);
            }
            root.out.printf("%d of %d right%n%n", right, samples.size());
        }
        root.out.printf(Locale.ROOT, "test accuracy: %.2f%% (10000 test images, %s epoch(s))%n",
                100 * m.getOrDefault("test_accuracy", Double.NaN), options.get("epochs"));
        for (Path artifact : result.artifacts()) {
            String name = artifact.getFileName().toString();
            if (name.equals("report.png")) {
                root.out.println("report:      " + artifact);
            } else if (name.startsWith("events.out.tfevents")) {
                root.out.println("TensorBoard: tensorboard --logdir " + artifact.getParent());
            }
        }
        root.out.println("model:       " + model.reference() + " (" + model.format() + ") at " + hub.models().file(model)
                + "; try: kindling serve, then POST a PNG to /models/" + MODEL_NAME + "/predict");
        root.out.printf(Locale.ROOT, "demo done in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        root.out.flush();
        return 0;
    }

    /** The data set's folder, fetched with {@code kindling data fetch} when missing. */
    private Path fetchData() throws Exception {
        DataCommand.DataSet set = DataCommand.find(DATA_SET);
        Path at = DataCommand.locate(set);
        if (at == null) {
            root.err.println("kindling: " + DATA_SET + " is missing; fetching it (kindling data fetch " + DATA_SET + ")");
            DataCommand data = new DataCommand();
            data.root = root;
            DataCommand.Fetch fetch = new DataCommand.Fetch();
            fetch.parent = data;
            fetch.name = DATA_SET;
            fetch.call();
            at = DataCommand.locate(set);
        }
        return at;
    }

    private static String onnxLine(String message) {
        for (String part : message.split("; ")) {
            if (part.contains("ONNX")) {
                return part;
            }
        }
        return "no ONNX export reported";
    }

    private static double topValue(Prediction p, String output) {
        TensorData t = p.outputs().get(output);
        if (t == null) {
            throw new Main.WorkFailedException("the prediction has no output '" + output + "'; it has "
                    + p.outputs().keySet());
        }
        return t.values()[0];
    }

    private static String label(List<String> labels, int index) {
        return index >= 0 && index < labels.size() ? labels.get(index) : "class " + index;
    }

    /** A text picture with two caption lines under it. */
    record Cell(List<String> picture, String predicted, String truth) {
    }

    /** Lays out cells side by side, {@code perLine} to a row, each column as wide as its widest line. */
    static List<String> layout(List<Cell> cells, int perLine) {
        List<String> lines = new ArrayList<>();
        for (int start = 0; start < cells.size(); start += perLine) {
            List<Cell> row = cells.subList(start, Math.min(cells.size(), start + perLine));
            int height = row.stream().mapToInt(c -> c.picture().size()).max().orElse(0) + 2;
            for (int y = 0; y < height; y++) {
                StringBuilder line = new StringBuilder();
                for (Cell c : row) {
                    int width = Math.max(c.picture().isEmpty() ? 0 : c.picture().get(0).length(),
                            Math.max(c.predicted().length(), c.truth().length()));
                    int p = c.picture().size();
                    String text = y < p ? c.picture().get(y) : y == p ? c.predicted() : c.truth();
                    line.append(String.format("%-" + width + "s", text)).append("   ");
                }
                lines.add(line.toString().stripTrailing());
            }
            lines.add("");
        }
        return lines;
    }

    private int spiralDemo(Hub hub) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("epochs", Integer.toString(epochs == null ? 300 : epochs));
        WorkloadRun run = hub.workloads().start("demo.mlp", RunRequest.of(options).withSeed(seed));
        root.err.println("training demo.mlp (run " + run.id() + ")");
        WorkloadResult result = Progress.follow(run, root.err);
        Progress.printResult(result, root.out);
        if (result.status() != RunStatus.SUCCEEDED) {
            throw new Main.WorkFailedException(result.status() + ": " + result.message());
        }
        float[][] points = {{0f, 0.5f}, {-0.43f, -0.25f}, {0.43f, -0.25f}};
        root.out.println("predictions with the stored model demo-mlp:");
        for (float[] p : points) {
            Prediction prediction = hub.predictions().predict("demo-mlp",
                    PredictionInput.tensors(Map.of("x", TensorData.float32(new int[] {1, 2}, p))));
            root.out.printf("  (%5.2f, %5.2f) -> %s%n", p[0], p[1], prediction.summary());
        }
        root.out.flush();
        return 0;
    }
}
