package org.kindling.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.kindling.tensor.Tensor;

/**
 * Reads and writes <a href="https://github.com/huggingface/safetensors">safetensors</a> files, the
 * weights format of the Hugging Face and PyTorch ecosystem: an 8-byte little-endian header length
 * {@code N}, {@code N} bytes of JSON header (padded with spaces to a multiple of 8), then the tensor
 * data, little-endian and row-major, each tensor at the {@code data_offsets [begin, end)} its header
 * entry declares, relative to the start of the data.
 *
 * <pre>
 * StateDict sd = new StateDict();
 * sd.put("fc.weight", Kindling.randn(10, 784));
 * sd.putMetadata("format", "pt");
 * Safetensors.save(sd, Path.of("fc.safetensors"));              // Python: safetensors.torch.load_file(...)
 *
 * StateDict back = Safetensors.load(Path.of("fc.safetensors"));
 * Tensor w = back.get("fc.weight");                               // float32 [10, 784]
 * </pre>
 *
 * <h2>Types</h2>
 * Kindling writes FLOAT32, FLOAT64, INT64, INT32 and BOOL as F32, F64, I64, I32 and BOOL. It reads
 * those, and F16 and BF16, which become float32 tensors (every half-precision value is exactly a
 * float). Other safetensors dtypes (I8, U8, F8_*, ...) are rejected with an error naming the tensor.
 *
 * <h2>Writing</h2>
 * Tensors are written in the map's iteration order, contiguous, without gaps; views (transposed,
 * narrowed, expanded) are written as their values. The file is written to a temporary file in the
 * same folder, forced to disk, then renamed over {@code path} atomically: a failure or a crash
 * leaves either the old file or the new one, never a half-written one, and no temporary file.
 *
 * <h2>Reading untrusted files</h2>
 * A weights file is untrusted input. Before anything is allocated the reader checks the header
 * length against the file size and {@link Limits#maxHeaderBytes()}, parses the header strictly
 * (duplicate keys, unknown fields, trailing data, bad UTF-8 are errors), checks every declared size
 * with overflow-safe arithmetic against the entry's {@code data_offsets}, the file and
 * {@link Limits#maxTensorBytes()}, and checks that the tensors tile the data section exactly: no
 * gap, no overlap, nothing missing, nothing after. Every problem is a {@link SafetensorsException}
 * naming the file, the tensor and what is wrong; a bad file never causes an OutOfMemoryError or a
 * hang. The loaded state dict keeps the header's order.
 */
public final class Safetensors {
    private Safetensors() {}

    /**
     * What a file may ask the reader to allocate.
     *
     * <pre>
     * StateDict big = Safetensors.load(path, Safetensors.Limits.DEFAULT.withMaxTensorBytes(16L &lt;&lt; 30));
     * </pre>
     *
     * @param maxHeaderBytes the largest JSON header accepted (default 100,000,000 bytes, the limit of the
     *     reference implementation)
     * @param maxTensorBytes the most bytes of tensor data the loaded tensors may hold in memory, all
     *     together (default 4 GiB); F16/BF16 tensors count at 4 bytes per element, as loaded. As tensors
     *     must tile the data section, this also bounds the size of the file that is read.
     * @param maxEntries the most header entries, tensors plus metadata pairs (default 100,000)
     */
    public record Limits(long maxHeaderBytes, long maxTensorBytes, int maxEntries) {
        /** 100,000,000 header bytes, 4 GiB of tensors, 100,000 entries. */
        public static final Limits DEFAULT = new Limits(100_000_000L, 4L << 30, 100_000);

        /** Checks that every limit is positive and that the header limit fits a Java array. */
        public Limits {
            if (maxHeaderBytes < 2 || maxHeaderBytes > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("maxHeaderBytes must be in [2, " + (Integer.MAX_VALUE - 16)
                        + "], got " + maxHeaderBytes);
            }
            if (maxTensorBytes < 0) {
                throw new IllegalArgumentException("maxTensorBytes must be >= 0, got " + maxTensorBytes);
            }
            if (maxEntries < 0) throw new IllegalArgumentException("maxEntries must be >= 0, got " + maxEntries);
        }

        /** These limits with another header limit. */
        public Limits withMaxHeaderBytes(long bytes) {
            return new Limits(bytes, maxTensorBytes, maxEntries);
        }

        /** These limits with another tensor-data budget. */
        public Limits withMaxTensorBytes(long bytes) {
            return new Limits(maxHeaderBytes, bytes, maxEntries);
        }

        /** These limits with another entry count. */
        public Limits withMaxEntries(int entries) {
            return new Limits(maxHeaderBytes, maxTensorBytes, entries);
        }
    }

    /**
     * Writes {@code tensors} to {@code path} as safetensors, atomically (see the class comment).
     * When {@code tensors} is a {@link StateDict} its metadata is written as {@code __metadata__}.
     *
     * @throws IllegalArgumentException if a name is null or {@code __metadata__}, a tensor is null,
     *     a name or metadata string holds an unpaired surrogate, or the header would exceed 100,000,000 bytes
     * @throws IOException if the folder is not writable or writing fails; {@code path} is then unchanged
     */
    public static void save(Map<String, Tensor> tensors, Path path) throws IOException {
        save(tensors, path, SafetensorsWriter.NO_HOOK);
    }

    /** {@link #save(Map, Path)} with a hook run after each tensor's data is written (tests inject failures). */
    static void save(Map<String, Tensor> tensors, Path path, SafetensorsWriter.Hook hook) throws IOException {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(path, "path");
        Map<String, String> metadata = tensors instanceof StateDict sd ? sd.metadata() : Map.of();
        SafetensorsWriter.write(tensors, metadata, path, hook);
    }

    /**
     * Reads a safetensors file with the {@link Limits#DEFAULT default limits}.
     *
     * @throws SafetensorsException if the file is malformed, unsupported or over the limits
     * @throws java.nio.file.NoSuchFileException if there is no such file
     */
    public static StateDict load(Path path) throws IOException {
        return load(path, Limits.DEFAULT);
    }

    /**
     * Reads a safetensors file, rejecting it before any allocation if it asks for more than
     * {@code limits} allow.
     *
     * @throws SafetensorsException if the file is malformed, unsupported or over the limits
     * @throws java.nio.file.NoSuchFileException if there is no such file
     */
    public static StateDict load(Path path, Limits limits) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(limits, "limits");
        return SafetensorsReader.read(path, limits);
    }
}
