package org.kindling.hub.cli;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import javax.imageio.ImageIO;

/**
 * The demo's view of test images: the first images of an IDX test split, PNG bytes for the prediction service, and
 * small text pictures for the terminal.
 */
final class TextPictures {

    /** Darkest to brightest; Fashion-MNIST draws the garment bright on black. */
    static final String RAMP = " .:-=+*#%@";

    /** One grey image: {@code pixels[row * width + column]}, 0 black to 255 white, and its label index. */
    record GreyImage(int width, int height, byte[] pixels, int label) {
        GreyImage {
            if (pixels.length != width * height) {
                throw new IllegalArgumentException("a " + width + "x" + height + " image needs " + width * height
                        + " pixels, got " + pixels.length);
            }
        }

        int at(int row, int column) {
            return pixels[row * width + column] & 0xff;
        }
    }

    private TextPictures() {
    }

    /**
     * Renders an image as {@code rows} lines of {@code width} characters: each character averages the pixels of one
     * column over {@code height / rows} pixel rows, since a terminal cell is about twice as tall as wide.
     */
    static List<String> render(GreyImage image, int rows) {
        if (rows < 1 || rows > image.height()) {
            throw new IllegalArgumentException("rows must be between 1 and the image height " + image.height()
                    + ", got " + rows);
        }
        List<String> lines = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            int from = r * image.height() / rows;
            int to = (r + 1) * image.height() / rows;
            StringBuilder line = new StringBuilder(image.width());
            for (int c = 0; c < image.width(); c++) {
                int sum = 0;
                for (int y = from; y < to; y++) {
                    sum += image.at(y, c);
                }
                double mean = (double) sum / (to - from);
                line.append(RAMP.charAt((int) Math.min(RAMP.length() - 1, mean * RAMP.length() / 256)));
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** The image as PNG bytes (8-bit grey), the form the image predictor takes from HTTP clients too. */
    static byte[] png(GreyImage image) {
        BufferedImage buffered = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_BYTE_GRAY);
        buffered.getRaster().setDataElements(0, 0, image.width(), image.height(), image.pixels());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(buffered, "png", bytes)) {
                throw new IllegalStateException("no PNG writer in this Java runtime");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads the first {@code count} images and labels of an MNIST-style test split ({@code t10k-images-idx3-ubyte}
     * and {@code t10k-labels-idx1-ubyte}, plain or gzipped) from {@code dir}.
     */
    static List<GreyImage> readTestImages(Path dir, int count) throws IOException {
        Path imagesFile = existing(dir, "t10k-images-idx3-ubyte");
        Path labelsFile = existing(dir, "t10k-labels-idx1-ubyte");
        try (DataInputStream images = open(imagesFile); DataInputStream labels = open(labelsFile)) {
            int n = header(images, imagesFile, 0x0803);
            int height = images.readInt();
            int width = images.readInt();
            int labelCount = header(labels, labelsFile, 0x0801);
            if (labelCount != n) {
                throw new IOException(imagesFile + " holds " + n + " images but " + labelsFile + " holds "
                        + labelCount + " labels");
            }
            List<GreyImage> result = new ArrayList<>();
            for (int i = 0; i < Math.min(count, n); i++) {
                byte[] pixels = new byte[width * height];
                images.readFully(pixels);
                result.add(new GreyImage(width, height, pixels, labels.readUnsignedByte()));
            }
            return result;
        }
    }

    private static Path existing(Path dir, String name) throws IOException {
        for (Path p : List.of(dir.resolve(name + ".gz"), dir.resolve(name))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException("expected " + name + " or " + name + ".gz in " + dir + ", found neither");
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return new DataInputStream(file.toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in);
    }

    private static int header(DataInputStream in, Path file, int expectedMagic) throws IOException {
        int magic = in.readInt();
        if (magic != expectedMagic) {
            throw new IOException(String.format("%s: expected IDX magic number 0x%08x, found 0x%08x", file,
                    expectedMagic, magic));
        }
        return in.readInt();
    }
}
