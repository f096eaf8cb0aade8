package org.kindling.train.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.Kindling;
import org.kindling.tensor.Tensor;
import org.kindling.train.tensorboard.internal.TfRecords;
import org.kindling.train.tensorboard.internal.proto.DataType;
import org.kindling.train.tensorboard.internal.proto.Event;
import org.kindling.train.tensorboard.internal.proto.HistogramProto;
import org.kindling.train.tensorboard.internal.proto.Summary;
import org.kindling.train.tensorboard.internal.proto.hparams.HParamsPluginData;

class SummaryWriterTest {

    @TempDir
    Path dir;

    /** Reads a TFRecord file with this test's own parser: every length, both masked CRC32Cs, no bytes left over. */
    private static List<Event> readEvents(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        List<Event> events = new ArrayList<>();
        while (b.hasRemaining()) {
            assertTrue(b.remaining() >= 12, "record header complete at byte " + b.position());
            int start = b.position();
            long length = b.getLong();
            int lengthCrc = b.getInt();
            assertEquals(masked(all, start, 8), lengthCrc, "length CRC of record " + events.size());
            assertTrue(length >= 0 && length <= b.remaining() - 4, "record " + events.size() + " fits in the file");
            byte[] data = new byte[(int) length];
            b.get(data);
            int dataCrc = b.getInt();
            assertEquals(masked(data, 0, data.length), dataCrc, "data CRC of record " + events.size());
            events.add(Event.parseFrom(data));
        }
        return events;
    }

    private static int masked(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        int c = (int) crc.getValue();
        return Integer.rotateRight(c, 15) + 0xa282ead8;
    }

