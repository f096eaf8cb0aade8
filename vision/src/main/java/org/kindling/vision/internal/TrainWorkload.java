package org.kindling.vision.internal;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kindling.Kindling;
import org.kindling.data.Batch;
import org.kindling.data.DataLoader;
import org.kindling.data.Example;
import org.kindling.io.Safetensors;
import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.nn.Parameter;
import org.kindling.optim.Adam;
import org.kindling.optim.AdamW;
import org.kindling.optim.Optimizer;
import org.kindling.optim.SGD;
import org.kindling.optim.lr.CosineAnnealingLR;
import org.kindling.optim.lr.LRScheduler;
import org.kindling.optim.lr.MultiStepLR;
import org.kindling.plugin.ModelInfo;
import org.kindling.plugin.NewModel;
import org.kindling.plugin.RunStatus;
import org.kindling.plugin.Workload;
import org.kindling.plugin.WorkloadContext;
import org.kindling.plugin.WorkloadProperties;
import org.kindling.plugin.WorkloadResult;
import org.kindling.tensor.Generator;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;
import org.kindling.train.tensorboard.SummaryWriter;
import org.kindling.vision.ClassificationMetrics;
import org.kindling.vision.Images;
import org.kindling.vision.models.VisionModels;
import org.osgi.service.component.annotations.Component;

/**
 * {@code vision.train}: trains an image classifier, evaluates it on the test split after every epoch, logs to
 * TensorBoard, writes a PNG report (curves and confusion matrix) and stores the weights in the model store. With
 * {@code init-from=<model>} it fine-tunes a stored model instead of a new one: a model of {@code vision.train} (stored
 * again as safetensors and ONNX, whichever format the source was) or an imported ONNX classifier, trained as its graph
 * (through the onnx bundle) and stored as ONNX: the source's graph with the trained weights, since its weights mean
 * nothing without that graph.
 */
@Component
@WorkloadProperties(id = TrainWorkload.ID, title = "Train an image classifier (Fashion-MNIST, MNIST, image folders)",
        description = "Trains mlp, lenet5, cnn (BatchNorm + Dropout) or resnet with Adam, AdamW or SGD and a cosine, "
                + "step or constant learning rate; reports loss, accuracy and images/s per batch, evaluates on the "
                + "test split every epoch, logs TensorBoard scalars, histograms and sample predictions, writes "
                + "report.png (curves and confusion matrix) and stores the model for the image predictor.",
        tags = {"vision", "train"},
        options = {"dataset:string=fashion-mnist fashion-mnist, mnist, fake or folder",
                   "data:string= Folder holding the data set, searched before $KINDLING_DATA, ~/.kindling/data and "
                           + "/usr/share/datasets (for folder: a root with train/ and test/)",
                   "model:string=cnn mlp, lenet5, cnn or resnet",
                   "epochs:int=1 Passes over the training data",
                   "batch-size:int=64 Examples per optimizer step",
                   "optimizer:string=adam adam, adamw or sgd (momentum 0.9)",
                   "lr:double=0.001 Peak learning rate",
                   "schedule:string=cosine Learning rate per step: cosine (to 0 at the end), step (x0.1 at 50% and "
                           + "75% of the steps) or none",
                   "weight-decay:double=0 Weight decay",
                   "augment:boolean=false Random shifts of up to 2 pixels and horizontal flips (not for mnist)",
                   "threads:int=0 Compute threads (0 keeps the current setting)",
                   "limit:int=0 Training examples to use, the first ones (0: all)",
                   "test-limit:int=0 Test examples to use (0: all)",
                   "channels:int=1 Image channels for folder and fake data",
                   "image-size:int=28 Image side for folder and fake data",
                   "name:string= Model store name (default: <dataset>-<model>, or <init-from name>-finetuned)",
                   "init-from:string= Stored model (name or name:version) whose weights training starts from: a "
                           + "vision.train model or an ONNX classifier imported with 'kindling models import FILE.onnx "
                           + "--labels FILE'; its architecture, image geometry, normalisation and class count are "
                           + "used (model, channels and image-size are then ignored)",
                   "samples:int=16 Test images logged to TensorBoard with their predictions"})
