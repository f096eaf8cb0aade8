package org.kindling.vision;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.kindling.Kindling;
import org.kindling.tensor.Tensor;

/**
 * Converts between encoded images (PNG, JPEG, anything {@code javax.imageio} reads), {@link BufferedImage}s and
 * tensors of shape [C, H, W]. Pixel tensors from {@link #toTensor} hold raw values 0..255 as float32, like
 * torchvision's {@code PILToTensor}; {@link org.kindling.vision.transforms.ToTensor} scales them to [0, 1].
 *
 * <pre>
 * BufferedImage img = Images.decode(Files.readAllBytes(Path.of("shoe.png")));
 * Tensor grey = Images.toTensor(img, 1);       // [1, H, W], 0..255
 * Tensor rgb = Images.toTensor(img, 3);        // [3, H, W], 0..255
 * </pre>
 */
public final class Images {

    /** Largest width or height accepted when decoding, so a hostile header cannot make us allocate gigabytes. */
    public static final int MAX_SIDE = 8192;

    private Images() {
    }

    /**
     * Decodes PNG, JPEG, GIF or BMP bytes.
     *
     * @param encoded the file's bytes
     * @return the image
     * @throws IOException when the bytes are not an image javax.imageio can read, or the image is larger than
     *         {@link #MAX_SIDE} on a side
     */
    public static BufferedImage decode(byte[] encoded) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
        if (image == null) {
            throw new IOException("expected PNG, JPEG, GIF or BMP image bytes, got " + encoded.length
                    + " bytes that no image reader recognises" + (encoded.length >= 4 ? " (starting "
                    + String.format("%02x %02x %02x %02x", encoded[0], encoded[1], encoded[2], encoded[3]) + ")" : ""));
        }
        checkSize(image, "image");
        return image;
    }

    /**
     * Reads an image file.
     *
     * @param file the file
     * @return the image
     * @throws IOException naming the file when it cannot be read or decoded
     */
    public static BufferedImage read(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new IOException(file + ": not an image javax.imageio can read (expected PNG, JPEG, GIF or BMP)");
        }
        checkSize(image, file.toString());
        return image;
    }

    private static void checkSize(BufferedImage image, String what) throws IOException {
        if (image.getWidth() > MAX_SIDE || image.getHeight() > MAX_SIDE) {
            throw new IOException(what + " is " + image.getWidth() + "x" + image.getHeight()
                    + ", larger than the limit of " + MAX_SIDE + " pixels on a side");
        }
    }

    /**
     * @param image any image
     * @param channels 1 for grey (ITU-R BT.601 luma: 0.299 R + 0.587 G + 0.114 B), 3 for RGB
     * @return a float32 tensor [channels, H, W] with values 0..255
     */
    public static Tensor toTensor(BufferedImage image, int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 (grey) or 3 (RGB), got " + channels);
        }
        int h = image.getHeight();
        int w = image.getWidth();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        float[] px = new float[channels * h * w];
        int plane = h * w;
        for (int i = 0; i < plane; i++) {
            int r = (argb[i] >> 16) & 0xff;
            int g = (argb[i] >> 8) & 0xff;
            int b = argb[i] & 0xff;
            if (channels == 1) {
                px[i] = image.getType() == BufferedImage.TYPE_BYTE_GRAY ? image.getRaster().getSample(i % w, i / w, 0)
                        : Math.round(0.299f * r + 0.587f * g + 0.114f * b);
            } else {
                px[i] = r;
                px[plane + i] = g;
                px[2 * plane + i] = b;
            }
        }
        return Kindling.fromArray(px, channels, h, w);
    }

    /**
     * @param chw a tensor [1 or 3, H, W] with values 0..255 (clamped and rounded)
     * @return a grey or RGB image
     */
    public static BufferedImage toImage(Tensor chw) {
        int[] s = chw.shape().toArray();
        if (s.length != 3 || (s[0] != 1 && s[0] != 3)) {
            throw new IllegalArgumentException("expected an image tensor [1 or 3, H, W], got " + chw.shape());
        }
        int c = s[0];
        int h = s[1];
        int w = s[2];
        float[] px = chw.detach().toFloatArray();
        BufferedImage image = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        int plane = h * w;
        for (int i = 0; i < plane; i++) {
            if (c == 1) {
                image.getRaster().setSample(i % w, i / w, 0, toByte(px[i]));
            } else {
                image.setRGB(i % w, i / w, toByte(px[i]) << 16 | toByte(px[plane + i]) << 8 | toByte(px[2 * plane + i]));
            }
        }
        return image;
    }

    /**
     * Writes a PNG atomically (temporary file, then rename).
     *
     * @param image the image
     * @param file the target
     * @throws IOException when writing fails
     */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IOException("no PNG writer for image type " + image.getType());
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static int toByte(float v) {
        return Float.isNaN(v) ? 0 : Math.round(Math.max(0f, Math.min(255f, v)));
    }
}
