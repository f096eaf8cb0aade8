package org.kindling.train.tensorboard.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard event files. Each record is: the data length as a little-endian
 * uint64, the masked CRC32C of those 8 bytes (uint32 LE), the data, and the masked CRC32C of the data (uint32 LE).
 */
public final class TfRecords {

    /** Largest record {@link #readAll} accepts, so a corrupt length never triggers a huge allocation. */
    public static final long MAX_RECORD_BYTES = 256L << 20;

    private static final int MASK_DELTA = 0xa282ead8;

    private TfRecords() {
    }

    /**
     * @param data bytes
     * @param offset first byte to include
     * @param length how many bytes to include
     * @return TensorFlow's masked CRC32C of the bytes: the CRC rotated right by 15 bits plus a constant
     */
    public static int maskedCrc32c(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    /**
     * Writes one framed record.
     *
     * @param out the stream
     * @param data the record's bytes
     * @throws IOException when the stream fails
     */
    public static void write(OutputStream out, byte[] data) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(data.length);
        header.putInt(8, maskedCrc32c(header.array(), 0, 8));
        ByteBuffer footer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        footer.putInt(maskedCrc32c(data, 0, data.length));
        out.write(header.array());
        out.write(data);
        out.write(footer.array());
    }

    /**
     * Reads every record of a stream, checking the framing and both checksums.
     *
     * @param in the stream, read to its end
     * @param source the file's name, for error messages
     * @return the records' data in order
     * @throws IOException naming the source, the record number and the problem (truncated, bad length CRC, bad
     *         data CRC, length over {@link #MAX_RECORD_BYTES})
     */
    public static List<byte[]> readAll(InputStream in, String source) throws IOException {
        List<byte[]> records = new ArrayList<>();
        byte[] header = new byte[12];
        while (true) {
            int got = in.readNBytes(header, 0, 12);
            if (got == 0) {
                return records;
            }
            int n = records.size();
            if (got < 12) {
                throw new EOFException(source + ": record " + n + " is truncated: header has " + got + " of 12 bytes");
            }
            ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            long length = h.getLong(0);
            int lengthCrc = h.getInt(8);
            if (lengthCrc != maskedCrc32c(header, 0, 8)) {
                throw new IOException(source + ": record " + n + " has a bad length checksum: expected "
                        + hex(maskedCrc32c(header, 0, 8)) + ", found " + hex(lengthCrc));
            }
            if (length < 0 || length > MAX_RECORD_BYTES) {
                throw new IOException(source + ": record " + n + " claims " + Long.toUnsignedString(length)
                        + " bytes, more than the limit of " + MAX_RECORD_BYTES);
            }
            byte[] data = in.readNBytes((int) length);
            byte[] footer = in.readNBytes(4);
            if (data.length != length || footer.length != 4) {
                throw new EOFException(source + ": record " + n + " is truncated: expected " + length
                        + " data bytes and a 4-byte checksum, found " + data.length + " and " + footer.length);
            }
            int dataCrc = ByteBuffer.wrap(footer).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (dataCrc != maskedCrc32c(data, 0, data.length)) {
                throw new IOException(source + ": record " + n + " has a bad data checksum: expected "
                        + hex(maskedCrc32c(data, 0, data.length)) + ", found " + hex(dataCrc));
            }
            records.add(data);
        }
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }
}
