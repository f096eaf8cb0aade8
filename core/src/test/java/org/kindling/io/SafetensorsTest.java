package org.kindling.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/** Round trips, the byte layout Kindling writes, and the atomic write. */
class SafetensorsTest {
    @TempDir
    Path dir;

    private static StateDict everyDtype() {
        StateDict sd = new StateDict();
        sd.put("f32", Kindling.fromArray(new float[] {1.5f, -0f, Float.NaN, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.MIN_VALUE}, 2, 3));
        sd.put("f64", Kindling.fromArray(new double[] {Math.PI, -0.0, Double.MIN_VALUE, Double.MAX_VALUE}, 4));
        sd.put("i64", Kindling.fromArray(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE, (1L << 53) + 1}, 5));
        sd.put("i32", Kindling.fromArray(new int[] {Integer.MIN_VALUE, -7, 0, Integer.MAX_VALUE}, 2, 1, 2));
        sd.put("bool", Kindling.tensor(new boolean[] {true, false, false, true}));
        sd.put("scalar", Kindling.scalar(2.25));
        sd.put("empty", Kindling.zeros(new int[] {0, 3}, DType.INT64));
        sd.put("empty.1d", Kindling.zeros(0));
        return sd;
    }

    /** Same dtype, shape and bit-identical values (NaN payloads and -0.0 included). */
    static void assertSameTensor(Tensor expected, Tensor actual, String name) {
        assertEquals(expected.dtype(), actual.dtype(), name + ": dtype");
        assertArrayEquals(expected.shape().toArray(), actual.shape().toArray(), name + ": shape");
        switch (expected.dtype()) {
            case FLOAT32 -> {
                float[] e = expected.toFloatArray();
                float[] a = actual.toFloatArray();
                for (int i = 0; i < e.length; i++) {
                    assertEquals(Float.floatToIntBits(e[i]), Float.floatToIntBits(a[i]), name + "[" + i + "]");
                }
            }
            case FLOAT64 -> {
                double[] e = expected.toDoubleArray();
                double[] a = actual.toDoubleArray();
                for (int i = 0; i < e.length; i++) {
                    assertEquals(Double.doubleToLongBits(e[i]), Double.doubleToLongBits(a[i]), name + "[" + i + "]");
                }
            }
            default -> assertArrayEquals(expected.toLongArray(), actual.toLongArray(), name + ": values");
        }
    }

    static void assertSameStateDict(Map<String, Tensor> expected, StateDict actual) {
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()), "names in order");
        for (String name : expected.keySet()) assertSameTensor(expected.get(name), actual.get(name), name);
    }

    @Test
    void everyDtypeRoundTripsExactlyInOrder() throws IOException {
        StateDict sd = everyDtype();
        Path f = dir.resolve("all.safetensors");
        Safetensors.save(sd, f);
        StateDict back = Safetensors.load(f);
        assertSameStateDict(sd, back);
        assertTrue(back.metadata().isEmpty());
        assertNotSame(sd.get("f32"), back.get("f32"));
    }

    @Test
    void tensorsLargerThanTheIoChunkRoundTrip() throws IOException {
        StateDict sd = new StateDict();
        sd.put("odd", Kindling.tensor(new boolean[] {true, false, true}));  // 3 bytes: misaligns what follows
        sd.put("big", Kindling.randn(270_007));                       // 1.08 MB: more than one 1 MiB chunk
        sd.put("big.t", Kindling.randn(300, 200).t());                 // non-contiguous
        sd.put("longs", Kindling.arange(140_001));                     // 1.12 MB of int64
        sd.put("mask", Kindling.arange(1_050_000).remainder(3L).eq(0.0)); // 1.05 MB of bool
        Path f = dir.resolve("big.safetensors");
        Safetensors.save(sd, f);
        assertSameStateDict(sd, Safetensors.load(f));
    }

    @Test
    void loadedTensorsAreIndependentLeaves() throws IOException {
        Path f = dir.resolve("w.safetensors");
        StateDict sd = new StateDict();
        sd.put("w", Kindling.ones(2, 2));
        Safetensors.save(sd, f);
        Tensor w = Safetensors.load(f).get("w");
        assertTrue(w.isContiguous());
        assertFalse(w.requiresGrad());
        w.add_(1.0);
        assertEquals(8.0, w.sum().item());
        assertEquals(4.0, Safetensors.load(f).get("w").sum().item());
    }

    @Test
    void viewsAreSavedAsTheirValues() throws IOException {
        Tensor base = Kindling.arange(0, 12, 1).to(DType.FLOAT32).reshape(3, 4);
        StateDict sd = new StateDict();
        sd.put("transposed", base.t());                       // strides [1, 4]
        sd.put("narrowed", base.narrow(1, 1, 2));             // offset 1, row stride 4
        sd.put("row", base.select(0, 2));                     // offset 8, contiguous
        sd.put("expanded", Kindling.tensor(new int[] {7, 8}).expand(3, 2)); // stride 0
        sd.put("permuted", Kindling.arange(24).reshape(2, 3, 4).permute(2, 0, 1));
        assertFalse(sd.get("transposed").isContiguous());
        Path f = dir.resolve("views.safetensors");
        Safetensors.save(sd, f);
        StateDict back = Safetensors.load(f);
        assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, back.get("transposed").toFloatArray());
        assertArrayEquals(new int[] {4, 3}, back.get("transposed").shape().toArray());
        assertArrayEquals(new float[] {1, 2, 5, 6, 9, 10}, back.get("narrowed").toFloatArray());
        assertArrayEquals(new float[] {8, 9, 10, 11}, back.get("row").toFloatArray());
        assertArrayEquals(new int[] {7, 8, 7, 8, 7, 8}, back.get("expanded").toIntArray());
        for (String name : sd.keySet()) assertSameTensor(sd.get(name).contiguous(), back.get(name), name);
        // the views' data sizes, not their storages', are written
        assertEquals(8 + headerLength(f) + 4 * (12 + 6 + 4) + 4 * 6 + 8 * 24, Files.size(f));
    }

    @Test
    void metadataRoundTripsWithAnyCharacters() throws IOException {
        StateDict sd = new StateDict();
        sd.put("w", Kindling.ones(1));
        sd.putMetadata("format", "pt");
        sd.putMetadata("quotes \"and\" \\backslash", "line\nbreak\ttab \u0001 control");
        sd.putMetadata("unicode \u00e9\u2713", "emoji \ud83d\udd25 / slash");
        sd.putMetadata("empty", "");
        Path f = dir.resolve("meta.safetensors");
        Checkpoints.save(sd, f);
        StateDict back = Checkpoints.load(f);
        assertEquals(new ArrayList<>(sd.metadata().entrySet()), new ArrayList<>(back.metadata().entrySet()));
    }

    @Test
    void namesWithAnyCharactersRoundTrip() throws IOException {
        StateDict sd = new StateDict();
        for (String name : List.of("", "a.b.0.weight", "with \"quote\"", "tab\tand\nnewline", "caf\u00e9 \ud83d\udd25")) {
            sd.put(name, Kindling.scalar((long) name.length()));
        }
        Path f = dir.resolve("names.safetensors");
        Safetensors.save(sd, f);
        assertSameStateDict(sd, Safetensors.load(f));
    }

    @Test
    void emptyStateDictIsAValidFile() throws IOException {
        Path f = dir.resolve("empty.safetensors");
        Safetensors.save(new StateDict(), f);
        assertArrayEquals(expectedFile("{}", new byte[0]), Files.readAllBytes(f));
        assertTrue(Safetensors.load(f).isEmpty());
    }

    @Test
    void plainMapsSaveToo() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("b", Kindling.ones(2));
        m.put("a", Kindling.zeros(1));
        Path f = dir.resolve("map.safetensors");
        Checkpoints.save(m, f);
        StateDict back = Checkpoints.load(f);
        assertEquals(List.of("b", "a"), new ArrayList<>(back.keySet()));
        assertEquals(new StateDict(m).keySet(), back.keySet());
    }

    // ------------------------------------------------------------------ byte layout

    /** What a conforming writer produces: LE u64 length, compact JSON padded with spaces to 8, LE data. */
    static byte[] expectedFile(String json, byte[] data) {
        byte[] j = json.getBytes(StandardCharsets.UTF_8);
        int padded = (j.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(j);
        for (int i = j.length; i < padded; i++) b.put((byte) ' ');
        return b.put(data).array();
    }

    private static long headerLength(Path f) throws IOException {
        byte[] head = new byte[8];
        try (var in = Files.newInputStream(f)) {
            assertEquals(8, in.readNBytes(head, 0, 8));
        }
        return ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void bytesMatchTheSafetensorsLayoutExactly() throws IOException {
        StateDict sd = new StateDict();
        sd.put("w", Kindling.fromArray(new float[] {1f, -2f}, 2));
        sd.put("n", Kindling.fromArray(new long[] {258}, 1, 1));
        sd.put("m", Kindling.tensor(new boolean[] {true, false, true}));
        sd.put("s", Kindling.fromArray(new double[] {0.5}, 1));
        sd.putMetadata("format", "pt");
        Path f = dir.resolve("layout.safetensors");
        Safetensors.save(sd, f);

        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"n\":{\"dtype\":\"I64\",\"shape\":[1,1],\"data_offsets\":[8,16]},"
                + "\"m\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[16,19]},"
                + "\"s\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[19,27]}}";
        byte[] data = {
            0, 0, (byte) 0x80, 0x3f, 0, 0, 0, (byte) 0xc0,  // 1f, -2f little-endian
            2, 1, 0, 0, 0, 0, 0, 0,                          // 258L
            1, 0, 1,                                         // true, false, true
            0, 0, 0, 0, 0, 0, (byte) 0xe0, 0x3f              // 0.5
        };
        byte[] actual = Files.readAllBytes(f);
        assertEquals(new String(expectedFile(json, data), StandardCharsets.ISO_8859_1),
                new String(actual, StandardCharsets.ISO_8859_1));
        assertEquals(0, headerLength(f) % 8, "header padded to a multiple of 8");
    }

    @Test
    void headerIsPaddedToAMultipleOfEightForEveryNameLength() throws IOException {
        for (int len = 1; len <= 9; len++) {
            StateDict sd = new StateDict();
            sd.put("x".repeat(len), Kindling.zeros(1));
            Path f = dir.resolve("pad" + len + ".safetensors");
            Safetensors.save(sd, f);
            long n = headerLength(f);
            assertEquals(0, n % 8, "header length for a name of " + len);
            assertEquals(8 + n + 4, Files.size(f));
            byte[] all = Files.readAllBytes(f);
            String header = new String(all, 8, (int) n, StandardCharsets.UTF_8);
            assertTrue(header.startsWith("{") && header.stripTrailing().endsWith("}"), header);
            assertTrue(header.substring(header.lastIndexOf('}') + 1).chars().allMatch(c -> c == ' '), "spaces only");
            assertEquals(sd.keySet(), Safetensors.load(f).keySet());
        }
    }

    // ------------------------------------------------------------------ saving: argument checks

    @Test
    void reservedOrNullNamesAreRejectedBeforeAnythingIsWritten() {
        StateDict sd = new StateDict();
        assertThrows(IllegalArgumentException.class, () -> sd.put("__metadata__", Kindling.ones(1)));
        assertThrows(NullPointerException.class, () -> sd.put(null, Kindling.ones(1)));
        assertThrows(NullPointerException.class, () -> sd.put("w", null));

        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("__metadata__", Kindling.ones(1));
        Path f = dir.resolve("bad.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.save(bad, f));
        assertTrue(e.getMessage().contains("__metadata__"), e.getMessage());
        Map<String, Tensor> nul = new LinkedHashMap<>();
        nul.put("w", null);
        e = assertThrows(IllegalArgumentException.class, () -> Safetensors.save(nul, f));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
        assertFalse(Files.exists(f));
        assertEquals(0, leftovers());
    }

    @Test
    void unpairedSurrogatesCannotBeWritten() {
        StateDict sd = new StateDict();
        sd.put("bad\ud800name", Kindling.ones(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Safetensors.save(sd, dir.resolve("s.safetensors")));
        assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
    }

    // ------------------------------------------------------------------ atomic write

    private long leftovers() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aWriteFailingMidwayLeavesThePreviousFileAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("model.safetensors");
        StateDict old = new StateDict();
        old.put("w", Kindling.fromArray(new float[] {1, 2, 3}, 3));
        Safetensors.save(old, f);
        byte[] before = Files.readAllBytes(f);

        StateDict next = everyDtype();
        List<String> written = new ArrayList<>();
        IOException e = assertThrows(IOException.class, () -> Safetensors.save(next, f, name -> {
            written.add(name);
            if (written.size() == 3) throw new IOException("simulated: no space left on device");
        }));
        assertEquals("simulated: no space left on device", e.getMessage());
        assertEquals(List.of("f32", "f64", "i64"), written);
        assertArrayEquals(before, Files.readAllBytes(f), "the previous file is untouched");
        assertEquals(0, leftovers(), "no temporary file left behind");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }

        RuntimeException r = assertThrows(RuntimeException.class, () -> Safetensors.save(next, f, name -> {
            throw new IllegalStateException("simulated bug");
        }));
        assertEquals("simulated bug", r.getMessage());
        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals(0, leftovers());

        Safetensors.save(next, f);  // and a successful save replaces it
        assertSameStateDict(next, Safetensors.load(f));
        assertEquals(0, leftovers());
    }

    @Test
    void aFailedFirstWriteLeavesNoFileAtAll() {
        Path f = dir.resolve("new.safetensors");
        assertThrows(IOException.class, () -> Safetensors.save(everyDtype(), f, name -> {
            throw new IOException("simulated");
        }));
        assertFalse(Files.exists(f));
        assertEquals(0, leftovers());
    }

    @Test
    void aMissingFolderOrADirectoryTargetIsAnIOException() throws IOException {
        StateDict sd = everyDtype();
        assertThrows(IOException.class, () -> Safetensors.save(sd, dir.resolve("no/such/folder/x.safetensors")));
        Path d = Files.createDirectory(dir.resolve("taken"));
        IOException e = assertThrows(IOException.class, () -> Safetensors.save(sd, d));
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
        assertTrue(Files.isDirectory(d));
        assertEquals(0, leftovers());
    }

    @Test
    void limitsValidateTheirArguments() {
        assertThrows(IllegalArgumentException.class, () -> Safetensors.Limits.DEFAULT.withMaxHeaderBytes(1));
        assertThrows(IllegalArgumentException.class, () -> Safetensors.Limits.DEFAULT.withMaxTensorBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> Safetensors.Limits.DEFAULT.withMaxEntries(-1));
        assertEquals(100_000_000L, Safetensors.Limits.DEFAULT.maxHeaderBytes());
        assertEquals(4L << 30, Safetensors.Limits.DEFAULT.maxTensorBytes());
    }

    @Test
    void stateDictBehavesAsAnOrderedMap() {
        StateDict sd = new StateDict();
        sd.put("b", Kindling.ones(1));
        sd.put("a", Kindling.ones(2, 3));
        sd.putMetadata("k", "v");
        assertEquals(List.of("b", "a"), new ArrayList<>(sd.keySet()));
        assertEquals("StateDict(b: float32[1], a: float32[2, 3]; metadata={k=v})", sd.toString());
        StateDict copy = new StateDict(sd);
        assertEquals(sd, copy);
        assertEquals(Map.of("k", "v"), copy.metadata());
        assertThrows(UnsupportedOperationException.class, () -> sd.metadata().put("x", "y"));
        assertEquals("v", sd.removeMetadata("k"));
        assertTrue(sd.metadata().isEmpty());
        sd.remove("b");
        assertEquals(List.of("a"), new ArrayList<>(sd.keySet()));
    }
}
