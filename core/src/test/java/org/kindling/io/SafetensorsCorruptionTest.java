package org.kindling.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.Kindling;
import org.kindling.tensor.DType;

/**
 * Untrusted input: every malformed, truncated, inconsistent or oversized file is a
 * {@link SafetensorsException} naming the file, the tensor and the problem, found before any
 * tensor is allocated.
 */
class SafetensorsCorruptionTest {
    @TempDir
    Path dir;

    private int counter;

    /** A file with {@code json} as its header (padded to 8 with spaces) and {@code data} after it. */
    private Path file(String json, byte[] data) throws IOException {
        return raw(SafetensorsTest.expectedFile(json, data));
    }

    private Path file(String json, int dataBytes) throws IOException {
        return file(json, new byte[dataBytes]);
    }

    private Path raw(byte[] bytes) throws IOException {
        Path f = dir.resolve("f" + (counter++) + ".safetensors");
        Files.write(f, bytes);
        return f;
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    /** Loading fails with a SafetensorsException whose message contains every fragment. */
    private SafetensorsException rejects(Path f, Safetensors.Limits limits, String... fragments) {
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.load(f, limits));
        String m = e.getMessage();
        assertTrue(m.startsWith(f.toString() + ": "), "names the file: " + m);
        for (String frag : fragments) assertTrue(m.contains(frag), "'" + frag + "' missing from: " + m);
        return e;
    }

    private SafetensorsException rejects(Path f, String... fragments) {
        return rejects(f, Safetensors.Limits.DEFAULT, fragments);
    }

    // ------------------------------------------------------------------ the length prefix

    @Test
    void aFileShorterThanTheLengthPrefix() throws IOException {
        rejects(raw(new byte[] {1, 2, 3}), "has 3 bytes, too few for the 8-byte header length");
        rejects(raw(new byte[0]), "has 0 bytes");
    }

