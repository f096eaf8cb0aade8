package org.kindling.vision.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.data.Example;

class MnistDatasetTest {

    @TempDir
    Path dir;

    /** An IDX file of unsigned bytes: magic 0x000008&lt;rank&gt;, big-endian dims, data. */
    static byte[] idx(int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(0x0800 | dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    static void write(Path file, byte[] bytes) throws IOException {
        if (file.toString().endsWith(".gz")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OutputStream gz = new GZIPOutputStream(out)) {
                gz.write(bytes);
            }
            bytes = out.toByteArray();
        }
        Files.write(file, bytes);
    }

    /** Three 2x3 images whose pixel j of image i is 10*i + j, labels 2, 0, 9. */
    private void writeTiny(Path folder, String prefix, boolean gzip) throws IOException {
        Files.createDirectories(folder);
        byte[] px = new byte[3 * 6];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (10 * (i / 6) + i % 6);
        }
        String gz = gzip ? ".gz" : "";
        write(folder.resolve(prefix + "-images-idx3-ubyte" + gz), idx(new int[] {3, 2, 3}, px));
        write(folder.resolve(prefix + "-labels-idx1-ubyte" + gz), idx(new int[] {3}, new byte[] {2, 0, 9}));
    }

    @Test
    void readsPlainAndGzippedIdxFilesFromAnExplicitFolder() throws IOException {
        writeTiny(dir.resolve("plain"), "t10k", false);
        writeTiny(dir.resolve("zipped"), "t10k", true);
        for (String sub : List.of("plain", "zipped")) {
            MnistDataset test = MnistDataset.fashion(dir.resolve(sub), Split.TEST);
            assertEquals(3, test.size());
            assertEquals(2, test.rows());
            assertEquals(3, test.cols());
            assertEquals(9, test.label(2));
            assertArrayEquals(new float[] {10, 11, 12, 13, 14, 15}, test.rawImage(1).toFloatArray());
            Example e = test.get(1);
            assertArrayEquals(new int[] {1, 2, 3}, e.x().shape().toArray());
            assertEquals(15 / 255f, e.x().toFloatArray()[5], 1e-7, "ToTensor scales to [0, 1]");
            assertEquals(0, e.y().itemLong());
            assertArrayEquals(new long[] {2, 0, 9}, test.labels().toLongArray());
            assertEquals("Ankle boot", test.classes().get(test.label(2)));
            assertEquals(2, test.head(2).size());
        }
    }

    @Test
    void aFashionMnistSubFolderOfTheExplicitPathIsFoundToo() throws IOException {
        writeTiny(dir.resolve("fashion-mnist"), "train", true);
        assertEquals(3, MnistDataset.fashion(dir, Split.TRAIN).size());
    }

    @Test
    void readsTheCommittedFashionMnistSubset() throws IOException {
        Path subset = Path.of(System.getProperty("kindling.test.fashionSubset"));
        MnistDataset train = MnistDataset.fashion(subset, Split.TRAIN);
        MnistDataset test = MnistDataset.fashion(subset, Split.TEST);
        assertEquals(4000, train.size());
        assertEquals(1000, test.size());
        assertEquals(28, train.rows());
        int[] perClass = new int[10];
        for (int i = 0; i < train.size(); i++) {
            perClass[train.label(i)]++;
        }
        for (int c = 0; c < 10; c++) {
            assertTrue(perClass[c] > 250, "class " + c + " has " + perClass[c] + " of 4000 examples");
        }
        float[] px = train.rawImage(0).toFloatArray();
        float max = 0;
        for (float p : px) {
            max = Math.max(max, p);
        }
        assertTrue(max > 200 && max <= 255, "raw pixels are 0..255, max " + max);
    }

    @Test
    void aMissingDataSetNamesTheFoldersSearchedAndTheFetchCommand() {
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> DataLocations.find("no-such-set", dir, "train-images-idx3-ubyte"));
        assertTrue(e.getMessage().contains("kindling data fetch no-such-set"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(Path.of(System.getProperty("user.home"), ".kindling", "data", "no-such-set")
                .toString()), e.getMessage());
        assertTrue(e.getMessage().contains("/usr/share/datasets/no-such-set"), e.getMessage());
        assertEquals("no-such-set", e.dataset());
    }

