package org.kindling.vision.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.Kindling;
import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.nn.linear.Linear;
import org.kindling.onnx.ExportOptions;
import org.kindling.onnx.Onnx;
import org.kindling.plugin.HubException;
import org.kindling.plugin.ModelInfo;
import org.kindling.plugin.Prediction;
import org.kindling.plugin.PredictionInput;
import org.kindling.plugin.RunStatus;
import org.kindling.plugin.WorkloadResult;
import org.kindling.tensor.Tensor;
import org.kindling.vision.datasets.MnistDataset;

/**
 * An image classifier made and exported by real PyTorch ({@code tools/reference/onnx_classifier_fixture.py}):
 * {@code vision.import} stores it with its geometry, labels and normalisation; the stored model computes PyTorch's
 * own logits on real Fashion-MNIST test images; the image predictor serves it from a PNG; {@code vision.train
 * init-from=} fine-tunes it on the committed subset; and the errors name what was expected and found.
 */
class PyTorchClassifierImportTest {

    static final Path SUBSET = Path.of(System.getProperty("kindling.test.fashionSubset"));

    @TempDir
    static Path tmp;

    static Path onnxFile;
    static Path labelsFile;
    static TestHub.FolderStore store;
    static WorkloadResult imported;
    static ModelInfo model;
    static Expected expected;

