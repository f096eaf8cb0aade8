package org.kindling.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.hub.Hub;
import org.kindling.hub.cli.Main;
import org.kindling.http.HttpSettings;
import org.kindling.http.HubServer;
import org.kindling.http.HubServices;
import org.kindling.itest.http.Api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code kindling models import FILE.onnx --labels FILE} on the image classifier PyTorch exported
 * ({@code tools/reference/onnx_classifier_fixture.py}), in a hub with the distribution's bundles (vision, onnx), then
 * {@code kindling run vision.train --init-from NAME} on the committed Fashion-MNIST subset, then
 * {@code POST /models/NAME/predict} with a PNG of a Fashion-MNIST test image: the imported model's top label is
 * PyTorch's, and the fine-tuned model is served too.
 */
class ImageClassifierImportTest {

    static final Path FIXTURES = Path.of(System.getProperty("kindling.test.pytorchFixtures"));
    static final Path SUBSET = Path.of(System.getProperty("kindling.test.fashionSubset"));
    static final Path BUNDLES = Path.of(System.getProperty("kindling.dist"), "bundles");

    @TempDir
    static Path home;

    @BeforeAll
    static void withTheDistributionsBundles() {
        assertTrue(Files.isDirectory(BUNDLES), BUNDLES + " is built by plugins/launcher");
        System.setProperty("kindling.bundles.dir", BUNDLES.toString());
    }

    @AfterAll
    static void withoutThem() {
        System.clearProperty("kindling.bundles.dir");
    }

    record Result(int code, String out, String err) {
    }

    private static Result kindling(String... args) {
        List<String> all = new ArrayList<>(List.of("--home", home.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(all.toArray(new String[0]), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** @return the rest of the first line that starts with {@code prefix}: the first image's pixels or logits */
    private static String firstWith(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow().substring(prefix.length());
    }

    @Test
    void aPyTorchClassifierImportedWithLabelsIsFineTunedAndServedOverHttp() throws Exception {
        Path onnx = FIXTURES.resolve("fashion_cnn.onnx");
        Path labels = FIXTURES.resolve("labels.txt");
        Result imported = kindling("models", "import", onnx.toString(), "--labels", labels.toString(), "--name",
                "fashion", "--mean", "0.286", "--std", "0.353");
        assertEquals(0, imported.code, imported.out + imported.err);
        assertTrue(imported.out.startsWith("imported fashion:1: ONNX image classifier of [N, 1, 28, 28] images (input "
                + "normalised as (pixel/255 - 0.286) / 0.353) into 10 classes: T-shirt/top, Trouser, Pullover"),
                imported.out);

        Path nine = home.resolve("nine.txt");
        Files.write(nine, Files.readAllLines(labels).subList(0, 9));
        Result mismatch = kindling("models", "import", onnx.toString(), "--labels", nine.toString());
        assertEquals(1, mismatch.code, mismatch.out + mismatch.err);
        List<String> errors = mismatch.err.lines().filter(l -> l.startsWith("kindling: ")).toList();
        assertEquals(1, errors.size(), mismatch.err);
        assertTrue(errors.get(0).contains("fashion_cnn.onnx scores 10 classes (output [N, 10]) but nine.txt has 9 "
                + "labels"), errors.get(0));
        Result missing = kindling("models", "import", onnx.toString(), "--labels", home.resolve("none.txt").toString());
        assertEquals(2, missing.code, missing.out + missing.err);
        assertTrue(missing.err.contains("no such file: " + home.resolve("none.txt")), missing.err);
        Result orphan = kindling("models", "import", onnx.toString(), "--mean", "0.5");
        assertEquals(2, orphan.code, orphan.out + orphan.err);
        assertTrue(orphan.err.contains("--mean and --std describe an image classifier's input; give them with "
                + "--labels"), orphan.err);

        Result tuned = kindling("run", "vision.train", "--init-from", "fashion", "--data", SUBSET.toString(),
                "--limit", "500", "--test-limit", "300", "--samples", "0");
        assertEquals(0, tuned.code, tuned.out + tuned.err);
        System.out.print(tuned.out);
        assertTrue(tuned.out.startsWith("SUCCEEDED: stored model fashion-finetuned:1: test accuracy "), tuned.out);
        assertTrue(tuned.out.contains("stored as ONNX, the graph of fashion:1 with the trained weights"), tuned.out);
        assertTrue(tuned.out.contains("initial_test_loss"), tuned.out);

        List<String> expected = Files.readAllLines(FIXTURES.resolve("expected.txt"));
        int[] pixels = Arrays.stream(firstWith(expected, "pixels ").split(" ")).mapToInt(Integer::parseInt).toArray();
        double[] logits = Arrays.stream(firstWith(expected, "logits ").split(" ")).mapToDouble(Double::parseDouble)
                .toArray();
        int top = 0;
        for (int c = 1; c < logits.length; c++) {
            top = logits[c] > logits[top] ? c : top;
        }
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setPixels(0, 0, 28, 28, pixels);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, "png", png));

        try (Hub hub = Hub.builder().home(home).bundlesDir(BUNDLES).start();
             HubServer server = HubServer.start(new HubServices(hub.workloads(), hub.models(), hub.predictions(),
                     hub.plugins()), HttpSettings.defaults().withPort(0))) {
            Api api = new Api(server.uri());
            Api.Response r = api.send(api.request("/models/fashion/predict").header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(png.toByteArray())).build());
            assertEquals(200, r.status(), r.toString());
            JsonNode body = r.json();
            assertEquals(top, body.path("outputs").path("top_classes").path("data").get(0).asInt(), r.toString());
            assertTrue(body.path("summary").asText().startsWith(Files.readAllLines(labels).get(top) + " (p="),
                    r.toString());
            Api.Response fineTuned = api.send(api.request("/models/fashion-finetuned/predict")
                    .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png.toByteArray()))
                    .build());
            assertEquals(200, fineTuned.status(), fineTuned.toString());
            assertEquals(10, fineTuned.json().path("outputs").path("probabilities").path("data").size(),
                    fineTuned.toString());
        }
    }
}