public class TrainWorkload implements Workload {

    static final String ID = "vision.train";

    private static final long PROGRESS_NANOS = 1_000_000_000L;

    @Override
    public WorkloadResult run(WorkloadContext context) throws Exception {
        Options o = Options.read(context);
        int previousThreads = Kindling.getNumThreads();
        if (o.threads > 0) {
            Kindling.setNumThreads(o.threads);
        }
        try {
            return train(context, o);
        } finally {
            if (o.threads > 0) {
                Kindling.setNumThreads(previousThreads);
            }
        }
    }

    /** The checked options of one run. */
    private static final class Options {
        String dataset;
        Path data;
        String model;
        int epochs;
        int batchSize;
        String optimizer;
        double lr;
        String schedule;
        double weightDecay;
        boolean augment;
        int threads;
        int limit;
        int testLimit;
        int channels;
        int imageSize;
        String name;
        String initFrom;
        int samples;

        static Options read(WorkloadContext c) {
            Options o = new Options();
            o.dataset = c.stringOption("dataset");
            String data = c.stringOption("data");
            o.data = data.isBlank() ? null : Path.of(data);
            o.model = c.stringOption("model");
            o.epochs = c.intOption("epochs");
            o.batchSize = c.intOption("batch-size");
            o.optimizer = c.stringOption("optimizer").toLowerCase(Locale.ROOT);
            o.lr = c.doubleOption("lr");
            o.schedule = c.stringOption("schedule").toLowerCase(Locale.ROOT);
            o.weightDecay = c.doubleOption("weight-decay");
            o.augment = c.booleanOption("augment");
            o.threads = c.intOption("threads");
            o.limit = c.intOption("limit");
            o.testLimit = c.intOption("test-limit");
            o.channels = c.intOption("channels");
            o.imageSize = c.intOption("image-size");
            o.initFrom = c.stringOption("init-from").strip();
            String name = c.stringOption("name");
            if (!name.isBlank()) {
                o.name = name;
            } else if (!o.initFrom.isEmpty()) {
                int colon = o.initFrom.lastIndexOf(':');
                o.name = (colon > 0 ? o.initFrom.substring(0, colon) : o.initFrom) + "-finetuned";
            } else {
                o.name = o.dataset + "-" + o.model;
            }
            o.samples = c.intOption("samples");
            List<String> problems = new ArrayList<>();
            if (o.epochs < 1) problems.add("epochs must be >= 1, got " + o.epochs);
            if (o.batchSize < 1) problems.add("batch-size must be >= 1, got " + o.batchSize);
            if (!(o.lr > 0)) problems.add("lr must be > 0, got " + o.lr);
            if (o.weightDecay < 0) problems.add("weight-decay must be >= 0, got " + o.weightDecay);
            if (o.threads < 0) problems.add("threads must be >= 0, got " + o.threads);
            if (o.limit < 0 || o.testLimit < 0) problems.add("limit and test-limit must be >= 0");
            if (o.channels != 1 && o.channels != 3) problems.add("channels must be 1 or 3, got " + o.channels);
            if (o.imageSize < 4) problems.add("image-size must be >= 4, got " + o.imageSize);
            if (o.samples < 0) problems.add("samples must be >= 0, got " + o.samples);
            if (!VisionModels.NAMES.contains(o.model)) {
                problems.add("model must be one of " + VisionModels.NAMES + ", got '" + o.model + "'");
            }
            if (!List.of("adam", "adamw", "sgd").contains(o.optimizer)) {
                problems.add("optimizer must be adam, adamw or sgd, got '" + o.optimizer + "'");
            }
            if (!List.of("cosine", "step", "none").contains(o.schedule)) {
                problems.add("schedule must be cosine, step or none, got '" + o.schedule + "'");
            }
            if (!VisionData.NAMES.contains(o.dataset)) {
                problems.add("dataset must be one of " + VisionData.NAMES + ", got '" + o.dataset + "'");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("vision.train: " + String.join("; ", problems));
            }
            ModelInfo.checkName(o.name);
            return o;
        }
    }