    @Test
    void headerLengthLargerThanTheFile() throws IOException {
        byte[] b = SafetensorsTest.expectedFile("{}", new byte[0]);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1000);
        rejects(raw(b), "header length 1000 is larger than the 8 bytes that follow it");
    }

    @Test
    void headerLengthOverTheLimit() throws IOException {
        byte[] b = new byte[16];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
        rejects(raw(b), "header length 18446744073709551615 is larger than the 8 bytes that follow it");
        Path ok = file("{" + entry("w", "F32", "[1]", 0, 4) + "}", 4);
        rejects(ok, Safetensors.Limits.DEFAULT.withMaxHeaderBytes(16),
                "header length 56 exceeds the limit of 16 bytes (Safetensors.Limits.maxHeaderBytes)");
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1);
        rejects(raw(b), "header length 1 is too small");
    }

    // ------------------------------------------------------------------ the data section

    @Test
    void truncatedData() throws IOException {
        StateDict sd = new StateDict();
        sd.put("a", Kindling.ones(2));
        sd.put("b", Kindling.ones(3));
        Path f = dir.resolve("t.safetensors");
        Safetensors.save(sd, f);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 4);
        }
        SafetensorsException e = rejects(f, "tensor 'b': data_offsets [8, 20] go past the end of the data (16 bytes)",
                "truncated");
        assertEquals("b", e.tensor());
    }

    @Test
    void overlappingOffsets() throws IOException {
        Path f = file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}", 12);
        rejects(f, "tensor 'b': data_offsets [4, 12] overlap tensor 'a' (which ends at 8)");
        Path same = file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 0, 8) + "}", 8);
        rejects(same, "overlap tensor 'a'");
    }

    @Test
    void gapsBetweenOrBeforeTensors() throws IOException {
        Path gap = file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 12, 20) + "}", 20);
        rejects(gap, "tensor 'b': data_offsets [12, 20] leave a gap of 4 bytes after tensor 'a' (which ends at 8)");
        Path start = file("{" + entry("a", "F32", "[2]", 4, 12) + "}", 12);
        rejects(start, "tensor 'a': data_offsets [4, 12] leave a gap of 4 bytes at the start of the data");
    }

    @Test
    void offsetsEndingBeforeTheyBegin() throws IOException {
        rejects(file("{" + entry("a", "F32", "[2]", 8, 0) + "}", 8), "tensor 'a': data_offsets [8, 0] end before they begin");
        rejects(file("{" + entry("a", "F32", "[0]", -4, -4) + "}", 0), "tensor 'a': negative offset");
    }

    @Test
    void bytesAfterTheLastTensor() throws IOException {
        rejects(file("{" + entry("a", "F32", "[2]", 0, 8) + "}", 12),
                "4 bytes after the end of the last tensor (8 bytes of tensor data declared, 12 present)");
        rejects(file("{}", 3), "3 bytes after the end of the last tensor");
    }

    @Test
    void headerOrderMayDifferFromDataOrder() throws IOException {
        // The format sorts entries by offset; the header's order is the state dict's order.
        ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        data.putFloat(1f).putFloat(2f).putInt(7);
        Path f = file("{" + entry("b", "I32", "[]", 8, 12) + "," + entry("a", "F32", "[2]", 0, 8) + "}", data.array());
        StateDict sd = Safetensors.load(f);
        assertEquals(List.of("b", "a"), new ArrayList<>(sd.keySet()));
        assertArrayEquals(new float[] {1f, 2f}, sd.get("a").toFloatArray());
        assertEquals(7, sd.get("b").itemLong());
        assertEquals(DType.INT32, sd.get("b").dtype());
    }

    @Test
    void emptyTensorsMayShareAnOffset() throws IOException {
        Path f = file("{" + entry("e1", "F32", "[0]", 4, 4) + "," + entry("a", "F32", "[1]", 0, 4) + ","
                + entry("e2", "I64", "[3,0]", 4, 4) + "," + entry("e0", "BOOL", "[0,2]", 0, 0) + "}", 4);
        StateDict sd = Safetensors.load(f);
        assertEquals(List.of("e1", "a", "e2", "e0"), new ArrayList<>(sd.keySet()));
        assertArrayEquals(new int[] {3, 0}, sd.get("e2").shape().toArray());
    }

    // ------------------------------------------------------------------ declared sizes

    @Test
    void dtypeAndShapeDisagreeingWithTheOffsets() throws IOException {
        rejects(file("{" + entry("w", "F32", "[3]", 0, 8) + "}", 8),
                "tensor 'w': data_offsets [0, 8] span 8 bytes but dtype F32 with shape [3] needs 12");
        rejects(file("{" + entry("w", "F64", "[2,2]", 0, 16) + "}", 16), "dtype F64 with shape [2, 2] needs 32");
    }

    @Test
    void unknownOrUnsupportedDtypes() throws IOException {
        SafetensorsException e = rejects(file("{" + entry("emb.weight", "Q4", "[2]", 0, 2) + "}", 2),
                "tensor 'emb.weight': dtype 'Q4' is not supported (Kindling reads F64, F32, F16, BF16, I64, I32 and BOOL)");
        assertEquals("emb.weight", e.tensor());
        rejects(file("{" + entry("q", "I8", "[2]", 0, 2) + "}", 2), "tensor 'q': dtype 'I8' is not supported");
        rejects(file("{" + entry("q", "f32", "[2]", 0, 8) + "}", 8), "dtype 'f32' is not supported");
    }

    @Test
    void negativeDimensions() throws IOException {
        rejects(file("{" + entry("w", "F32", "[2,-3]", 0, 0) + "}", 0), "tensor 'w': negative dimension -3 in shape [2, -3]");
    }

    @Test
    void hugeDeclaredShapesExceedingTheBudget() throws IOException {
        SafetensorsException e = rejects(file("{" + entry("big", "F32", "[100000,100000]", 0, 40_000_000_000L) + "}", 8),
                "tensor 'big': dtype F32 with shape [100000, 100000] needs 40000000000 bytes",
                "more than the budget of 4294967296 bytes (Safetensors.Limits.maxTensorBytes)");
        assertEquals("big", e.tensor());
        // several tensors together over a custom budget; the second one is named
        rejects(file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 8, 16) + "}", 16),
                Safetensors.Limits.DEFAULT.withMaxTensorBytes(12), "tensor 'b'", "the tensors up to this one need 16 bytes",
                "budget of 12 bytes");
        // F16 counts as loaded (4 bytes per element), not as stored
        rejects(file("{" + entry("h", "F16", "[4]", 0, 8) + "}", 8), Safetensors.Limits.DEFAULT.withMaxTensorBytes(8),
                "tensor 'h': dtype F16 with shape [4] needs 16 bytes");
    }

    @Test
    void shapesWhoseSizeOverflowsALong() throws IOException {
        rejects(file("{" + entry("w", "F32", "[4294967296,4294967296,4294967296]", 0, 0) + "}", 0),
                "tensor 'w': shape [4294967296, 4294967296, 4294967296] of dtype F32 declares more than 2^63 bytes");
        rejects(file("{" + entry("w", "F64", "[3037000500,3037000500]", 0, 0) + "}", 0), "more than 2^63 bytes");
    }

    @Test
    void shapesLargerThanAKindlingTensor() throws IOException {
        rejects(file("{" + entry("w", "F32", "[0,3000000000]", 0, 0) + "}", 0),
                "tensor 'w': dimension 3000000000 in shape [0, 3000000000] is larger than a Kindling tensor allows");
        rejects(file("{" + entry("m", "BOOL", "[50000,50000]", 0, 2_500_000_000L) + "}", 0),
                "tensor 'm': shape [50000, 50000] has 2500000000 elements, more than a Kindling tensor holds");
        StringBuilder rank65 = new StringBuilder("[1");
        for (int i = 1; i < 65; i++) rank65.append(",1");
        rejects(file("{" + entry("r", "F32", rank65 + "]", 0, 4) + "}", 4), "tensor 'r': shape has more than 64 dimensions");
    }

    @Test
    void tooManyEntries() throws IOException {
        Path f = file("{\"__metadata__\":{\"k\":\"v\"}," + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "F32", "[1]", 4, 8)
                + "}", 8);
        rejects(f, Safetensors.Limits.DEFAULT.withMaxEntries(2), "the header has more than 2 entries");
        assertEquals(2, Safetensors.load(f, Safetensors.Limits.DEFAULT.withMaxEntries(3)).size());
    }

    @Test
    void boolBytesOtherThanZeroOrOne() throws IOException {
        rejects(file("{" + entry("m", "BOOL", "[3]", 0, 3) + "}", new byte[] {1, 2, 0}), "tensor 'm': BOOL element 1 is 2, not 0 or 1");
    }

    // ------------------------------------------------------------------ the JSON header

    @Test
    void duplicateKeys() throws IOException {
        String w = entry("w", "F32", "[1]", 0, 4);
        rejects(file("{" + w + "," + w + "}", 4), "tensor 'w': duplicate key 'w' in the header");
        rejects(file("{\"__metadata__\":{},\"__metadata__\":{}}", 0), "duplicate key '__metadata__' in the header");
        rejects(file("{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}}", 0), "duplicate key 'a' in __metadata__");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4),
                "tensor 'w': duplicate field \"dtype\"");
    }

    @Test
    void invalidJson() throws IOException {
        String w = entry("w", "F32", "[1]", 0, 4);
        rejects(file("{" + w + ",}", 4), "invalid header JSON at byte 54 of the header: expected a string but found '}'");
        rejects(file("[" + w + "]", 4), "the header must start with '{' but starts with '['");
        rejects(file(" {" + w + "}", 4), "the header must start with '{' but starts with ' '");
        rejects(file("{" + w + "}x", 4), "unexpected 'x' after the end of the JSON object");
        rejects(file("{" + w, 4), "expected ',' or '}' but found the end of the header");
        rejects(file("{\"w\":{\"dtype\":\"F32", 4), "tensor 'w': invalid header JSON", "unterminated string");
        rejects(file("{\"w\" {}}", 4), "expected ':' but found '{'");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4),
                "tensor 'w': invalid header JSON", "expected an integer but found the number 1.5");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[01],\"data_offsets\":[0,4]}}", 4), "leading zero");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,4]}}", 4),
                "integer 99999999999999999999 is out of range");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":\"1\",\"data_offsets\":[0,4]}}", 4),
                "shape must be an array of integers but starts with '\"'");
        rejects(file("{\"w\":{\"dtype\":7,\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "expected a string but found '7'");
        rejects(file("{\"w\":[]}", 4), "tensor 'w': invalid header JSON", "a tensor entry must be an object");
        rejects(file("{\"w\":{\"dtype\":\"F\\q32\"}}", 4), "invalid escape '\\q'");
        rejects(file("{\"w\\ud800\":{}}", 4), "unpaired surrogate \\ud800");
        rejects(file("{\"w\tx\":{}}", 4), "control character 0x09 in a string");
        rejects(file("{\"__metadata__\":{\"k\":1}}", 0), "__metadata__ value for 'k' must be a string");
        rejects(file("{\"__metadata__\":[]}", 0), "__metadata__ must be an object of strings");
    }

    @Test
    void invalidUtf8() throws IOException {
        byte[] f = SafetensorsTest.expectedFile("{\"w?\":{}}", new byte[0]);
        f[8 + 3] = (byte) 0xff;
        rejects(raw(f), "invalid header JSON at byte 2 of the header: invalid UTF-8 in a string");
        f[8 + 3] = (byte) 0xc0; // the start of an overlong encoding
        rejects(raw(f), "invalid UTF-8");
        byte[] cesu = SafetensorsTest.expectedFile("{\"w???\":{}}", new byte[0]);
        cesu[8 + 3] = (byte) 0xed; // an encoded surrogate (U+D800), not valid UTF-8
        cesu[8 + 4] = (byte) 0xa0;
        cesu[8 + 5] = (byte) 0x80;
        rejects(raw(cesu), "invalid UTF-8");
    }

    @Test
    void missingOrUnknownFields() throws IOException {
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "tensor 'w': missing field \"data_offsets\"");
        rejects(file("{\"w\":{}}", 0), "tensor 'w': missing field \"dtype\"");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":[]}}", 4),
                "tensor 'w': unexpected field 'extra' (a tensor entry has exactly dtype, shape and data_offsets)");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 4),
                "tensor 'w': data_offsets has more than 2 values");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4),
                "tensor 'w': data_offsets must be [begin, end] but is [0]");
    }

    @Test
    void notARegularFile() throws IOException {
        Path d = Files.createDirectory(dir.resolve("folder.safetensors"));
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.load(d));
        assertTrue(e.getMessage().endsWith(": not a regular file"), e.getMessage());
        assertNull(e.tensor());
        assertThrows(NoSuchFileException.class, () -> Safetensors.load(dir.resolve("missing.safetensors")));
    }

    @Test
    void randomCorruptionsGiveASafetensorsExceptionOrAValidLoad() throws IOException {
        StateDict sd = new StateDict();
        sd.put("w", Kindling.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        sd.put("n", Kindling.fromArray(new long[] {-1, 10}, 2));
        sd.put("m", Kindling.tensor(new boolean[] {true, false}));
        sd.put("s", Kindling.fromArray(new int[] {9}));
        sd.putMetadata("format", "pt");
        Path good = dir.resolve("good.safetensors");
        Safetensors.save(sd, good);
        byte[] original = Files.readAllBytes(good);
        java.util.Random rnd = new java.util.Random(1234);
        byte[] interesting = {'{', '}', '[', ']', '"', ',', ':', '-', '0', '9', '\\', ' ', 0, (byte) 0xff, (byte) 0x80};
        Path f = dir.resolve("fuzz.safetensors");
        int loaded = 0;
        for (int iter = 0; iter < 600; iter++) {
            byte[] b = original.clone();
            int kind = rnd.nextInt(4);
            if (kind == 0) {
                b = Arrays.copyOf(b, rnd.nextInt(b.length));                        // truncate
            } else {
                int edits = 1 + rnd.nextInt(3);
                for (int k = 0; k < edits; k++) {
                    int at = kind == 1 ? rnd.nextInt(8) : 8 + rnd.nextInt(b.length - 8);  // length prefix or header/data
                    b[at] = kind == 3 ? interesting[rnd.nextInt(interesting.length)] : (byte) rnd.nextInt(256);
                }
            }
            Files.write(f, b);
            try {
                StateDict back = Safetensors.load(f);
                loaded++;
                for (var t : back.values()) assertTrue(t.numel() <= 6);
            } catch (SafetensorsException expected) {
                assertTrue(expected.getMessage().startsWith(f + ": "), expected.getMessage());
            }
        }
        assertTrue(loaded > 0 && loaded < 600, "some mutations only change values: " + loaded);
    }

    // ------------------------------------------------------------------ widened dtypes

    @Test
    void halfAndBfloat16BecomeFloat32Exactly() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        // F16: 1.0, -2.0, 65504 (max), 2^-24 (smallest subnormal), -0.0, +inf, nan
        for (int h : new int[] {0x3c00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x7c00, 0x7e00}) data.putShort((short) h);
        // BF16: 1.0, -3.140625, 1.0e-20-ish
        for (int b : new int[] {0x3f80, 0xc049, 0x1e3d}) data.putShort((short) b);
        Path f = file("{" + entry("h", "F16", "[7]", 0, 14) + "," + entry("b", "BF16", "[3]", 14, 20) + "}", data.array());
        StateDict sd = Safetensors.load(f);
        assertEquals(DType.FLOAT32, sd.get("h").dtype());
        float[] h = sd.get("h").toFloatArray();
        float[] expected = {1f, -2f, 65504f, 0x1p-24f, -0f, Float.POSITIVE_INFINITY, Float.NaN};
        for (int i = 0; i < h.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(h[i]), "h[" + i + "]");
        }
        assertArrayEquals(new float[] {1f, -3.140625f, Float.intBitsToFloat(0x1e3d0000)}, sd.get("b").toFloatArray());
    }
}
