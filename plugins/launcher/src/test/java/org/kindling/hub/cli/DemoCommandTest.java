package org.kindling.hub.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** The demo's text pictures, IDX reading, layout and option parsing; no training (that is {@code ./kindling demo}). */
class DemoCommandTest {

    private static TextPictures.GreyImage image(int width, int height, java.util.function.IntBinaryOperator pixel) {
        byte[] pixels = new byte[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                pixels[y * width + x] = (byte) pixel.applyAsInt(y, x);
            }
        }
        return new TextPictures.GreyImage(width, height, pixels, 3);
    }

    @Test
    void rendersTwoPixelRowsPerLineOnTheGreyRamp() {
        List<String> lines = TextPictures.render(image(28, 28, (y, x) -> y < 14 ? 0 : 255), 14);
        assertEquals(14, lines.size());
        for (int r = 0; r < 14; r++) {
            assertEquals((r < 7 ? " " : "@").repeat(28), lines.get(r), "line " + r);
        }
        // one line over rows 0 (black) and 1 (200): mean 100 -> ramp index 100 * 10 / 256 = 3
        assertEquals("-", TextPictures.render(image(1, 2, (y, x) -> y * 200), 1).get(0));
        // a left-to-right gradient walks the whole ramp in order
        String gradient = TextPictures.render(image(10, 2, (y, x) -> x * 256 / 10 + 5), 1).get(0);
        assertEquals(TextPictures.RAMP, gradient);
    }

    @Test
    void rejectsMoreLinesThanPixelRows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TextPictures.render(image(4, 4, (y, x) -> 0), 5));
        assertEquals("rows must be between 1 and the image height 4, got 5", e.getMessage());
    }

    @Test
    void pngKeepsEveryPixel() throws IOException {
        TextPictures.GreyImage original = image(28, 28, (y, x) -> (y * 28 + x) % 256);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(TextPictures.png(original)));
        assertEquals(28, decoded.getWidth());
        assertEquals(28, decoded.getHeight());
        byte[] pixels = (byte[]) decoded.getRaster().getDataElements(0, 0, 28, 28, null);
        assertArrayEquals(original.pixels(), pixels);
    }

    private static void idx(Path file, int magic, int[] dims, byte[] data, boolean gzip) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
                DataOutputStream out = new DataOutputStream(gzip ? new GZIPOutputStream(raw) : raw)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
    }

    @Test
    void readsTheFirstTestImagesAndLabels(@TempDir Path dir) throws IOException {
        byte[] pixels = {1, 2, 3, 4, 5, 6, (byte) 200, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18};
        idx(dir.resolve("t10k-images-idx3-ubyte.gz"), 0x0803, new int[] {3, 2, 3}, pixels, true);
        idx(dir.resolve("t10k-labels-idx1-ubyte"), 0x0801, new int[] {3}, new byte[] {9, 0, 4}, false);
        List<TextPictures.GreyImage> two = TextPictures.readTestImages(dir, 2);
        assertEquals(2, two.size());
        assertEquals(3, two.get(0).width());
        assertEquals(2, two.get(0).height());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, two.get(0).pixels());
        assertEquals(9, two.get(0).label());
        assertEquals(200, two.get(1).at(0, 0));
        assertEquals(0, two.get(1).label());
        List<TextPictures.GreyImage> all = TextPictures.readTestImages(dir, 10);
        assertEquals(3, all.size());
        assertArrayEquals(new byte[] {13, 14, 15, 16, 17, 18}, all.get(2).pixels());
        assertEquals(4, all.get(2).label());
    }

    @Test
    void namesTheFileAndTheProblemWhenTheDataIsWrong(@TempDir Path dir) throws IOException {
        IOException missing = assertThrows(IOException.class, () -> TextPictures.readTestImages(dir, 1));
        assertTrue(missing.getMessage().startsWith("expected t10k-images-idx3-ubyte or t10k-images-idx3-ubyte.gz in "),
                missing.getMessage());
        idx(dir.resolve("t10k-images-idx3-ubyte"), 0x0803, new int[] {1, 1, 2}, new byte[] {1, 2}, false);
        idx(dir.resolve("t10k-labels-idx1-ubyte"), 0x0803, new int[] {1}, new byte[] {1}, false);
        IOException magic = assertThrows(IOException.class, () -> TextPictures.readTestImages(dir, 1));
        assertTrue(magic.getMessage().endsWith("t10k-labels-idx1-ubyte: expected IDX magic number 0x00000801, "
                + "found 0x00000803"), magic.getMessage());
        idx(dir.resolve("t10k-labels-idx1-ubyte"), 0x0801, new int[] {2}, new byte[] {1, 1}, false);
        IOException counts = assertThrows(IOException.class, () -> TextPictures.readTestImages(dir, 1));
        assertTrue(counts.getMessage().contains("holds 1 images but") && counts.getMessage().endsWith("holds 2 labels"),
                counts.getMessage());
    }

    @Test
    void laysPicturesOutSideBySideWithTheirCaptions() {
        DemoCommand.Cell a = new DemoCommand.Cell(List.of("ab", "cd"), "Coat 97.0%", "ok, true Coat");
        DemoCommand.Cell b = new DemoCommand.Cell(List.of("xy", "zw"), "Bag 51.2%", "NO, true Sandal");
        DemoCommand.Cell c = new DemoCommand.Cell(List.of("12", "34"), "Shirt 40.0%", "ok, true Shirt");
        List<String> lines = DemoCommand.layout(List.of(a, b, c), 2);
        assertEquals(List.of(
                "ab              xy",
                "cd              zw",
                "Coat 97.0%      Bag 51.2%",
                "ok, true Coat   NO, true Sandal",
                "",
                "12",
                "34",
                "Shirt 40.0%",
                "ok, true Shirt",
                ""), lines);
    }

    private static DemoCommand parse(String... args) {
        CommandLine cli = new CommandLine(new KindlingCommand(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())));
        return (DemoCommand) cli.parseArgs(args).subcommand().commandSpec().userObject();
    }

    @Test
    void defaultsTrainTheCnnForOneEpochOnEveryCore() {
        DemoCommand demo = parse("demo");
        assertFalse(demo.mlp);
        assertNull(demo.epochs);
        assertEquals(6, demo.images);
        assertEquals(Runtime.getRuntime().availableProcessors(), demo.threads);
        Map<String, String> o = demo.visionOptions();
        assertEquals("fashion-mnist", o.get("dataset"));
        assertEquals("cnn", o.get("model"));
        assertEquals("1", o.get("epochs"));
        assertEquals("64", o.get("batch-size"));
        assertEquals("adam", o.get("optimizer"));
        assertEquals("cosine", o.get("schedule"));
        assertEquals("0", o.get("limit"));
        assertEquals(Integer.toString(Runtime.getRuntime().availableProcessors()), o.get("threads"));
        assertEquals(DemoCommand.MODEL_NAME, o.get("name"));
    }

    @Test
    void optionsReachTheTrainingRun() {
        DemoCommand demo = parse("demo", "--mlp", "--limit", "640", "--epochs", "2", "--threads", "1", "--images",
                "3", "--seed", "7");
        assertTrue(demo.mlp);
        assertEquals(7, demo.seed);
        assertEquals(3, demo.images);
        Map<String, String> o = demo.visionOptions();
        assertEquals("2", o.get("epochs"));
        assertEquals("640", o.get("limit"));
        assertEquals("1", o.get("threads"));
    }

    @Test
    void badValuesAreUsageErrorsBeforeTheHubStarts() {
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"demo", "--limit", "-1", "--threads", "0"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        assertEquals(Main.USAGE, code);
        assertEquals("kindling: --threads must be >= 1, got 0; --limit must be >= 0, got -1", err.toString().strip());
    }
}