    private WorkloadResult train(WorkloadContext context, Options o) throws Exception {
        long seed = context.seed();
        long started = System.nanoTime();
        Source source = o.initFrom.isEmpty() ? null : Source.find(context, o.initFrom);
        VisionData data = source == null
                ? VisionData.load(new VisionData.Spec(o.dataset, o.data, o.limit, o.testLimit, o.augment, o.channels,
                        o.imageSize, seed))
                : source.loadData(o, seed);
        context.log(String.format("data: %s, %d training and %d test images %dx%dx%d, %d classes", data.name(),
                data.train().size(), data.test().size(), data.channels(), data.height(), data.width(),
                data.classes().size()));
        if (source != null && !data.classes().equals(source.description().labels())) {
            context.log("labels: " + source.info().reference() + " has " + source.description().labels() + ", "
                    + data.name() + " has " + data.classes() + "; the fine-tuned model uses the data set's");
        }

        Kindling.manualSeed(seed);
        Module model = source == null ? VisionModels.create(o.model, data.channels(), data.height(), data.width(),
                data.classes().size()) : source.description().trainable(source.info(), source.file());
        String architecture = source == null ? o.model : source.description().architecture();
        context.log("model: " + architecture + (source == null ? "" : " from " + source.info().reference()) + ", "
                + model.numParameters() + " parameters");
        Evaluation initial = null;
        if (source != null) {
            initial = Evaluation.run(model, data.test(), data.classes(), Math.max(o.batchSize, 256),
                    context::isCancelled);
            context.metric("initial_test_loss", initial.loss());
            context.metric("initial_test_accuracy", initial.metrics().accuracy());
            context.log(String.format(Locale.ROOT, "before training: test loss %.4f acc %.4f", initial.loss(),
                    initial.metrics().accuracy()));
        }
        Optimizer optimizer = optimizer(o, model);
        DataLoader<Example, Batch> loader = DataLoader.builder(data.train()).batchSize(o.batchSize).shuffle(true)
                .generator(new Generator(seed)).build();
        int stepsPerEpoch = loader.size();
        int totalSteps = stepsPerEpoch * o.epochs;
        LRScheduler scheduler = scheduler(o, optimizer, totalSteps);

        Path tensorboardDir = context.outputDir().resolve("tensorboard");
        TrainingReport.Curves curves = new TrainingReport.Curves();
        Evaluation test = null;
        double trainLoss = Double.NaN;
        double trainAccuracy = Double.NaN;
        long images = 0;
        long trainingNanos = 0;
        Path eventFile;
        try (SummaryWriter tb = new SummaryWriter(tensorboardDir); loader) {
            eventFile = tb.file();
            tb.addText("run", String.format("vision.train: %s on %s, %d epochs, batch %d, %s lr %s (%s), augment %s, "
                    + "seed %d", architecture + (source == null ? "" : " from " + source.info().reference()),
                    o.dataset, o.epochs, o.batchSize, o.optimizer, o.lr, o.schedule, o.augment, seed), 0);
            int step = 0;
            for (int epoch = 1; epoch <= o.epochs; epoch++) {
                model.train();
                double lossSum = 0;
                long correct = 0;
                long seen = 0;
                long epochStart = System.nanoTime();
                long lastReport = epochStart;
                int batchIndex = 0;
                for (Batch batch : loader) {
                    context.checkCancelled();
                    optimizer.zeroGrad();
                    Tensor logits = model.forward(batch.x());
                    Tensor loss = F.crossEntropy(logits, batch.y());
                    loss.backward();
                    optimizer.step();
                    if (scheduler != null) {
                        scheduler.step();
                    }
                    int n = batch.batchSize();
                    double l = loss.item();
                    long right;
                    try (var g = GradMode.noGrad()) {
                        right = (long) logits.argmax(1).eq(batch.y()).sum().item();
                    }
                    lossSum += l * n;
                    correct += right;
                    seen += n;
                    step++;
                    batchIndex++;
                    if (step % 10 == 0) {
                        tb.addScalar("train/loss", l, step);
                        tb.addScalar("train/accuracy", (double) right / n, step);
                        tb.addScalar("train/lr", optimizer.getLr(0), step);
                    }
                    long now = System.nanoTime();
                    if (now - lastReport >= PROGRESS_NANOS || batchIndex == stepsPerEpoch) {
                        lastReport = now;
                        double seconds = (now - epochStart) / 1e9;
                        double rate = seen / Math.max(seconds, 1e-9);
                        long remaining = (long) (totalSteps - step) * o.batchSize;
                        context.progress((double) step / totalSteps, String.format(Locale.ROOT,
                                "epoch %d/%d batch %d/%d loss %.4f acc %.4f %.0f img/s ETA %s", epoch, o.epochs,
                                batchIndex, stepsPerEpoch, lossSum / seen, (double) correct / seen, rate,
                                duration(remaining / Math.max(rate, 1e-9))));
                    }
                }
                long epochNanos = System.nanoTime() - epochStart;
                trainingNanos += epochNanos;
                images += seen;
                trainLoss = lossSum / seen;
                trainAccuracy = (double) correct / seen;
                test = Evaluation.run(model, data.test(), data.classes(), Math.max(o.batchSize, 256),
                        context::isCancelled);
                curves.trainLoss().add(trainLoss);
                curves.trainAccuracy().add(trainAccuracy);
                curves.testLoss().add(test.loss());
                curves.testAccuracy().add(test.metrics().accuracy());
                tb.addScalars(Map.of("epoch/train_loss", trainLoss, "epoch/train_accuracy", trainAccuracy,
                        "epoch/test_loss", test.loss(), "epoch/test_accuracy", test.metrics().accuracy()), epoch);
                for (Map.Entry<String, Parameter> p : model.namedParameters().entrySet()) {
                    tb.addHistogram("weights/" + p.getKey(), p.getValue(), epoch);
                }
                tb.flush();
                context.metric("train_loss", trainLoss);
                context.metric("train_accuracy", trainAccuracy);
                context.metric("test_loss", test.loss());
                context.metric("test_accuracy", test.metrics().accuracy());
                context.log(String.format(Locale.ROOT, "epoch %d/%d: train loss %.4f acc %.4f | test loss %.4f acc "
                        + "%.4f | %.1f s, %.0f img/s", epoch, o.epochs, trainLoss, trainAccuracy, test.loss(),
                        test.metrics().accuracy(), epochNanos / 1e9, seen / (epochNanos / 1e9)));
            }
            Evaluation last = test;
            int lastStep = step;
            String samplesProblem = TrainingReport.tryDraw(() -> logSamples(tb, model, data, last, o.samples, lastStep));
            if (samplesProblem != null) {
                context.log("sample predictions not logged to TensorBoard: cannot draw text here (" + samplesProblem
                        + ")");
            }
            Map<String, Object> hparams = new LinkedHashMap<>();
            hparams.put("model", architecture);
            hparams.put("init_from", source == null ? "" : source.info().reference());
            hparams.put("optimizer", o.optimizer);
            hparams.put("lr", o.lr);
            hparams.put("schedule", o.schedule);
            hparams.put("batch_size", o.batchSize);
            hparams.put("epochs", o.epochs);
            hparams.put("augment", o.augment);
            tb.addHparams(hparams, Map.of("hparam/test_accuracy", test.metrics().accuracy(), "hparam/test_loss",
                    test.loss()));
        }

        ClassificationMetrics metrics = test.metrics();
        context.log("test set:" + System.lineSeparator() + metrics.table());
        Path report = context.outputDir().resolve("report.png");
        String reportTitle = String.format(Locale.ROOT, "vision.train: %s on %s, %d epoch%s, test accuracy %.2f%%",
                architecture, data.name(), o.epochs, o.epochs == 1 ? "" : "s", 100 * metrics.accuracy());
        String reportProblem = TrainingReport.tryDraw(() -> TrainingReport.write(report, reportTitle, curves, metrics));
        if (reportProblem != null) {
            context.log("report.png not written: cannot draw charts here (" + reportProblem + ")");
        }

        Path weights = context.outputDir().resolve("model.safetensors");
        model.eval();
        StoredVisionModel description = new StoredVisionModel(architecture, data.channels(), data.height(),
                data.width(), data.mean(), data.std(), data.classes(), data.name());
        Map<String, String> properties = new LinkedHashMap<>(description.properties());
        Map<String, Double> result = new LinkedHashMap<>();
        if (initial != null) {
            properties.put("init_from", source.info().reference());
            result.put("initial_test_accuracy", initial.metrics().accuracy());
            result.put("initial_test_loss", initial.loss());
        }
        result.put("test_accuracy", metrics.accuracy());
        result.put("test_loss", test.loss());
        result.put("train_accuracy", trainAccuracy);
        result.put("train_loss", trainLoss);
        result.put("epochs", (double) o.epochs);
        result.put("images_per_second", images / (trainingNanos / 1e9));
        result.put("seconds", (System.nanoTime() - started) / 1e9);
        List<Path> artifacts = new ArrayList<>(List.of(weights, eventFile));
        if (reportProblem == null) {
            artifacts.add(report);
        }
        ModelInfo stored;
        String onnx;
        if (source != null && source.description().isGraph()) {
            Path file = context.outputDir().resolve("model.onnx");
            double diff = OnnxSupport.writeWithWeights(source.file(), model, weights, file, firstTestImages(data));
            result.put("onnx_max_abs_diff", diff);
            artifacts.add(file);
            stored = context.models().put(new NewModel(o.name, "onnx", file, ID, result, properties));
            context.log("stored " + stored.reference() + " (onnx: the graph of " + source.info().reference()
                    + " with the trained weights)");
            onnx = String.format(Locale.ROOT, "stored as ONNX, the graph of %s with the trained weights (max "
                    + "|difference| to the trained module %.2g)", source.info().reference(), diff);
        } else {
            Safetensors.save(model.stateDict(), weights);
            stored = context.models().put(new NewModel(o.name, "safetensors", weights, ID, result, properties));
            context.log("stored " + stored.reference() + " (safetensors)");
            onnx = exportOnnx(context, o, model, data, properties, result, artifacts);
        }
        context.progress(1.0, String.format(Locale.ROOT, "done: test accuracy %.4f", metrics.accuracy()));
        return new WorkloadResult(RunStatus.SUCCEEDED, String.format(Locale.ROOT,
                "stored model %s: test accuracy %.2f%% after %d epoch%s (%.0f s); %s; report %s; TensorBoard: "
                        + "tensorboard --logdir %s", stored.reference(), 100 * metrics.accuracy(), o.epochs,
                o.epochs == 1 ? "" : "s", result.get("seconds"), onnx, reportProblem == null ? report : "not written",
                tensorboardDir), result, artifacts);
    }