    @Test
    void crc32cMatchesTheStandardCheckValueAndTheMaskIsTensorFlows() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        CRC32C crc = new CRC32C();
        crc.update(check);
        assertEquals(0xE3069283L, crc.getValue());
        assertEquals(Integer.rotateRight(0xE3069283, 15) + 0xa282ead8, TfRecords.maskedCrc32c(check, 0, 9));
    }

    @Test
    void everyKindOfSummaryIsWrittenFramedAndReadBack() throws IOException {
        Path file;
        try (SummaryWriter tb = new SummaryWriter(dir.resolve("run1"))) {
            file = tb.file();
            for (int step = 0; step < 5; step++) {
                tb.addScalar("train/loss", 1.0 / (step + 1), step);
            }
            double[] values = new double[100];
            for (int i = 0; i < 100; i++) {
                values[i] = i;
            }
            tb.addHistogram("weights", values, 10, 7);
            float[] px = new float[3 * 5 * 7];
            for (int i = 0; i < px.length; i++) {
                px[i] = (i % 35) / 34f;
            }
            tb.addImage("sample", Kindling.fromArray(px, 3, 5, 7), 8);
            tb.addText("notes", "lr **1e-3**", 9);
            Map<String, Object> hp = new LinkedHashMap<>();
            hp.put("lr", 0.001);
            hp.put("optimizer", "adam");
            hp.put("augment", true);
            tb.addHparams(hp, Map.of("hparam/accuracy", 0.91));
        }
        assertTrue(file.getFileName().toString().matches("events\\.out\\.tfevents\\.\\d{10}\\.[A-Za-z0-9._-]+"),
                file.getFileName().toString());

        List<Event> events = readEvents(file);
        assertEquals(1 + 5 + 1 + 1 + 1 + 3 + 1, events.size());
        assertEquals("brain.Event:2", events.get(0).getFileVersion());
        assertTrue(events.get(0).getWallTime() > 1.6e9, "wall time in seconds since the epoch");

        for (int step = 0; step < 5; step++) {
            Event e = events.get(1 + step);
            assertEquals(step, e.getStep());
            Summary.Value v = e.getSummary().getValue(0);
            assertEquals("train/loss", v.getTag());
            assertEquals((float) (1.0 / (step + 1)), v.getSimpleValue());
        }

        Event histEvent = events.get(6);
        assertEquals(7, histEvent.getStep());
        HistogramProto h = histEvent.getSummary().getValue(0).getHisto();
        assertEquals(0, h.getMin());
        assertEquals(99, h.getMax());
        assertEquals(100, h.getNum());
        assertEquals(4950, h.getSum());
        assertEquals(328350, h.getSumSquares());
        assertEquals(10, h.getBucketCount());
        for (int i = 0; i < 10; i++) {
            assertEquals(10, h.getBucket(i), "bucket " + i + " holds 10*i .. 10*i+9");
            assertEquals(9.9 * (i + 1), h.getBucketLimit(i), 1e-9);
        }

        Summary.Image img = events.get(7).getSummary().getValue(0).getImage();
        assertEquals(5, img.getHeight());
        assertEquals(7, img.getWidth());
        assertEquals(3, img.getColorspace());
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(img.getEncodedImageString().toByteArray()));
        assertEquals(7, decoded.getWidth());
        assertEquals(5, decoded.getHeight());
        int rgb = decoded.getRGB(6, 4); // index 34 in each plane: value 1.0
        assertEquals(0xffffff, rgb & 0xffffff);
        assertEquals(Math.round(10 / 34f * 255), (decoded.getRGB(3, 1) >> 16) & 0xff, "red at y=1, x=3 is 10/34");

        Summary.Value text = events.get(8).getSummary().getValue(0);
        assertEquals("notes", text.getTag());
        assertEquals("text", text.getMetadata().getPluginData().getPluginName());
        assertEquals(DataType.DT_STRING, text.getTensor().getDtype());
        assertEquals("lr **1e-3**", text.getTensor().getStringVal(0).toStringUtf8());

        HParamsPluginData experiment = hparams(events.get(9), "_hparams_/experiment");
        assertEquals(3, experiment.getExperiment().getHparamInfosCount());
        assertEquals("lr", experiment.getExperiment().getHparamInfos(0).getName());
        assertEquals("hparam/accuracy", experiment.getExperiment().getMetricInfos(0).getName().getTag());
        HParamsPluginData start = hparams(events.get(10), "_hparams_/session_start_info");
        assertEquals(0.001, start.getSessionStartInfo().getHparamsOrThrow("lr").getNumberValue());
        assertEquals("adam", start.getSessionStartInfo().getHparamsOrThrow("optimizer").getStringValue());
        assertTrue(start.getSessionStartInfo().getHparamsOrThrow("augment").getBoolValue());
        HParamsPluginData end = hparams(events.get(11), "_hparams_/session_end_info");
        assertEquals("STATUS_SUCCESS", end.getSessionEndInfo().getStatus().name());
        Summary.Value metric = events.get(12).getSummary().getValue(0);
        assertEquals("hparam/accuracy", metric.getTag());
        assertEquals(0.91f, metric.getSimpleValue());

        // The production reader agrees with the test's parser.
        assertEquals(events.size(), TfRecords.readAll(Files.newInputStream(file), file.toString()).size());
    }

    private static HParamsPluginData hparams(Event e, String tag) throws IOException {
        Summary.Value v = e.getSummary().getValue(0);
        assertEquals(tag, v.getTag());
        assertEquals("hparams", v.getMetadata().getPluginData().getPluginName());
        return HParamsPluginData.parseFrom(v.getMetadata().getPluginData().getContent());
    }

    @Test
    void recordsAreOnDiskAfterFlushWhileTheWriterStaysOpen() throws IOException {
        try (SummaryWriter tb = new SummaryWriter(dir, java.time.Duration.ofHours(1))) {
            tb.addScalar("a", 1, 0);
            tb.flush();
            assertEquals(2, readEvents(tb.file()).size());
            tb.addScalar("a", 2, 1);
            tb.flush();
            assertEquals(2.0f, readEvents(tb.file()).get(2).getSummary().getValue(0).getSimpleValue());
        }
    }

    @Test
    void corruptOrTruncatedFilesAreReportedWithTheRecordAndTheProblem() throws IOException {
        Path file;
        try (SummaryWriter tb = new SummaryWriter(dir)) {
            tb.addScalar("a", 1, 0);
            file = tb.file();
        }
        byte[] good = Files.readAllBytes(file);
        byte[] flipped = good.clone();
        flipped[flipped.length - 6] ^= 0x40; // inside record 1's data
        IOException bad = assertThrows(IOException.class,
                () -> TfRecords.readAll(new ByteArrayInputStream(flipped), "f"));
        assertTrue(bad.getMessage().contains("record 1 has a bad data checksum"), bad.getMessage());

        byte[] cut = java.util.Arrays.copyOf(good, good.length - 2);
        IOException truncated = assertThrows(IOException.class,
                () -> TfRecords.readAll(new ByteArrayInputStream(cut), "f"));
        assertTrue(truncated.getMessage().contains("record 1 is truncated"), truncated.getMessage());

        byte[] badLength = good.clone();
        badLength[0] ^= 1;
        IOException length = assertThrows(IOException.class,
                () -> TfRecords.readAll(new ByteArrayInputStream(badLength), "f"));
        assertTrue(length.getMessage().contains("record 0 has a bad length checksum"), length.getMessage());
    }

    @Test
    void histogramOfATensorAndOfEqualValues() throws IOException {
        Path file;
        try (SummaryWriter tb = new SummaryWriter(dir)) {
            tb.addHistogram("t", Kindling.fromArray(new float[] {-1, 0, 0, 1, 2, 2}, 2, 3), 3);
            tb.addHistogram("same", new double[] {4, 4, 4}, 5, 4);
            file = tb.file();
        }
        List<Event> events = readEvents(file);
        HistogramProto t = events.get(1).getSummary().getValue(0).getHisto();
        assertEquals(SummaryWriter.DEFAULT_BINS, t.getBucketCount());
        assertEquals(6, t.getBucketList().stream().mapToDouble(Double::doubleValue).sum());
        assertEquals(1, t.getBucket(0), "-1 alone in the first bucket");
        assertEquals(2, t.getBucket(SummaryWriter.DEFAULT_BINS - 1), "both 2s in the last bucket");
        HistogramProto same = events.get(2).getSummary().getValue(0).getHisto();
        assertEquals(1, same.getBucketCount());
        assertEquals(3, same.getBucket(0));
        assertEquals(4, same.getBucketLimit(0));
    }

    @Test
    void badArgumentsAndClosedWritersFailClearly() {
        SummaryWriter tb = new SummaryWriter(dir);
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> tb.addHistogram("h", new double[] {1, Double.NaN}, 3, 0));
        assertTrue(nan.getMessage().contains("found 1 NaN or infinite of 2"), nan.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> tb.addImage("i", Kindling.zeros(2, 4, 4), 0));
        assertTrue(shape.getMessage().contains("[2, 4, 4]"), shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tb.addScalar(" ", 1, 0));
        tb.close();
        tb.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> tb.addScalar("a", 1, 0));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }

    @Test
    void greyImagesAreColorspaceOne() throws IOException {
        Tensor grey = Kindling.full(new int[] {1, 2, 3}, 0.5);
        BufferedImage image = SummaryWriter.toImage(grey);
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, image.getType());
        assertArrayEquals(new int[] {128, 128, 128}, image.getRaster().getPixels(0, 1, 3, 1, (int[]) null));
        Path file;
        try (SummaryWriter tb = new SummaryWriter(dir)) {
            tb.addImage("g", grey, 0);
            file = tb.file();
        }
        assertEquals(1, readEvents(file).get(1).getSummary().getValue(0).getImage().getColorspace());
    }
}
