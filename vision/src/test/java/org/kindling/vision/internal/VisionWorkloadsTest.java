package org.kindling.vision.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.plugin.HubException;
import org.kindling.plugin.ModelInfo;
import org.kindling.plugin.Prediction;
import org.kindling.plugin.PredictionInput;
import org.kindling.plugin.RunStatus;
import org.kindling.plugin.WorkloadResult;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;
import org.kindling.train.tensorboard.internal.TfRecords;
import org.kindling.train.tensorboard.internal.proto.Event;
import org.kindling.train.tensorboard.internal.proto.Summary;
import org.kindling.vision.Images;
import org.kindling.vision.datasets.DatasetNotFoundException;
import org.kindling.vision.datasets.MnistDataset;
import org.kindling.vision.datasets.Split;
import org.kindling.vision.transforms.Compose;
import org.kindling.vision.transforms.Normalize;
import org.kindling.vision.transforms.ToTensor;

/**
 * vision.train on the committed Fashion-MNIST subset (2,000 training images, 2 epochs, 126 Adam steps), then
 * the image predictor on real PNGs and vision.evaluate on the stored model.
 */
class VisionWorkloadsTest {

    static final Path SUBSET = Path.of(System.getProperty("kindling.test.fashionSubset"));

    @TempDir
    static Path tmp;

    static TestHub.FolderStore store;
    static TestHub.Context trainContext;
    static WorkloadResult trained;
    static ModelInfo model;
    static ModelInfo onnxModel;
    static MnistDataset test;

    @BeforeAll
    static void train() throws Exception {
        store = new TestHub.FolderStore(tmp.resolve("store"));
        trainContext = new TestHub.Context(TrainWorkload.class, Map.of("data", SUBSET.toString(), "epochs", "2",
                "batch-size", "32", "limit", "2000", "test-limit", "500", "samples", "8"),
                Files.createDirectories(tmp.resolve("run")), store);
        long start = System.nanoTime();
        trained = new TrainWorkload().run(trainContext);
        System.out.printf("vision.train on the subset: %.1f s%n", (System.nanoTime() - start) / 1e9);
        trainContext.log.forEach(System.out::println);
        model = store.get("fashion-mnist-cnn", 1).orElseThrow();
        onnxModel = store.get("fashion-mnist-cnn", 2).orElseThrow();
        test = MnistDataset.fashion(SUBSET, Split.TEST).head(500);
    }

    @Test
    void trainingOnASubsetLearnsFarAboveChanceAndReportsProgress() {
        assertEquals(RunStatus.SUCCEEDED, trained.status(), trained.message());
        double accuracy = trained.metrics().get("test_accuracy");
        assertTrue(accuracy > 0.70, "test accuracy " + accuracy + " after 2 epochs on 2000 images (chance is 0.10)");
        assertTrue(trained.metrics().get("train_loss") < 1.0, "train loss " + trained.metrics().get("train_loss"));
        assertTrue(trained.metrics().get("images_per_second") > 0);
        assertTrue(trained.message().contains("stored model fashion-mnist-cnn:1"), trained.message());
        assertTrue(trainContext.progress.stream().anyMatch(p -> p.matches(
                "epoch 2/2 batch 63/63 loss [0-9.]+ acc [0-9.]+ [0-9]+ img/s ETA 0:00")), trainContext.progress.toString());
        assertEquals(2, trainContext.log.stream().filter(l -> l.matches("epoch \\d/2: train loss .*")).count(),
                trainContext.log.toString());
        assertTrue(trainContext.log.stream().anyMatch(l -> l.contains("Ankle boot") && l.contains("precision")));
        assertEquals(accuracy, trainContext.metrics.get("test_accuracy"));
    }