    /**
     * Exports the trained model to ONNX, checks it in ONNX Runtime on a batch of test images, and stores it as the
     * next version of the model when the two agree. Returns one line for the result message.
     */
    private static String exportOnnx(WorkloadContext context, Options o, Module model, VisionData data,
            Map<String, String> properties, Map<String, Double> result, List<Path> artifacts) {
        if (!OnnxSupport.available()) {
            context.log("ONNX export skipped: the onnx plugin is not installed");
            return "no ONNX export (onnx plugin not installed)";
        }
        Path file = context.outputDir().resolve("model.onnx");
        Tensor sample = firstTestImages(data);
        org.kindling.onnx.VerificationReport check;
        try {
            check = OnnxSupport.exportAndVerify(model, sample, file, "vision.train " + o.model + " on " + data.name());
        } catch (RuntimeException e) {
            context.log("ONNX export or ONNX Runtime check failed: " + e.getMessage());
            return "ONNX export failed (" + e.getMessage() + ")";
        }
        double diff = check.maxAbsDiff();
        result.put("onnx_max_abs_diff", diff);
        context.metric("onnx_max_abs_diff", diff);
        context.log(String.format(Locale.ROOT, "ONNX: %s checked in ONNX Runtime on %d test images, max |difference| "
                + "%.3g", file.getFileName(), sample.size(0), diff));
        artifacts.add(file);
        if (!check.agrees(1e-3, 1e-4)) {
            context.log("ONNX model not stored: ONNX Runtime disagrees with Kindling: " + check);
            return String.format(Locale.ROOT, "ONNX export disagrees with ONNX Runtime (max |difference| %.3g), "
                    + "not stored", diff);
        }
        ModelInfo stored = context.models().put(new NewModel(o.name, "onnx", file, ID, result, properties));
        context.log("stored " + stored.reference() + " (onnx)");
        return String.format(Locale.ROOT, "ONNX %s verified in ONNX Runtime (max |difference| %.2g)",
                stored.reference(), diff);
    }

