package org.kindling.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.kindling.io.internal.StDType;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.Buffer;
import org.kindling.tensor.internal.Storage;
import org.kindling.tensor.internal.TensorAccess;

/** Writes a safetensors file atomically: temp file in the same folder, force, rename. */
final class SafetensorsWriter {
    /** The largest header the reference reader accepts; a bigger one would make a file nobody can read. */
    static final int MAX_HEADER_BYTES = 100_000_000;
    private static final int CHUNK = 1 << 20;

    /** Runs after each tensor's data is written; tests use it to make a write fail midway. */
    interface Hook {
        void afterTensor(String name) throws IOException;
    }

    static final Hook NO_HOOK = name -> {};

    private SafetensorsWriter() {}

    private record Planned(String name, Tensor tensor, DType dtype, long bytes) {}

    static void write(Map<String, Tensor> tensors, Map<String, String> metadata, Path path, Hook hook)
            throws IOException {
        // Everything that can be checked is checked before the temporary file exists.
        List<Planned> plan = new ArrayList<>(tensors.size());
        StringBuilder h = new StringBuilder(64 + 96 * tensors.size()).append('{');
        boolean first = true;
        if (!metadata.isEmpty()) {
            h.append('"').append(StateDict.METADATA_KEY).append("\":{");
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                if (!first) h.append(',');
                first = false;
                appendString(h, m.getKey(), "metadata key");
                h.append(':');
                appendString(h, m.getValue(), "metadata value for " + SafetensorsReader.quote(m.getKey()));
            }
            h.append('}');
            first = false;
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name == null) throw new IllegalArgumentException("a tensor name is null");
            StateDict.checkName(name);
            if (t == null) throw new IllegalArgumentException("tensor " + SafetensorsReader.quote(name) + " is null");
            DType dtype = t.dtype();
            long bytes = (long) t.numel() * dtype.byteSize();
            if (!first) h.append(',');
            first = false;
            appendString(h, name, "tensor name");
            h.append(":{\"dtype\":\"").append(StDType.of(dtype).name()).append("\",\"shape\":[");
            int[] shape = t.shape().toArray();
            for (int i = 0; i < shape.length; i++) {
                if (i > 0) h.append(',');
                h.append(shape[i]);
            }
            h.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
            plan.add(new Planned(name, t, dtype, bytes));
            if (h.length() > MAX_HEADER_BYTES) throw headerTooLarge(h.length());
        }
        h.append('}');
        byte[] json = h.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) & ~7;
        if (padded > MAX_HEADER_BYTES) throw headerTooLarge(padded);

        Path target = path.toAbsolutePath();
        if (Files.isDirectory(target)) throw new IOException(path + ": is a directory");
        Path dir = target.getParent();
        Path tmp = createTemp(dir, target.getFileName().toString());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
                head.putLong(padded).put(json);
                while (head.hasRemaining()) head.put((byte) ' ');
                head.flip();
                writeFully(ch, head);
                ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK, (offset + 7) & ~7L))
                        .order(ByteOrder.LITTLE_ENDIAN);
                for (Planned p : plan) {
                    writeTensor(ch, chunk, p);
                    hook.afterTensor(p.name);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (Throwable e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        syncDirectory(dir);
    }

    private static IllegalArgumentException headerTooLarge(long size) {
        return new IllegalArgumentException("the safetensors header would be over " + (size - 1)
                + " bytes, more than the " + MAX_HEADER_BYTES + " bytes readers accept: too many or too long names");
    }

    /** A new empty file {@code .NAME.RANDOM.tmp} beside the target, with the default permissions. */
    private static Path createTemp(Path dir, String name) throws IOException {
        String base = name.length() > 100 ? name.substring(0, 100) : name;
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + base + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) throw e;
            }
        }
    }

    private static void writeTensor(FileChannel ch, ByteBuffer chunk, Planned p) throws IOException {
        Buffer b = TensorAccess.unwrap(p.tensor).contiguous();
        Storage s = b.storage;
        int n = b.numel();
        int es = p.dtype.byteSize();
        int perChunk = chunk.capacity() / es;
        int base = b.offset;
        for (int done = 0; done < n; ) {
            int k = Math.min(perChunk, n - done);
            int from = base + done;
            chunk.clear();
            switch (p.dtype) {
                case FLOAT32 -> chunk.asFloatBuffer().put(s.f32, from, k);
                case FLOAT64 -> chunk.asDoubleBuffer().put(s.f64, from, k);
                case INT64 -> chunk.asLongBuffer().put(s.i64, from, k);
                case INT32 -> chunk.asIntBuffer().put(s.i32, from, k);
                case BOOL -> {
                    for (int i = 0; i < k; i++) chunk.put(i, (byte) (s.bool[from + i] != 0 ? 1 : 0));
                }
            }
            chunk.position(0).limit(k * es);
            writeFully(ch, chunk);
            done += k;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }

    /** Makes the rename durable where the platform allows opening a folder (Linux, macOS). */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported here (e.g. Windows): the data itself was forced before the rename
        }
    }

    /** Appends {@code s} as a JSON string; unpaired surrogates cannot be written as UTF-8. */
    private static void appendString(StringBuilder sb, String s, String what) {
        if (s == null) throw new IllegalArgumentException("a " + what + " is null");
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
                continue;
            }
            if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " " + SafetensorsReader.quote(s)
                        + " holds an unpaired surrogate at index " + i + " and cannot be written as UTF-8");
            }
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
