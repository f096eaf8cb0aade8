package org.kindling.vision.internal;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kindling.plugin.ModelInfo;
import org.kindling.plugin.NewModel;
import org.kindling.plugin.RunStatus;
import org.kindling.plugin.Workload;
import org.kindling.plugin.WorkloadContext;
import org.kindling.plugin.WorkloadProperties;
import org.kindling.plugin.WorkloadResult;
import org.osgi.service.component.annotations.Component;

/**
 * {@code vision.import}: stores an ONNX image classifier made elsewhere (PyTorch's {@code torch.onnx.export}, for
 * instance) with what the image predictor and {@code vision.train init-from=} need: the input geometry read from the
 * ONNX input [N, C, H, W], the class labels from a text file (checked against the model's output size) and the
 * normalisation the model was trained with. {@code kindling models import FILE.onnx --labels FILE} runs it.
 */
@Component
@WorkloadProperties(id = ImportWorkload.ID, title = "Import an ONNX image classifier",
        description = "Checks an ONNX image classifier (one float input [N, C, H, W] with C = 1 or 3, output "
                + "[N, classes] of logits) by running it on blank images, reads one class label per line, and "
                + "stores it for the image predictor, vision.evaluate and vision.train init-from=<model>. Needs the "
                + "onnx plugin.",
        tags = {"vision", "import"},
        options = {"file:string Path of the .onnx file",
                   "labels:string Path of a UTF-8 text file with one class label per line, in output order",
                   "name:string= Model store name (default: the file name without its extension)",
                   "mean:double=0 Input normalisation the model was trained with: (pixel/255 - mean) / std",
                   "std:double=1 See mean; the defaults feed pixel/255 in [0, 1] (torchvision ToTensor alone)"})
public class ImportWorkload implements Workload {

    static final String ID = "vision.import";

    @Override
    public WorkloadResult run(WorkloadContext context) throws Exception {
        Path file = Path.of(context.stringOption("file"));
        Path labelsFile = Path.of(context.stringOption("labels"));
        double mean = context.doubleOption("mean");
        double std = context.doubleOption("std");
        String name = context.stringOption("name");
        if (name.isBlank()) {
            String fileName = file.getFileName().toString();
            name = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
        }
        ModelInfo.checkName(name);
        if (!(std > 0) || !Double.isFinite(mean)) {
            throw new IllegalArgumentException("vision.import: std must be > 0 and mean finite, got mean " + mean
                    + ", std " + std);
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("vision.import: ONNX file not found: " + file);
        }
        if (!OnnxSupport.available()) {
            throw new IllegalStateException("vision.import needs the onnx plugin (org.kindling.onnx) to read "
                    + file.getFileName() + "; install it with 'kindling plugins install'");
        }
        List<String> labels = readLabels(labelsFile);
        context.progress(0.1, "checking " + file.getFileName());
        OnnxSupport.ClassifierShape shape = OnnxSupport.inspectClassifier(file);
        if (shape.classes() != labels.size()) {
            throw new IllegalArgumentException("vision.import: " + file.getFileName() + " scores " + shape.classes()
                    + " classes (output [N, " + shape.classes() + "]) but " + labelsFile.getFileName() + " has "
                    + labels.size() + " labels");
        }
        StoredVisionModel description = new StoredVisionModel(StoredVisionModel.ONNX_GRAPH, shape.channels(),
                shape.height(), shape.width(), mean, std, labels, "");
        Map<String, String> properties = new LinkedHashMap<>(description.properties());
        properties.put("imported.from", file.getFileName().toString());
        properties.put("onnx.input", shape.input());
        ModelInfo stored = context.models().put(new NewModel(name, "onnx", file, ID, Map.of(), properties));
        String message = String.format(Locale.ROOT, "imported %s: ONNX image classifier of [N, %d, %d, %d] images "
                + "(input normalised as (pixel/255 - %s) / %s) into %d classes: %s", stored.reference(),
                shape.channels(), shape.height(), shape.width(), mean, std, labels.size(), String.join(", ", labels));
        context.log(message);
        context.progress(1.0, "stored " + stored.reference());
        return new WorkloadResult(RunStatus.SUCCEEDED, message, Map.of("classes", (double) labels.size()), List.of());
    }

    /** One label per line; blank lines at the end are ignored, blank lines before a label are an error. */
    static List<String> readLabels(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new IOException("labels file " + file + " is not UTF-8 text", e);
        } catch (NoSuchFileException e) {
            throw new IOException("labels file not found: " + file, e);
        }
        List<String> labels = new ArrayList<>();
        for (String line : lines) {
            labels.add(line.strip());
        }
        while (!labels.isEmpty() && labels.get(labels.size() - 1).isEmpty()) {
            labels.remove(labels.size() - 1);
        }
        int blank = labels.indexOf("");
        if (blank >= 0) {
            throw new IOException("labels file " + file + ": line " + (blank + 1) + " is blank; expected one class "
                    + "label per line");
        }
        if (labels.size() < 2) {
            throw new IOException("labels file " + file + " has " + labels.size() + " labels; a classifier has at "
                    + "least 2, one per line");
        }
        return labels;
    }
}