    /** @return up to 8 test images, to check an ONNX file against the module */
    private static Tensor firstTestImages(VisionData data) {
        try (DataLoader<Example, Batch> first = DataLoader.builder(data.test()).batchSize(8).build()) {
            return first.iterator().next().x();
        }
    }

    /** The stored model that {@code init-from} names, with its vision properties and file. */
    private record Source(ModelInfo info, StoredVisionModel description, Path file) {

        static Source find(WorkloadContext context, String reference) throws java.io.IOException {
            ModelInfo info = StoredVisionModel.find(context.models(), reference);
            return new Source(info, StoredVisionModel.of(info), context.models().file(info));
        }

        /**
         * Loads the chosen data set with this model's image size and normalisation, and checks that it fits the
         * model: same channels, height, width and number of classes.
         */
        VisionData loadData(Options o, long seed) throws java.io.IOException {
            StoredVisionModel d = description;
            VisionData data = VisionData.load(new VisionData.Spec(o.dataset, o.data, o.limit, o.testLimit, o.augment,
                    d.channels(), d.height(), seed), d.mean(), d.std());
            if (data.channels() != d.channels() || data.height() != d.height() || data.width() != d.width()
                    || data.classes().size() != d.labels().size()) {
                throw new IllegalArgumentException("vision.train: init-from " + info.reference() + " takes "
                        + d.geometry() + ", but data set " + data.name() + " has [" + data.channels() + ", "
                        + data.height() + ", " + data.width() + "] images and " + data.classes().size() + " classes");
            }
            return data;
        }
    }

