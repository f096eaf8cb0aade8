package org.kindling.vision.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.kindling.tensor.Tensor;
import org.kindling.plugin.ModelInfo;
import org.kindling.plugin.RunStatus;
import org.kindling.plugin.Workload;
import org.kindling.plugin.WorkloadContext;
import org.kindling.plugin.WorkloadProperties;
import org.kindling.plugin.WorkloadResult;
import org.kindling.vision.ClassificationMetrics;
import org.osgi.service.component.annotations.Component;

/**
 * {@code vision.evaluate}: runs a stored vision model over a test split and reports accuracy, per-class precision
 * and recall and the confusion matrix (as metrics, a CSV file and a PNG chart).
 */
@Component
@WorkloadProperties(id = EvaluateWorkload.ID, title = "Evaluate a stored image classifier",
        description = "Accuracy, per-class precision and recall, and the confusion matrix of a model stored by "
                + "vision.train or vision.import, on the test split of its data set (or another one of the same "
                + "geometry).",
        tags = {"vision", "evaluate"},
        options = {"model:string Stored model name, or name:version",
                   "dataset:string= Data set (default: the one the model was trained on)",
                   "data:string= Folder holding the data set",
                   "limit:int=0 Test examples to use (0: all)",
                   "batch-size:int=256 Examples per forward pass"})
public class EvaluateWorkload implements Workload {

    static final String ID = "vision.evaluate";

    @Override
    public WorkloadResult run(WorkloadContext context) throws Exception {
        String reference = context.stringOption("model");
        ModelInfo info = StoredVisionModel.find(context.models(), reference);
        StoredVisionModel d = StoredVisionModel.of(info);
        String dataset = context.stringOption("dataset").isBlank() ? d.dataset() : context.stringOption("dataset");
        if (dataset.isBlank()) {
            throw new IllegalArgumentException("vision.evaluate: model " + info.reference() + " was imported and names "
                    + "no data set; choose one with dataset=" + String.join("|", VisionData.NAMES));
        }
        String dir = context.stringOption("data");
        int batchSize = context.intOption("batch-size");
        if (batchSize < 1) {
            throw new IllegalArgumentException("vision.evaluate: batch-size must be >= 1, got " + batchSize);
        }
        VisionData data = VisionData.load(new VisionData.Spec(dataset, dir.isBlank() ? null : Path.of(dir), 1,
                context.intOption("limit"), false, d.channels(), d.height(), context.seed()), d.mean(), d.std());
        if (data.channels() != d.channels() || data.height() != d.height() || data.width() != d.width()) {
            throw new IllegalArgumentException("model " + info.reference() + " takes [" + d.channels() + ", "
                    + d.height() + ", " + d.width() + "] images, data set " + dataset + " has [" + data.channels()
                    + ", " + data.height() + ", " + data.width() + "]");
        }
        if (!data.classes().equals(d.labels())) {
            throw new IllegalArgumentException("model " + info.reference() + " predicts " + d.labels()
                    + " but data set " + dataset + " has classes " + data.classes());
        }
        UnaryOperator<Tensor> model = d.forward(info, context.models().file(info));
        context.progress(0.0, "evaluating " + info.reference() + " on " + data.test().size() + " images");
        Evaluation e = Evaluation.run(model, data.test(), data.classes(), batchSize, context::isCancelled);
        ClassificationMetrics m = e.metrics();
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", m.accuracy());
        metrics.put("loss", e.loss());
        for (int c = 0; c < m.classes().size(); c++) {
            metrics.put("precision_" + c, m.precision(c));
            metrics.put("recall_" + c, m.recall(c));
        }
        metrics.forEach(context::metric);
        context.log(info.reference() + " on " + dataset + " test:" + System.lineSeparator() + m.table());
        Path csv = context.outputDir().resolve("confusion.csv");
        writeCsv(csv, m);
        Path png = context.outputDir().resolve("confusion.png");
        String title = String.format(Locale.ROOT, "vision.evaluate: %s on %s, accuracy %.2f%%", info.reference(),
                dataset, 100 * m.accuracy());
        String problem = TrainingReport.tryDraw(() -> TrainingReport.write(png, title, new TrainingReport.Curves(), m));
        if (problem != null) {
            context.log("confusion.png not written: cannot draw charts here (" + problem + ")");
        }
        context.progress(1.0, String.format(Locale.ROOT, "accuracy %.4f", m.accuracy()));
        return new WorkloadResult(RunStatus.SUCCEEDED, String.format(Locale.ROOT,
                "%s: accuracy %.2f%% on %d %s test images; confusion matrix in %s", info.reference(),
                100 * m.accuracy(), m.total(), dataset, csv), metrics, problem == null ? List.of(csv, png) : List.of(csv));
    }

    private static void writeCsv(Path file, ClassificationMetrics m) throws IOException {
        StringBuilder s = new StringBuilder("actual\\predicted");
        for (String c : m.classes()) {
            s.append(',').append(quote(c));
        }
        s.append(",precision,recall\n");
        long[][] cm = m.confusion();
        for (int a = 0; a < cm.length; a++) {
            s.append(quote(m.classes().get(a)));
            for (long v : cm[a]) {
                s.append(',').append(v);
            }
            s.append(String.format(Locale.ROOT, ",%.6f,%.6f%n", m.precision(a), m.recall(a)));
        }
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "confusion", ".tmp");
        try {
            Files.writeString(tmp, s);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String quote(String v) {
        return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
