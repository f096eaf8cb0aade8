package org.kindling.vision.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.data.Example;
import org.kindling.vision.transforms.Compose;
import org.kindling.vision.transforms.Resize;
import org.kindling.vision.transforms.ToTensor;
import org.kindling.vision.transforms.Transform;

class ImageFolderAndFakeDataTest {

    @TempDir
    Path root;

    private static BufferedImage solid(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    @Test
    void classesAreSortedFolderNamesAndImagesDecodeToTheirPixels() throws IOException {
        Files.createDirectories(root.resolve("red"));
        Files.createDirectories(root.resolve("blue"));
        ImageIO.write(solid(5, 4, 0xff0000), "png", root.resolve("red/a.png").toFile());
        ImageIO.write(solid(3, 3, 0xff0000), "jpg", root.resolve("red/b.jpg").toFile());
        ImageIO.write(solid(6, 2, 0x0000ff), "png", root.resolve("blue/x.png").toFile());
        Files.writeString(root.resolve("blue/notes.txt"), "not an image");

        ImageFolder rgb = new ImageFolder(root, 3, Transform.identity());
        assertEquals(List.of("blue", "red"), rgb.classes());
        assertEquals(3, rgb.size());
        assertEquals(0, rgb.label(0));
        assertEquals(1, rgb.label(2));
        Example blue = rgb.get(0);
        assertArrayEquals(new int[] {3, 2, 6}, blue.x().shape().toArray());
        float[] px = blue.x().toFloatArray();
        assertEquals(0, px[0]);
        assertEquals(255, px[2 * 12]);
        assertEquals(0, blue.y().itemLong());

        ImageFolder grey = new ImageFolder(root, 1, Compose.of(new Resize(4, 4), new ToTensor()));
        Example red = grey.get(1);
        assertArrayEquals(new int[] {1, 4, 4}, red.x().shape().toArray());
        assertEquals(Math.round(0.299f * 255) / 255f, red.x().toFloatArray()[0], 1e-6, "luma of pure red");
        assertEquals(1, red.y().itemLong());
    }

    @Test
    void emptyOrMissingFoldersAndUndecodableFilesFailNamingThePath() throws IOException {
        IOException missing = assertThrows(IOException.class,
                () -> new ImageFolder(root.resolve("nope"), 1, Transform.identity()));
        assertTrue(missing.getMessage().contains("nope is not a folder"), missing.getMessage());
        IOException none = assertThrows(IOException.class, () -> new ImageFolder(root, 1, Transform.identity()));
        assertTrue(none.getMessage().contains("has no class folders"), none.getMessage());
        Files.createDirectories(root.resolve("cat"));
        IOException empty = assertThrows(IOException.class, () -> new ImageFolder(root, 1, Transform.identity()));
        assertTrue(empty.getMessage().contains("cat has no .png, .jpg or .jpeg files"), empty.getMessage());
        Files.writeString(root.resolve("cat/fake.png"), "this is text");
        ImageFolder folder = new ImageFolder(root, 1, Transform.identity());
        UncheckedIOException bad = assertThrows(UncheckedIOException.class, () -> folder.get(0));
        assertTrue(bad.getMessage().contains("fake.png: not an image"), bad.getMessage());
    }

    @Test
    void fakeDataIsDeterministicPerSeedAndIndex() {
        FakeData a = new FakeData(50, new int[] {3, 8, 8}, 4, 7L);
        FakeData b = new FakeData(50, new int[] {3, 8, 8}, 4, 7L);
        FakeData c = new FakeData(50, new int[] {3, 8, 8}, 4, 8L);
        assertArrayEquals(a.get(13).x().toFloatArray(), b.get(13).x().toFloatArray());
        assertEquals(a.get(13).y().itemLong(), b.get(13).y().itemLong());
        assertNotEquals(java.util.Arrays.toString(a.get(13).x().toFloatArray()),
                java.util.Arrays.toString(c.get(13).x().toFloatArray()));
        int[] counts = new int[4];
        for (int i = 0; i < 50; i++) {
            float[] px = a.get(i).x().toFloatArray();
            for (float p : px) {
                assertTrue(p >= 0 && p <= 1, "ToTensor output in [0, 1]");
            }
            counts[(int) a.get(i).y().itemLong()]++;
        }
        for (int k : counts) {
            assertTrue(k > 3, "labels spread over the 4 classes: " + java.util.Arrays.toString(counts));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> a.get(50));
    }
}
