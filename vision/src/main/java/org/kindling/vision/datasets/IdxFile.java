package org.kindling.vision.datasets;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * An IDX file of unsigned bytes, the format of MNIST and Fashion-MNIST: a magic number (two zero bytes, the type
 * code {@code 0x08}, the number of dimensions), the dimensions as big-endian int32, then the data. Files ending in
 * {@code .gz} are decompressed on the fly. Every problem is an {@link IOException} naming the file: a bad magic
 * number, an unexpected rank, negative or oversized dimensions, truncated data, or bytes left after the data.
 *
 * <pre>
 * IdxFile labels = IdxFile.read(Path.of("train-labels-idx1-ubyte.gz"), 1);
 * labels.dims();   // [60000]
 * labels.data();   // 60000 bytes, one label each
 * </pre>
 *
 * @param file the file read
 * @param dims the dimensions
 * @param data the values, row-major
 */
public record IdxFile(Path file, int[] dims, byte[] data) {

    /** Largest payload accepted (1 GiB), checked before reading. */
    public static final long MAX_BYTES = 1L << 30;

    /**
     * @param file an IDX file, gzipped if its name ends in {@code .gz}
     * @param rank the number of dimensions expected (1 for labels, 3 for images)
     * @return its content
     * @throws IOException naming the file and the problem
     */
    public static IdxFile read(Path file, int rank) throws IOException {
        boolean gz = file.getFileName().toString().endsWith(".gz");
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(gz ? new GZIPInputStream(raw) : raw,
                     1 << 16))) {
            byte[] magic = in.readNBytes(4);
            if (magic.length < 4) {
                throw new IOException(file + ": truncated: " + magic.length + " bytes, too short for an IDX header");
            }
            if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08 || magic[3] != rank) {
                throw new IOException(file + ": bad magic number 0x" + String.format("%02x%02x%02x%02x", magic[0],
                        magic[1], magic[2], magic[3]) + ", expected 0x000008" + String.format("%02x", rank)
                        + " (IDX, unsigned bytes, " + rank + " dimension" + (rank == 1 ? "" : "s") + ")");
            }
            int[] dims = new int[rank];
            long total = 1;
            for (int d = 0; d < rank; d++) {
                byte[] b = in.readNBytes(4);
                if (b.length < 4) {
                    throw new IOException(file + ": truncated: the header ends inside dimension " + d);
                }
                dims[d] = (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
                if (dims[d] < 0) {
                    throw new IOException(file + ": dimension " + d + " is negative: " + dims[d]);
                }
                total *= dims[d];
                if (total > MAX_BYTES) {
                    throw new IOException(file + ": dimensions " + Arrays.toString(Arrays.copyOf(dims, d + 1))
                            + " exceed the limit of " + MAX_BYTES + " bytes");
                }
            }
            if (!gz && Files.size(file) != 4 + 4L * rank + total) {
                long actual = Files.size(file) - 4 - 4L * rank;
                throw new IOException(file + ": " + (actual < total ? "truncated" : "has extra bytes") + ": the header "
                        + "promises " + total + " data bytes for dimensions " + Arrays.toString(dims) + ", the file has "
                        + actual);
            }
            byte[] data = in.readNBytes((int) total);
            if (data.length < total) {
                throw new IOException(file + ": truncated: the header promises " + total + " data bytes for dimensions "
                        + Arrays.toString(dims) + ", the file has " + data.length);
            }
            if (in.read() != -1) {
                throw new IOException(file + ": has extra bytes after the " + total + " data bytes of dimensions "
                        + Arrays.toString(dims));
            }
            return new IdxFile(file, dims, data);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new IOException(file + ": truncated or corrupt gzip data (" + e.getMessage() + ")", e);
        }
    }
}