    @Test
    void searchOrderIsExplicitThenEnvironmentThenHomeThenSystem() {
        Path home = Path.of("/home/u");
        List<Path> order = DataLocations.candidates("fashion-mnist", Path.of("/x"),
                java.util.Map.of(DataLocations.ENV, "/data"), home);
        assertEquals(List.of(Path.of("/x"), Path.of("/x/fashion-mnist"), Path.of("/data/fashion-mnist"),
                Path.of("/home/u/.kindling/data/fashion-mnist"), Path.of("/usr/share/datasets/fashion-mnist")), order);
        assertEquals(List.of(Path.of("/home/u/.kindling/data/fashion-mnist"),
                Path.of("/usr/share/datasets/fashion-mnist")), DataLocations.candidates("fashion-mnist", null,
                java.util.Map.of(), home));
    }

    @Test
    void aBadMagicNumberIsReportedWithTheFile() throws IOException {
        Path f = dir.resolve("images");
        byte[] bytes = idx(new int[] {1, 2, 2}, new byte[4]);
        bytes[2] = 0x0D; // float type code
        write(f, bytes);
        IOException e = assertThrows(IOException.class, () -> IdxFile.read(f, 3));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("bad magic number 0x00000d03, expected 0x00000803"), e.getMessage());
        IOException labelsAsImages = assertThrows(IOException.class, () -> {
            write(f, idx(new int[] {4}, new byte[4]));
            IdxFile.read(f, 3);
        });
        assertTrue(labelsAsImages.getMessage().contains("expected 0x00000803"), labelsAsImages.getMessage());
    }

    @Test
    void truncatedFilesAreReportedPlainAndGzipped() throws IOException {
        byte[] full = idx(new int[] {2, 2, 2}, new byte[8]);
        byte[] cut = Arrays.copyOf(full, full.length - 3);
        Path plain = dir.resolve("cut");
        write(plain, cut);
        IOException e = assertThrows(IOException.class, () -> IdxFile.read(plain, 3));
        assertTrue(e.getMessage().contains(plain + ": truncated: the header promises 8 data bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("the file has 5"), e.getMessage());

        Path gz = dir.resolve("cut.gz");
        write(gz, cut);
        IOException g = assertThrows(IOException.class, () -> IdxFile.read(gz, 3));
        assertTrue(g.getMessage().contains(gz + ": truncated: the header promises 8 data bytes"), g.getMessage());

        byte[] zipped = Files.readAllBytes(gz);
        Path broken = dir.resolve("broken.gz");
        Files.write(broken, Arrays.copyOf(zipped, zipped.length / 2));
        IOException b = assertThrows(IOException.class, () -> IdxFile.read(broken, 3));
        assertTrue(b.getMessage().startsWith(broken + ": truncated"), b.getMessage());

        Path header = dir.resolve("header");
        write(header, Arrays.copyOf(full, 9));
        IOException h = assertThrows(IOException.class, () -> IdxFile.read(header, 3));
        assertTrue(h.getMessage().contains("the header ends inside dimension 1"), h.getMessage());
    }

    @Test
    void extraBytesAndDisagreeingCountsAndBadLabelsAreReported() throws IOException {
        Path extra = dir.resolve("extra");
        write(extra, idx(new int[] {2}, new byte[] {1, 2, 3}));
        IOException x = assertThrows(IOException.class, () -> IdxFile.read(extra, 1));
        assertTrue(x.getMessage().contains(extra + ": has extra bytes"), x.getMessage());

        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
        write(images, idx(new int[] {3, 2, 2}, new byte[12]));
        write(labels, idx(new int[] {2}, new byte[] {1, 1}));
        IOException counts = assertThrows(IOException.class, () -> MnistDataset.fashion(dir, Split.TRAIN));
        assertTrue(counts.getMessage().contains(images + " holds 3 images but " + labels + " holds 2 labels"),
                counts.getMessage());

        write(labels, idx(new int[] {3}, new byte[] {1, 12, 1}));
        IOException label = assertThrows(IOException.class, () -> MnistDataset.fashion(dir, Split.TRAIN));
        assertTrue(label.getMessage().contains(labels + ": label 1 is 12, expected 0..9"), label.getMessage());
    }
}