    @Test
    void theRunWritesAReportATensorBoardLogAndAStoredModel() throws IOException {
        Path report = trainContext.outputDir.resolve("report.png");
        BufferedImage png = ImageIO.read(report.toFile());
        assertEquals(2 * TrainingReport.CHART_WIDTH, png.getWidth());
        assertEquals(40 + TrainingReport.CHART_HEIGHT + TrainingReport.MATRIX_SIZE, png.getHeight());
        Path events = trained.artifacts().get(1);
        assertTrue(events.getFileName().toString().startsWith("events.out.tfevents."), events.toString());
        java.util.Set<String> tags = new java.util.TreeSet<>();
        int sampleImages = 0;
        for (byte[] record : TfRecords.readAll(Files.newInputStream(events), events.toString())) {
            for (Summary.Value v : Event.parseFrom(record).getSummary().getValueList()) {
                tags.add(v.getTag());
                if (v.hasImage()) {
                    sampleImages++;
                    assertEquals(8 * 112, v.getImage().getWidth(), "8 samples in one row of 112-pixel cells");
                }
            }
        }
        assertEquals(1, sampleImages);
        assertTrue(tags.containsAll(List.of("train/loss", "train/accuracy", "train/lr", "epoch/test_accuracy",
                "weights/features.0.weight", "samples/predictions", "_hparams_/session_start_info",
                "hparam/test_accuracy")), tags.toString());
        assertEquals("cnn", model.properties().get("architecture"));
        assertEquals("28", model.properties().get("height"));
        assertEquals(MnistDataset.FASHION_CLASSES, StoredVisionModel.of(model).labels());
        assertEquals(TrainWorkload.ID, model.workload());
        assertTrue(Files.size(store.file(model)) > 421_834 * 4, "float32 weights of the CNN");
        assertEquals("onnx", onnxModel.format());
        assertEquals(model.properties(), onnxModel.properties());
        double diff = trained.metrics().get("onnx_max_abs_diff");
        assertTrue(diff >= 0 && diff < 1e-4, "ONNX Runtime agrees with Kindling: max |difference| " + diff);
        assertTrue(trained.message().contains("ONNX fashion-mnist-cnn:2 verified in ONNX Runtime"), trained.message());
        assertTrue(trained.artifacts().contains(trainContext.outputDir.resolve("model.onnx")));
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    void thePredictorTakesPngsOfAnySizeAndAgreesWithTheModel() throws Exception {
        ImagePredictor predictor = new ImagePredictor();
        assertTrue(predictor.supports(model));
        StoredVisionModel d = StoredVisionModel.of(model);
        Module net = d.load(store.file(model));
        Compose prepare = Compose.of(new ToTensor(), new Normalize(d.mean(), d.std()));
        int agreeWhenScaled = 0;
        for (int i = 0; i < 20; i++) {
            Tensor raw = test.rawImage(i);
            BufferedImage grey = Images.toImage(raw);
            Prediction exact = predictor.predict(model, store.file(model), PredictionInput.bytes(png(grey), "image/png"));
            float[] expected;
            try (var g = GradMode.noGrad()) {
                expected = F.softmax(net.forward(prepare.apply(raw).unsqueeze(0)), 1).toFloatArray();
            }
            assertArrayEquals(expected, exact.outputs().get("probabilities").toFloatArray(), 1e-5f,
                    "a 28x28 grey PNG is the model's own input");
            double sum = 0;
            for (float p : expected) {
                sum += p;
            }
            assertEquals(1.0, sum, 1e-5);
            double[] top = exact.outputs().get("top_probabilities").values();
            assertEquals(5, top.length);
            for (int j = 1; j < top.length; j++) {
                assertTrue(top[j - 1] >= top[j], "top-k sorted best first");
            }
            int best = (int) exact.outputs().get("top_classes").get(0);
            assertTrue(exact.summary().startsWith(MnistDataset.FASHION_CLASSES.get(best) + " (p="), exact.summary());

            BufferedImage big = new BufferedImage(84, 84, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = big.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(grey, 0, 0, 84, 84, null);
            g.dispose();
            Prediction scaled = predictor.predict(model, store.file(model), PredictionInput.bytes(png(big), "image/png"));
            agreeWhenScaled += (int) scaled.outputs().get("top_classes").get(0) == best ? 1 : 0;
        }
        assertTrue(agreeWhenScaled >= 17, "an 84x84 RGB copy gets the same top label in " + agreeWhenScaled + "/20");

        BufferedImage shoe = Images.toImage(test.rawImage(0));
        Prediction fromWeights = predictor.predict(model, store.file(model), PredictionInput.bytes(png(shoe), "image/png"));
        assertTrue(predictor.supports(onnxModel));
        Prediction fromOnnx = predictor.predict(onnxModel, store.file(onnxModel),
                PredictionInput.bytes(png(shoe), "image/png"));
        assertArrayEquals(fromWeights.outputs().get("probabilities").toFloatArray(),
                fromOnnx.outputs().get("probabilities").toFloatArray(), 1e-4f, "the exported ONNX model serves the same");

        HubException bad = assertThrows(HubException.class, () -> predictor.predict(model, store.file(model),
                PredictionInput.bytes("not an image".getBytes(), "image/png")));
        assertEquals(HubException.Kind.BAD_REQUEST, bad.kind());
        assertTrue(bad.getMessage().contains("expected PNG, JPEG, GIF or BMP image bytes"), bad.getMessage());
    }

    @Test
    void evaluateReproducesTheTestAccuracyWithPerClassFigures() throws Exception {
        TestHub.Context c = new TestHub.Context(EvaluateWorkload.class, Map.of("model", "fashion-mnist-cnn:1",
                "data", SUBSET.toString(), "limit", "500"), Files.createDirectories(tmp.resolve("eval")), store);
        WorkloadResult r = new EvaluateWorkload().run(c);
        assertEquals(trained.metrics().get("test_accuracy"), r.metrics().get("accuracy"), 1e-12);
        for (int k = 0; k < 10; k++) {
            double p = r.metrics().get("precision_" + k);
            double rec = r.metrics().get("recall_" + k);
            assertTrue(p >= 0 && p <= 1 && rec >= 0 && rec <= 1);
        }
        List<String> csv = Files.readAllLines(c.outputDir.resolve("confusion.csv"));
        assertEquals(11, csv.size());
        assertTrue(csv.get(0).startsWith("actual\\predicted,T-shirt/top,Trouser"), csv.get(0));
        long total = 0;
        for (String line : csv.subList(1, 11)) {
            String[] cells = line.split(",");
            for (int j = 1; j <= 10; j++) {
                total += Long.parseLong(cells[j]);
            }
        }
        assertEquals(500, total);
        assertTrue(Files.size(c.outputDir.resolve("confusion.png")) > 10_000);

        WorkloadResult onnx = new EvaluateWorkload().run(new TestHub.Context(EvaluateWorkload.class, Map.of("model",
                "fashion-mnist-cnn:2", "data", SUBSET.toString(), "limit", "500"),
                Files.createDirectories(tmp.resolve("eval-onnx")), store));
        assertEquals(r.metrics().get("accuracy"), onnx.metrics().get("accuracy"), 0.004,
                "the ONNX copy classifies the 500 images like the original (at most 2 differ)");

        HubException missing = assertThrows(HubException.class, () -> new EvaluateWorkload().run(new TestHub.Context(
                EvaluateWorkload.class, Map.of("model", "nope"), tmp, store)));
        assertEquals(HubException.Kind.NOT_FOUND, missing.kind());
    }

    @Test
    void otherModelsAndGeneratedDataTrainAndBadOptionsAreExplained() throws Exception {
        TestHub.Context fake = new TestHub.Context(TrainWorkload.class, Map.of("dataset", "fake", "model", "resnet",
                "channels", "3", "image-size", "16", "limit", "64", "test-limit", "32", "batch-size", "32",
                "optimizer", "sgd", "schedule", "step", "augment", "true"),
                Files.createDirectories(tmp.resolve("fake")), store);
        WorkloadResult r = new TrainWorkload().run(fake);
        assertEquals(RunStatus.SUCCEEDED, r.status());
        assertEquals("3", store.get("fake-resnet").orElseThrow().properties().get("channels"));

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new TrainWorkload().run(
                new TestHub.Context(TrainWorkload.class, Map.of("model", "vgg", "epochs", "0"), tmp, store)));
        assertTrue(bad.getMessage().contains("epochs must be >= 1, got 0"), bad.getMessage());
        assertTrue(bad.getMessage().contains("model must be one of [mlp, lenet5, cnn, resnet], got 'vgg'"),
                bad.getMessage());

        DatasetNotFoundException missing = assertThrows(DatasetNotFoundException.class, () -> new TrainWorkload().run(
                new TestHub.Context(TrainWorkload.class, Map.of("dataset", "mnist", "data",
                        tmp.resolve("empty").toString()), tmp, store)));
        assertTrue(missing.getMessage().contains("kindling data fetch mnist"), missing.getMessage());
    }
}
