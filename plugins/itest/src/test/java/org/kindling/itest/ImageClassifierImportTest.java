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
 * {@code POST /models/NAME/predict} with a PNG of a Fashion-MNIST test image: the top label is PyTorch's.
 */
class ImageClassifierImportTest {

    static final Path FIXTURES = Path.of(System.getProperty("kindling.test.pytorchFixtures"));
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

    @Test
    void aPyTorchClassifierImportedWithLabelsIsServedOverHttp() throws Exception {
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
        Result orphan = kindling("models", "import", onnx.toString(), "--mean", "0.5");
        assertEquals(2, orphan.code, orphan.out + orphan.err);
        assertTrue(orphan.err.contains("--mean and --std describe an image classifier's input; give them with "
                + "--labels"), orphan.err);

        String[] expected = Files.readAllLines(FIXTURES.resolve("expected.txt")).toArray(new String[0]);
        int[] pixels = Arrays.stream(expected[3].substring("pixels ".length()).split(" "))
                .mapToInt(Integer::parseInt).toArray();
        double[] logits = Arrays.stream(expected[4].substring("logits ".length()).split(" "))
                .mapToDouble(Double::parseDouble).toArray();
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
        }
    }
}