    private static Optimizer optimizer(Options o, Module model) {
        switch (o.optimizer) {
            case "adamw":
                return AdamW.builder(model.parameters()).lr(o.lr).weightDecay(o.weightDecay).build();
            case "sgd":
                return SGD.builder(model.parameters()).lr(o.lr).momentum(0.9).weightDecay(o.weightDecay).build();
            default:
                return Adam.builder(model.parameters()).lr(o.lr).weightDecay(o.weightDecay).build();
        }
    }

    private static LRScheduler scheduler(Options o, Optimizer optimizer, int totalSteps) {
        switch (o.schedule) {
            case "cosine":
                return new CosineAnnealingLR(optimizer, totalSteps);
            case "step":
                return new MultiStepLR(optimizer, new int[] {totalSteps / 2, totalSteps * 3 / 4}, 0.1);
            default:
                return null;
        }
    }

    /** Logs the first test images with predicted and true labels, as an image grid and as a Markdown table. */
    private static void logSamples(SummaryWriter tb, Module model, VisionData data, Evaluation test, int samples,
            int step) {
        int n = Math.min(samples, data.test().size());
        if (n == 0) {
            return;
        }
        List<BufferedImage> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        boolean[] wrong = new boolean[n];
        StringBuilder table = new StringBuilder("| # | predicted | true |\n|---|---|---|\n");
        for (int i = 0; i < n; i++) {
            Tensor x = data.test().get(i).x();
            images.add(Images.toImage(x.mul(data.std()).add(data.mean()).mul(255.0)));
            String predicted = data.classes().get((int) test.predicted()[i]);
            String actual = data.classes().get((int) test.actual()[i]);
            wrong[i] = test.predicted()[i] != test.actual()[i];
            captions.add(predicted + "\n(" + actual + ")");
            table.append("| ").append(i).append(" | ").append(predicted).append(" | ").append(actual).append(" |\n");
        }
        tb.addImage("samples/predicted_(true)", TrainingReport.sampleGrid(images, captions, wrong), step);
        tb.addText("samples/predictions", table.toString(), step);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
