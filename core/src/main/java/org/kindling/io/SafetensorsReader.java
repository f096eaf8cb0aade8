package org.kindling.io;

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
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kindling.io.internal.JsonReader;
import org.kindling.io.internal.JsonReader.SyntaxException;
import org.kindling.io.internal.StDType;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.Buffer;
import org.kindling.tensor.internal.Storage;
import org.kindling.tensor.internal.TensorAccess;

/**
 * Reads a safetensors file defensively: everything a file declares is checked before anything it
 * declares is allocated. See {@link Safetensors} for the checks.
 */
final class SafetensorsReader {
    /** The most dimensions a tensor may declare (Kindling shapes are int[]; PyTorch stops near here too). */
    static final int MAX_RANK = 64;
    private static final int CHUNK = 1 << 20;

    private SafetensorsReader() {}

    /** One header entry, validated against itself. */
    private record Entry(String name, StDType dtype, int[] shape, long begin, long end, long numel) {}

    private record Header(List<Entry> entries, Map<String, String> metadata) {}

    static StateDict read(Path path, Safetensors.Limits limits) throws IOException {
        String file = path.toString();
        // Refuse FIFOs and devices up front: opening a FIFO would block until a writer comes.
        if (!Files.isRegularFile(path)) {
            if (!Files.exists(path)) throw new NoSuchFileException(file);
            throw new SafetensorsException(file + ": not a regular file");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new SafetensorsException(file + ": the file has " + size
                        + " bytes, too few for the 8-byte header length of a safetensors file");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, file, null);
            long headerLen = lenBuf.flip().getLong(); // an unsigned 64-bit value; negative means >= 2^63
            if (headerLen < 0 || headerLen > size - 8) {
                throw new SafetensorsException(file + ": header length " + Long.toUnsignedString(headerLen)
                        + " is larger than the " + (size - 8) + " bytes that follow it: the file is truncated or not"
                        + " a safetensors file");
            }
            if (headerLen > limits.maxHeaderBytes()) {
                throw new SafetensorsException(file + ": header length " + headerLen + " exceeds the limit of "
                        + limits.maxHeaderBytes() + " bytes (Safetensors.Limits.maxHeaderBytes)");
            }
            if (headerLen < 2) {
                throw new SafetensorsException(file + ": header length " + headerLen
                        + " is too small for a JSON object");
            }
            byte[] headerBytes = new byte[(int) headerLen];
            readFully(ch, ByteBuffer.wrap(headerBytes), 8, file, null);
            Header header = parseHeader(file, headerBytes, limits);

            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            checkBudget(file, header.entries, limits);
            List<Entry> byOffset = checkLayout(file, header.entries, dataLen);
            return readData(file, ch, dataStart, header, byOffset);
        }
    }

    // ------------------------------------------------------------------ header

    private static Header parseHeader(String file, byte[] bytes, Safetensors.Limits limits)
            throws SafetensorsException {
        JsonReader r = new JsonReader(bytes, bytes.length);
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        Set<String> keys = new HashSet<>();
        String current = null;
        try {
            if (bytes[0] != '{') {
                int b = bytes[0] & 0xff;
                throw r.error("the header must start with '{' but starts with "
                        + (b >= 0x20 && b < 0x7f ? "'" + (char) b + "'" : String.format("byte 0x%02x", b)));
            }
            r.expect('{');
            if (!r.consumeIf('}')) {
                do {
                    current = null;
                    String key = r.readString();
                    boolean isMeta = key.equals(StateDict.METADATA_KEY);
                    if (!isMeta) current = key;
                    if (!keys.add(key)) {
                        throw fail(file, current, "duplicate key " + quote(key) + " in the header");
                    }
                    r.expect(':');
                    if (isMeta) {
                        readMetadata(file, r, metadata, entries.size(), limits);
                    } else {
                        if (entries.size() + metadata.size() + 1 > limits.maxEntries()) {
                            throw tooManyEntries(file, limits);
                        }
                        entries.add(readEntry(file, r, key));
                    }
                } while (r.nextMember('}'));
            }
            current = null;
            r.expectEnd();
        } catch (SyntaxException e) {
            throw fail(file, current, "invalid header JSON at byte " + e.offset + " of the header: " + e.getMessage());
        }
        return new Header(entries, metadata);
    }

    private static SafetensorsException tooManyEntries(String file, Safetensors.Limits limits) {
        return new SafetensorsException(file + ": the header has more than " + limits.maxEntries()
                + " entries (tensors plus metadata pairs; Safetensors.Limits.maxEntries)");
    }

    private static void readMetadata(String file, JsonReader r, Map<String, String> metadata, int tensors,
            Safetensors.Limits limits) throws SyntaxException, SafetensorsException {
        if (r.peek() != '{') {
            throw r.error(StateDict.METADATA_KEY + " must be an object of strings but starts with " + r.describeNext());
        }
        r.expect('{');
        if (r.consumeIf('}')) return;
        do {
            String key = r.readString();
            r.expect(':');
            if (r.peek() != '"') {
                throw r.error(StateDict.METADATA_KEY + " value for " + quote(key) + " must be a string but starts with "
                        + r.describeNext());
            }
            String value = r.readString();
            if (metadata.containsKey(key)) {
                throw fail(file, null, "duplicate key " + quote(key) + " in " + StateDict.METADATA_KEY);
            }
            if (tensors + metadata.size() + 1 > limits.maxEntries()) throw tooManyEntries(file, limits);
            metadata.put(key, value);
        } while (r.nextMember('}'));
    }

    private static Entry readEntry(String file, JsonReader r, String name)
            throws SyntaxException, SafetensorsException {
        if (r.peek() != '{') throw r.error("a tensor entry must be an object but starts with " + r.describeNext());
        r.expect('{');
        String dtypeName = null;
        long[] shape = null;
        long[] offsets = null;
        if (!r.consumeIf('}')) {
            do {
                String field = r.readString();
                r.expect(':');
                switch (field) {
                    case "dtype" -> {
                        if (dtypeName != null) throw fail(file, name, "duplicate field \"dtype\"");
                        dtypeName = r.readString();
                    }
                    case "shape" -> {
                        if (shape != null) throw fail(file, name, "duplicate field \"shape\"");
                        shape = readLongs(file, r, name, "shape", MAX_RANK);
                    }
                    case "data_offsets" -> {
                        if (offsets != null) throw fail(file, name, "duplicate field \"data_offsets\"");
                        offsets = readLongs(file, r, name, "data_offsets", 2);
                    }
                    default -> throw fail(file, name, "unexpected field " + quote(field)
                            + " (a tensor entry has exactly dtype, shape and data_offsets)");
                }
            } while (r.nextMember('}'));
        }
        if (dtypeName == null) throw fail(file, name, "missing field \"dtype\"");
        if (shape == null) throw fail(file, name, "missing field \"shape\"");
        if (offsets == null) throw fail(file, name, "missing field \"data_offsets\"");

        StDType dtype = StDType.parse(dtypeName);
        if (dtype == null) {
            throw fail(file, name, "dtype " + quote(dtypeName) + " is not supported (Kindling reads "
                    + StDType.supportedList() + ")");
        }
        for (long d : shape) {
            if (d < 0) throw fail(file, name, "negative dimension " + d + " in shape " + Arrays.toString(shape));
        }
        if (offsets.length != 2) {
            throw fail(file, name, "data_offsets must be [begin, end] but is " + Arrays.toString(offsets));
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin < 0 || end < 0) {
            throw fail(file, name, "negative offset in data_offsets " + Arrays.toString(offsets));
        }
        if (end < begin) {
            throw fail(file, name, "data_offsets " + Arrays.toString(offsets) + " end before they begin");
        }
        long numel;
        long fileBytes;
        try {
            numel = 1;
            for (long d : shape) numel = Math.multiplyExact(numel, d);
            fileBytes = Math.multiplyExact(numel, (long) dtype.fileSize);
        } catch (ArithmeticException e) {
            throw fail(file, name, "shape " + Arrays.toString(shape) + " of dtype " + dtype
                    + " declares more than 2^63 bytes");
        }
        if (end - begin != fileBytes) {
            throw fail(file, name, "data_offsets " + Arrays.toString(offsets) + " span " + (end - begin)
                    + " bytes but dtype " + dtype + " with shape " + Arrays.toString(shape) + " needs " + fileBytes);
        }
        int[] intShape = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] > Integer.MAX_VALUE) {
                throw fail(file, name, "dimension " + shape[i] + " in shape " + Arrays.toString(shape)
                        + " is larger than a Kindling tensor allows (" + Integer.MAX_VALUE + ")");
            }
            intShape[i] = (int) shape[i];
        }
        return new Entry(name, dtype, intShape, begin, end, numel);
    }

    /** A JSON array of at most {@code max} integers. */
    private static long[] readLongs(String file, JsonReader r, String name, String what, int max)
            throws SyntaxException, SafetensorsException {
        if (r.peek() != '[') throw r.error(what + " must be an array of integers but starts with " + r.describeNext());
        r.expect('[');
        long[] out = new long[Math.min(max, 8)];
        int n = 0;
        if (!r.consumeIf(']')) {
            do {
                if (n == max) {
                    throw fail(file, name, what + " has more than " + max
                            + (what.equals("shape") ? " dimensions" : " values"));
                }
                if (n == out.length) out = Arrays.copyOf(out, Math.min(max, out.length * 2));
                out[n++] = r.readLong();
            } while (r.nextMember(']'));
        }
        return Arrays.copyOf(out, n);
    }

    // ------------------------------------------------------------------ checks across entries

    /** The loaded tensors must fit the budget, each a Java array, all together the heap. */
    private static void checkBudget(String file, List<Entry> entries, Safetensors.Limits limits)
            throws SafetensorsException {
        long total = 0;
        for (Entry e : entries) {
            String bytes;
            try {
                long b = Math.multiplyExact(e.numel, (long) e.dtype.kindling.byteSize());
                bytes = String.valueOf(b);
                total = Math.addExact(total, b);
            } catch (ArithmeticException ex) {
                bytes = "over 2^63";
                total = -1;
            }
            if (total < 0 || total > limits.maxTensorBytes()) {
                throw fail(file, e.name, "dtype " + e.dtype + " with shape " + Arrays.toString(e.shape) + " needs "
                        + bytes + " bytes; the tensors up to this one need " + (total < 0 ? "over 2^63" : total)
                        + " bytes, more than the budget of " + limits.maxTensorBytes()
                        + " bytes (Safetensors.Limits.maxTensorBytes)");
            }
            if (e.numel > Integer.MAX_VALUE) {
                throw fail(file, e.name, "shape " + Arrays.toString(e.shape) + " has " + e.numel
                        + " elements, more than a Kindling tensor holds (" + Integer.MAX_VALUE + ")");
            }
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (heap != Long.MAX_VALUE && total > heap) {
            throw new SafetensorsException(file + ": the tensors need " + total + " bytes but the JVM heap is at most "
                    + heap + " bytes (-Xmx)");
        }
    }

    /**
     * The tensors, sorted by offset, must tile [0, dataLen) exactly: each begins where the previous
     * ends, the first at 0, the last at the end of the file.
     */
    private static List<Entry> checkLayout(String file, List<Entry> entries, long dataLen)
            throws SafetensorsException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.end > dataLen) {
                throw fail(file, e.name, "data_offsets [" + e.begin + ", " + e.end + "] go past the end of the data ("
                        + dataLen + " bytes): the file is truncated");
            }
            if (e.begin > expected) {
                throw fail(file, e.name, "data_offsets [" + e.begin + ", " + e.end + "] leave a gap of "
                        + (e.begin - expected) + " bytes " + (previous == null ? "at the start of the data"
                        : "after tensor " + quote(previous.name) + " (which ends at " + expected + ")"));
            }
            if (e.begin < expected) {
                throw fail(file, e.name, "data_offsets [" + e.begin + ", " + e.end + "] overlap tensor "
                        + quote(previous.name) + " (which ends at " + expected + ")");
            }
            expected = e.end;
            previous = e;
        }
        if (expected != dataLen) {
            throw new SafetensorsException(file + ": " + (dataLen - expected) + " bytes after the end of the last tensor ("
                    + expected + " bytes of tensor data declared, " + dataLen + " present)");
        }
        return sorted;
    }

    // ------------------------------------------------------------------ data

    private static StateDict readData(String file, FileChannel ch, long dataStart, Header header, List<Entry> byOffset)
            throws IOException {
        Map<Entry, Tensor> loaded = new java.util.IdentityHashMap<>();
        long dataLen = byOffset.isEmpty() ? 0 : byOffset.get(byOffset.size() - 1).end;
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK, (dataLen + 7) & ~7L)).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : byOffset) {
            Storage st = Storage.allocate(e.dtype.kindling, (int) e.numel);
            fill(file, ch, chunk, dataStart + e.begin, e, st);
            loaded.put(e, TensorAccess.wrap(Buffer.of(st, e.shape)));
        }
        StateDict sd = new StateDict();
        for (Entry e : header.entries) sd.put(e.name, loaded.get(e));
        header.metadata.forEach(sd::putMetadata);
        return sd;
    }

    private static void fill(String file, FileChannel ch, ByteBuffer chunk, long pos, Entry e, Storage st)
            throws IOException {
        int n = (int) e.numel;
        int es = e.dtype.fileSize;
        int perChunk = chunk.capacity() / es;
        for (int done = 0; done < n; ) {
            int k = Math.min(perChunk, n - done);
            chunk.clear().limit(k * es);
            readFully(ch, chunk, pos, file, e.name);
            pos += (long) k * es;
            chunk.flip();
            switch (e.dtype) {
                case F32 -> chunk.asFloatBuffer().get(st.f32, done, k);
                case F64 -> chunk.asDoubleBuffer().get(st.f64, done, k);
                case I64 -> chunk.asLongBuffer().get(st.i64, done, k);
                case I32 -> chunk.asIntBuffer().get(st.i32, done, k);
                case F16 -> {
                    for (int i = 0; i < k; i++) st.f32[done + i] = StDType.halfToFloat(chunk.getShort(2 * i));
                }
                case BF16 -> {
                    for (int i = 0; i < k; i++) st.f32[done + i] = StDType.bfloat16ToFloat(chunk.getShort(2 * i));
                }
                case BOOL -> {
                    for (int i = 0; i < k; i++) {
                        byte b = chunk.get(i);
                        if (b != 0 && b != 1) {
                            throw fail(file, e.name, "BOOL element " + (done + i) + " is " + (b & 0xff)
                                    + ", not 0 or 1");
                        }
                        st.bool[done + i] = b;
                    }
                }
            }
            done += k;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, String file, String tensor)
            throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw fail(file, tensor, "the file ended at byte " + pos + " while reading"
                        + (tensor == null ? " the header" : " the tensor data") + " (truncated or changed while read)");
            }
            pos += n;
        }
    }

    // ------------------------------------------------------------------ messages

    private static SafetensorsException fail(String file, String tensor, String problem) {
        String where = tensor == null ? "" : "tensor " + quote(tensor) + ": ";
        return new SafetensorsException(file + ": " + where + problem, tensor);
    }

    /** A name in single quotes, control characters escaped, cut at 200 characters. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("'");
        int n = Math.min(s.length(), 200);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > n) sb.append("...");
        return sb.append('\'').toString();
    }
}