    /** PyTorch's numbers for a few test images, from expected.txt. */
    record Expected(double mean, double std, int correct, int total, List<Integer> trueLabels, List<int[]> pixels,
                    List<float[]> logits) {

        static Expected read(Path file) throws IOException {
            double mean = Double.NaN;
            double std = Double.NaN;
            int correct = -1;
            int total = -1;
            List<Integer> labels = new ArrayList<>();
            List<int[]> pixels = new ArrayList<>();
            List<float[]> logits = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "mean" -> mean = Double.parseDouble(f[1]);
                    case "std" -> std = Double.parseDouble(f[1]);
                    case "correct" -> {
                        correct = Integer.parseInt(f[1]);
                        total = Integer.parseInt(f[3]);
                    }
                    case "image" -> labels.add(Integer.parseInt(f[2]));
                    case "pixels" -> {
                        int[] p = new int[f.length - 1];
                        for (int i = 0; i < p.length; i++) {
                            p[i] = Integer.parseInt(f[i + 1]);
                        }
                        pixels.add(p);
                    }
                    case "logits" -> {
                        float[] l = new float[f.length - 1];
                        for (int i = 0; i < l.length; i++) {
                            l[i] = Float.parseFloat(f[i + 1]);
                        }
                        logits.add(l);
                    }
                    default -> throw new IOException("unexpected line in " + file + ": " + line);
                }
            }
            return new Expected(mean, std, correct, total, labels, pixels, logits);
        }

        /** The images as the model takes them: (pixel/255 - mean) / std, in float32 as PyTorch computed it. */
        Tensor batch() {
            int n = pixels.size();
            float[] x = new float[n * 784];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < 784; j++) {
                    x[i * 784 + j] = (pixels.get(i)[j] / 255.0f - (float) mean) / (float) std;
                }
            }
            return Kindling.fromArray(x, n, 1, 28, 28);
        }

        static int argmax(float[] v) {
            int best = 0;
            for (int i = 1; i < v.length; i++) {
                if (v[i] > v[best]) {
                    best = i;
                }
            }
            return best;
        }
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(PyTorchClassifierImportTest.class.getResource("/pytorch/" + name).toURI());
    }

    static WorkloadResult importModel(Map<String, String> options) throws Exception {
        TestHub.Context context = new TestHub.Context(ImportWorkload.class, options,
                Files.createDirectories(tmp.resolve("import-" + options.hashCode())), store);
        return new ImportWorkload().run(context);
    }

    @BeforeAll
    static void importThePyTorchModel() throws Exception {
        onnxFile = resource("fashion_cnn.onnx");
        labelsFile = resource("labels.txt");
        expected = Expected.read(resource("expected.txt"));
        store = new TestHub.FolderStore(tmp.resolve("store"));
        imported = importModel(Map.of("file", onnxFile.toString(), "labels", labelsFile.toString(),
                "name", "fashion-pytorch", "mean", Double.toString(expected.mean()),
                "std", Double.toString(expected.std())));
        model = store.get("fashion-pytorch", 1).orElseThrow();
    }

    @Test
    void importStoresTheGeometryLabelsAndNormalisationTheVisionModelsNeed() {
        assertEquals(RunStatus.SUCCEEDED, imported.status(), imported.message());
        assertEquals("onnx", model.format());
        assertEquals(ImportWorkload.ID, model.workload());
        Map<String, String> p = model.properties();
        assertEquals("onnx", p.get("architecture"));
        assertEquals("1", p.get("channels"));
        assertEquals("28", p.get("height"));
        assertEquals("28", p.get("width"));
        assertEquals("10", p.get("classes"));
        assertEquals(String.join("\n", MnistDataset.FASHION_CLASSES), p.get("labels"));
        assertEquals(0.286, Double.parseDouble(p.get("mean")), 1e-12);
        assertEquals(0.353, Double.parseDouble(p.get("std")), 1e-12);
        assertEquals("image", p.get("onnx.input"));
        assertEquals("fashion_cnn.onnx", p.get("imported.from"));
        assertTrue(imported.message().startsWith("imported fashion-pytorch:1: ONNX image classifier of [N, 1, 28, 28] "
                + "images (input normalised as (pixel/255 - 0.286) / 0.353) into 10 classes: T-shirt/top, Trouser"),
                imported.message());
    }

    @Test
    void theStoredModelComputesPyTorchsLogitsOnRealTestImages() throws Exception {
        UnaryOperator<Tensor> forward = StoredVisionModel.of(model).forward(model, store.file(model));
        float[] logits = forward.apply(expected.batch()).toFloatArray();
        int classes = 10;
        assertEquals(expected.logits().size() * classes, logits.length);
        int right = 0;
        for (int i = 0; i < expected.logits().size(); i++) {
            float[] torch = expected.logits().get(i);
            for (int c = 0; c < classes; c++) {
                assertEquals(torch[c], logits[i * classes + c], 1e-4, "image " + i + " class " + c);
            }
            right += Expected.argmax(torch) == expected.trueLabels().get(i) ? 1 : 0;
        }
        assertTrue(right >= 5, "PyTorch's model gets " + right + " of 8 test images right: a trained model");
    }

    @Test
    void visionEvaluateFindsPyTorchsAccuracyOnTheTestImages() throws Exception {
        TestHub.Context context = new TestHub.Context(EvaluateWorkload.class, Map.of("model", "fashion-pytorch",
                "dataset", "fashion-mnist", "data", SUBSET.toString(), "limit", Integer.toString(expected.total())),
                Files.createDirectories(tmp.resolve("evaluate")), store);
        WorkloadResult result = new EvaluateWorkload().run(context);
        assertEquals(RunStatus.SUCCEEDED, result.status(), result.message());
        System.out.printf("vision.evaluate of the PyTorch model on %d test images: accuracy %.4f (PyTorch: %d right)%n",
                expected.total(), result.metrics().get("accuracy"), expected.correct());
        // PyTorch counted 749 of the first 1000 right; a float32 tie-break could move one image, no more
        assertEquals((double) expected.correct() / expected.total(), result.metrics().get("accuracy"), 1.5e-3);

        IllegalArgumentException noDataSet = assertThrows(IllegalArgumentException.class, () ->
                new EvaluateWorkload().run(new TestHub.Context(EvaluateWorkload.class, Map.of("model",
                        "fashion-pytorch"), Files.createDirectories(tmp.resolve("evaluate-2")), store)));
        assertEquals("vision.evaluate: model fashion-pytorch:1 was imported and names no data set; choose one with "
                + "dataset=fashion-mnist|mnist|fake|folder", noDataSet.getMessage());
    }

    @Test
    void thePredictorServesTheImportedModelFromAPng() throws Exception {
        ImagePredictor predictor = new ImagePredictor();
        assertTrue(predictor.supports(model));
        for (int i = 0; i < 3; i++) {
            BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setPixels(0, 0, 28, 28, expected.pixels().get(i));
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            assertTrue(ImageIO.write(image, "png", png));
            Prediction p = predictor.predict(model, store.file(model),
                    PredictionInput.bytes(png.toByteArray(), "image/png"));
            float[] torch = expected.logits().get(i);
            int top = Expected.argmax(torch);
            assertEquals(top, (int) p.outputs().get("top_classes").get(0), "image " + i);
            assertTrue(p.summary().startsWith(MnistDataset.FASHION_CLASSES.get(top) + " (p="), p.summary());
            double[] softmax = softmax(torch);
            float[] probabilities = p.outputs().get("probabilities").toFloatArray();
            for (int c = 0; c < 10; c++) {
                assertEquals(softmax[c], probabilities[c], 1e-5, "image " + i + " class " + c);
            }
        }
    }

    private static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    @Test
    void fineTuningTheImportedModelOnTheSubsetLowersItsTestLossAndStoresOnnx() throws Exception {
        TestHub.Context context = new TestHub.Context(TrainWorkload.class, Map.of("init-from", "fashion-pytorch",
                "data", SUBSET.toString(), "epochs", "1", "batch-size", "32", "limit", "1000", "test-limit", "500",
                "samples", "0"), Files.createDirectories(tmp.resolve("finetune")), store);
        long start = System.nanoTime();
        WorkloadResult result = new TrainWorkload().run(context);
        System.out.printf("vision.train init-from the PyTorch model: %.1f s%n", (System.nanoTime() - start) / 1e9);
        assertEquals(RunStatus.SUCCEEDED, result.status(), result.message());
        double before = result.metrics().get("initial_test_loss");
        double after = result.metrics().get("test_loss");
        double accuracyBefore = result.metrics().get("initial_test_accuracy");
        double accuracyAfter = result.metrics().get("test_accuracy");
        System.out.printf("fine-tuning on 1000 subset images: test loss %.4f -> %.4f, accuracy %.4f -> %.4f%n", before,
                after, accuracyBefore, accuracyAfter);
        assertTrue(accuracyBefore > 0.6, "PyTorch's model before fine-tuning: accuracy " + accuracyBefore);
        assertTrue(after < before - 0.02, "test loss " + before + " -> " + after);
        assertTrue(accuracyAfter > accuracyBefore, "test accuracy " + accuracyBefore + " -> " + accuracyAfter);

        ModelInfo tuned = store.get("fashion-pytorch-finetuned", 1).orElseThrow();
        assertEquals("onnx", tuned.format());
        assertEquals(TrainWorkload.ID, tuned.workload());
        assertEquals("fashion-pytorch:1", tuned.properties().get("init_from"));
        assertEquals("onnx", tuned.properties().get("architecture"));
        assertEquals(0.286, Double.parseDouble(tuned.properties().get("mean")), 1e-12);
        assertTrue(result.metrics().get("onnx_max_abs_diff") < 1e-4, result.metrics().toString());

        // the stored file holds the trained weights: other logits than PyTorch's, and the accuracy training reported
        StoredVisionModel d = StoredVisionModel.of(tuned);
        float[] logits = d.forward(tuned, store.file(tuned)).apply(expected.batch()).toFloatArray();
        double moved = 0;
        for (int i = 0; i < expected.logits().size(); i++) {
            for (int c = 0; c < 10; c++) {
                moved = Math.max(moved, Math.abs(logits[i * 10 + c] - expected.logits().get(i)[c]));
            }
        }
        assertTrue(moved > 0.05, "fine-tuning changed the logits by at most " + moved);
        VisionData data = VisionData.load(new VisionData.Spec("fashion-mnist", SUBSET, 1, 500, false, 1, 28, 1),
                d.mean(), d.std());
        Evaluation stored = Evaluation.run(d.forward(tuned, store.file(tuned)), data.test(), data.classes(), 256,
                () -> false);
        assertEquals(accuracyAfter, stored.metrics().accuracy(), 0.005);
        assertTrue(new ImagePredictor().supports(tuned));
    }

    @Test
    void fineTuningAKindlingModelStartsFromItsStoredWeightsInEitherFormat() throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("model", "cnn", "data", SUBSET.toString(), "epochs", "1",
                "limit", "200", "test-limit", "100", "samples", "0", "name", "small-cnn"));
        WorkloadResult first = new TrainWorkload().run(new TestHub.Context(TrainWorkload.class, options,
                Files.createDirectories(tmp.resolve("cnn")), store));
        assertEquals(RunStatus.SUCCEEDED, first.status(), first.message());
        assertEquals("onnx", store.get("small-cnn", 2).orElseThrow().format(), "vision.train stores an ONNX copy");
        options.remove("model");
        options.remove("name");
        for (int version = 1; version <= 2; version++) {
            options.put("init-from", "small-cnn:" + version);
            WorkloadResult again = new TrainWorkload().run(new TestHub.Context(TrainWorkload.class, options,
                    Files.createDirectories(tmp.resolve("cnn-again-" + version)), store));
            assertEquals(RunStatus.SUCCEEDED, again.status(), again.message());
            // the same weights (batch norm statistics included) on the same test images: the second run starts
            // where the first ended
            assertEquals(first.metrics().get("test_loss"), again.metrics().get("initial_test_loss"), 1e-5,
                    "from version " + version);
            assertEquals(first.metrics().get("test_accuracy"), again.metrics().get("initial_test_accuracy"), 1e-12,
                    "from version " + version);
            ModelInfo tuned = store.get("small-cnn-finetuned").orElseThrow();
            ModelInfo tunedWeights = store.get("small-cnn-finetuned", tuned.version() - 1).orElseThrow();
            assertEquals("safetensors", tunedWeights.format(), "a Kindling architecture is stored as weights");
            assertEquals("onnx", tuned.format(), "and exported to ONNX");
            assertEquals("cnn", tunedWeights.properties().get("architecture"));
            assertEquals("small-cnn:" + version, tunedWeights.properties().get("init_from"));
            assertNotEquals(store.get("small-cnn", 1).orElseThrow().sha256(), tunedWeights.sha256());
        }
    }

    @Test
    void labelsThatDoNotMatchTheOutputsAreRefusedNamingBothCounts() throws Exception {
        Path nine = tmp.resolve("nine.txt");
        Files.write(nine, MnistDataset.FASHION_CLASSES.subList(0, 9));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> importModel(Map.of(
                "file", onnxFile.toString(), "labels", nine.toString(), "name", "wrong")));
        assertEquals("vision.import: fashion_cnn.onnx scores 10 classes (output [N, 10]) but nine.txt has 9 labels",
                e.getMessage());
        Path gap = tmp.resolve("gap.txt");
        Files.writeString(gap, "a\n\nb\n");
        IOException blank = assertThrows(IOException.class, () -> importModel(Map.of(
                "file", onnxFile.toString(), "labels", gap.toString(), "name", "wrong")));
        assertTrue(blank.getMessage().endsWith("gap.txt: line 2 is blank; expected one class label per line"),
                blank.getMessage());
        IOException absent = assertThrows(IOException.class, () -> importModel(Map.of(
                "file", onnxFile.toString(), "labels", tmp.resolve("absent.txt").toString(), "name", "wrong")));
        assertEquals("labels file not found: " + tmp.resolve("absent.txt"), absent.getMessage());
        assertTrue(store.get("wrong").isEmpty());
    }

    @Test
    void aModelThatIsNotAnImageClassifierOrOutputsProbabilitiesIsRefused() throws Exception {
        Path mlp = tmp.resolve("tabular.onnx");
        Onnx.export(new Linear(16, 10), new Tensor[] {Kindling.randn(2, 16)}, mlp,
                ExportOptions.builder().dynamicBatch().inputNames("features").build());
        IOException e = assertThrows(IOException.class, () -> importModel(Map.of(
                "file", mlp.toString(), "labels", labelsFile.toString(), "name", "tabular")));
        assertTrue(e.getMessage().startsWith("tabular.onnx: an image classifier has one float32 input [N, C, H, W] "
                + "with C = 1 or 3 and fixed H, W; its input 'features' is "), e.getMessage());
        assertTrue(e.getMessage().endsWith("16]"), e.getMessage());
        Path probabilities = tmp.resolve("probabilities.onnx");
        Onnx.export(new Module() {
            final Linear fc = register("fc", new Linear(784, 10));

            @Override
            public Tensor forward(Tensor x) {
                return F.softmax(fc.forward(x.reshape(x.size(0), 784)), 1);
            }
        }, Kindling.randn(2, 1, 28, 28), probabilities);
        IOException softmax = assertThrows(IOException.class, () -> importModel(Map.of(
                "file", probabilities.toString(), "labels", labelsFile.toString(), "name", "probabilities")));
        assertTrue(softmax.getMessage().startsWith("probabilities.onnx: its output '"), softmax.getMessage());
        assertTrue(softmax.getMessage().endsWith("' comes from a Softmax, so it holds probabilities; the image "
                + "predictor and vision.train take logits (the scores before softmax): export the model without its "
                + "final softmax"), softmax.getMessage());
        Path text = tmp.resolve("not-onnx.onnx");
        Files.writeString(text, "not a protobuf");
        IOException garbage = assertThrows(IOException.class, () -> importModel(Map.of(
                "file", text.toString(), "labels", labelsFile.toString(), "name", "garbage")));
        assertTrue(garbage.getMessage().startsWith("not-onnx.onnx cannot be read as ONNX: "), garbage.getMessage());
    }

    @Test
    void initFromAnUnknownModelOrADataSetOfOtherClassesIsAClearError() throws Exception {
        HubException unknown = assertThrows(HubException.class, () -> new TrainWorkload().run(new TestHub.Context(
                TrainWorkload.class, Map.of("init-from", "ghost", "data", SUBSET.toString()),
                Files.createDirectories(tmp.resolve("ghost")), store)));
        assertEquals(HubException.Kind.NOT_FOUND, unknown.kind());
        assertEquals("no stored model 'ghost'; see 'kindling models list'", unknown.getMessage());

        Path folder = tmp.resolve("three-classes");
        for (String split : List.of("train", "test")) {
            for (String label : List.of("circle", "square", "triangle")) {
                Path dir = Files.createDirectories(folder.resolve(split).resolve(label));
                BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
                ImageIO.write(image, "png", dir.resolve("0.png").toFile());
            }
        }
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class, () -> new TrainWorkload().run(
                new TestHub.Context(TrainWorkload.class, Map.of("init-from", "fashion-pytorch:1", "dataset", "folder",
                        "data", folder.toString()), Files.createDirectories(tmp.resolve("mismatch")), store)));
        assertEquals("vision.train: init-from fashion-pytorch:1 takes [1, 28, 28] images and 10 classes, but data set "
                + "folder has [1, 28, 28] images and 3 classes", mismatch.getMessage());
    }
}
