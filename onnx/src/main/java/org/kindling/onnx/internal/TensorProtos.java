package org.kindling.onnx.internal;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.kindling.Kindling;
import org.kindling.onnx.OnnxException;
import org.kindling.onnx.internal.proto.OnnxProtos.StringStringEntryProto;
import org.kindling.onnx.internal.proto.OnnxProtos.TensorProto;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/** TensorProto to and from Kindling tensors: typed fields or little-endian raw_data, external data files. */
public final class TensorProtos {

    private TensorProtos() {}

    /** ONNX element type code for a Kindling dtype. */
    public static int onnxType(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> TensorProto.DataType.FLOAT_VALUE;
            case FLOAT64 -> TensorProto.DataType.DOUBLE_VALUE;
            case INT32 -> TensorProto.DataType.INT32_VALUE;
            case INT64 -> TensorProto.DataType.INT64_VALUE;
            case BOOL -> TensorProto.DataType.BOOL_VALUE;
        };
    }

    /** The Kindling dtype of an ONNX element type code, or an "unsupported" OnnxException naming the type. */
    public static DType dtype(int onnxType, String what) {
        return switch (onnxType) {
            case TensorProto.DataType.FLOAT_VALUE -> DType.FLOAT32;
            case TensorProto.DataType.DOUBLE_VALUE -> DType.FLOAT64;
            case TensorProto.DataType.INT32_VALUE -> DType.INT32;
            case TensorProto.DataType.INT64_VALUE -> DType.INT64;
            case TensorProto.DataType.BOOL_VALUE -> DType.BOOL;
            default -> throw new OnnxException(what + " has element type " + typeName(onnxType)
                    + ", which Kindling does not support (it has bool, int32, int64, float32, float64)", true, null);
        };
    }

    public static String typeName(int onnxType) {
        TensorProto.DataType t = TensorProto.DataType.forNumber(onnxType);
        return t == null ? "code " + onnxType : t.name();
    }

    /** Element count of {@code dims}, overflow-checked, within Kindling's int indexing. */
    public static int checkedNumel(java.util.List<Long> dims, String what) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) throw new OnnxException(what + ": negative dimension " + d + " in " + dims);
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new OnnxException(what + ": the element count of dims " + dims + " overflows 64 bits");
            }
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new OnnxException(what + ": " + n + " elements (dims " + dims + ") exceed Kindling's limit of 2^31 elements per tensor");
        }
        return (int) n;
    }

    /**
     * Decodes a tensor. {@code modelDir} resolves external data (null: external data is refused);
     * {@code budget} is charged before allocation.
     */
    public static Tensor toTensor(TensorProto p, Path modelDir, Budget budget) {
        String what = "tensor '" + p.getName() + "'";
        if (p.getSegment() != null && p.hasSegment()) throw new OnnxException(what + " is segmented, which is not supported", true, null);
        DType dtype = dtype(p.getDataType(), what);
        int n = checkedNumel(p.getDimsList(), what);
        int[] shape = new int[p.getDimsCount()];
        for (int i = 0; i < shape.length; i++) shape[i] = (int) p.getDims(i);
        long bytes = (long) n * dtype.byteSize();
        budget.charge(bytes, what);
        ByteBuffer raw = null;
        if (p.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            raw = readExternal(p, modelDir, bytes, budget, what);
        } else if (!p.getRawData().isEmpty()) {
            ByteString data = p.getRawData();
            if (data.size() != bytes) {
                throw new OnnxException(what + ": raw_data holds " + data.size() + " bytes but dims " + p.getDimsList() + " of "
                        + dtype.pytorchName() + " need " + bytes);
            }
            raw = data.asReadOnlyByteBuffer();
        }
        if (raw != null) raw = raw.order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case FLOAT32 -> {
                float[] a = new float[n];
                if (raw != null) raw.asFloatBuffer().get(a);
                else copyCount(p.getFloatDataCount(), n, what, "float_data", () -> { for (int i = 0; i < n; i++) a[i] = p.getFloatData(i); });
                return Kindling.fromArray(a, shape);
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                if (raw != null) raw.asDoubleBuffer().get(a);
                else copyCount(p.getDoubleDataCount(), n, what, "double_data", () -> { for (int i = 0; i < n; i++) a[i] = p.getDoubleData(i); });
                return Kindling.fromArray(a, shape);
            }
            case INT64 -> {
                long[] a = new long[n];
                if (raw != null) raw.asLongBuffer().get(a);
                else copyCount(p.getInt64DataCount(), n, what, "int64_data", () -> { for (int i = 0; i < n; i++) a[i] = p.getInt64Data(i); });
                return Kindling.fromArray(a, shape);
            }
            case INT32 -> {
                int[] a = new int[n];
                if (raw != null) raw.asIntBuffer().get(a);
                else copyCount(p.getInt32DataCount(), n, what, "int32_data", () -> { for (int i = 0; i < n; i++) a[i] = p.getInt32Data(i); });
                return Kindling.fromArray(a, shape);
            }
            default -> {
                boolean[] a = new boolean[n];
                if (raw != null) {
                    for (int i = 0; i < n; i++) a[i] = raw.get(i) != 0;
                } else {
                    copyCount(p.getInt32DataCount(), n, what, "int32_data", () -> { for (int i = 0; i < n; i++) a[i] = p.getInt32Data(i) != 0; });
                }
                return Kindling.tensor(a).reshape(shape);
            }
        }
    }

    private static void copyCount(int have, int need, String what, String field, Runnable copy) {
        if (have != need) throw new OnnxException(what + ": " + field + " holds " + have + " values but the dims need " + need);
        copy.run();
    }

    private static ByteBuffer readExternal(TensorProto p, Path modelDir, long bytes, Budget budget, String what) {
        if (modelDir == null) throw new OnnxException(what + " refers to external data, but the model was not read from a folder");
        String location = null;
        long offset = 0, length = -1;
        for (StringStringEntryProto e : p.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = parseSize(e.getValue(), what, "offset");
                case "length" -> length = parseSize(e.getValue(), what, "length");
                default -> { }
            }
        }
        if (location == null || location.isEmpty()) throw new OnnxException(what + ": external data has no location");
        Path file = resolveInside(modelDir, location, what);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > budget.limits().maxFileBytes()) {
                throw new OnnxException(what + ": external file '" + location + "' has " + size + " bytes, over the limit of "
                        + budget.limits().maxFileBytes() + " (OnnxLimits.maxFileBytes)");
            }
            if (length >= 0 && length != bytes) {
                throw new OnnxException(what + ": external data length " + length + " does not match the " + bytes + " bytes its dims need");
            }
            if (offset > size || bytes > size - offset) {
                throw new OnnxException(what + ": external data [" + offset + ", " + offset + "+" + bytes + ") lies beyond the end of '"
                        + location + "' (" + size + " bytes)");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) bytes);
            long pos = offset;
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos);
                if (r < 0) throw new OnnxException(what + ": external file '" + location + "' ended early");
                pos += r;
            }
            buf.flip();
            return buf;
        } catch (IOException e) {
            throw new OnnxException(what + ": cannot read external data '" + location + "': " + e.getMessage(), e);
        }
    }

    private static long parseSize(String v, String what, String key) {
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new OnnxException(what + ": external data " + key + " '" + v + "' is not a non-negative integer");
        }
    }

    /** Resolves an external-data location and insists it stays inside the model folder (no .., absolute paths or symlinks out). */
    public static Path resolveInside(Path modelDir, String location, String what) {
        if (location.indexOf('\0') >= 0) throw new OnnxException(what + ": external data location contains a NUL character");
        Path rel;
        try {
            rel = Path.of(location);
        } catch (RuntimeException e) {
            throw new OnnxException(what + ": external data location '" + location + "' is not a valid path");
        }
        if (rel.isAbsolute() || location.startsWith("/") || location.startsWith("\\")) {
            throw new OnnxException(what + ": external data location '" + location + "' is absolute; it must be relative to the model's folder");
        }
        for (Path part : rel) {
            if (part.toString().equals("..")) {
                throw new OnnxException(what + ": external data location '" + location + "' leaves the model's folder ('..')");
            }
        }
        try {
            Path base = modelDir.toRealPath();
            Path target = base.resolve(rel).normalize();
            if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new OnnxException(what + ": external data file '" + location + "' does not exist in " + base);
            }
            Path real = target.toRealPath();
            if (!real.startsWith(base)) {
                throw new OnnxException(what + ": external data location '" + location + "' resolves to " + real
                        + ", outside the model's folder " + base + " (symbolic link)");
            }
            if (!Files.isRegularFile(real)) throw new OnnxException(what + ": external data location '" + location + "' is not a regular file");
            return real;
        } catch (IOException e) {
            throw new OnnxException(what + ": cannot resolve external data '" + location + "': " + e.getMessage(), e);
        }
    }

    /** Encodes a tensor as a TensorProto with little-endian raw_data. */
    public static TensorProto toProto(Tensor t, String name) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(onnxType(t.dtype()));
        for (int d : t.shape().toArray()) b.addDims(d);
        Tensor c = t.contiguous();
        int n = c.numel();
        ByteBuffer buf = ByteBuffer.allocate(n * t.dtype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.dtype()) {
            case FLOAT32 -> buf.asFloatBuffer().put(c.toFloatArray());
            case FLOAT64 -> buf.asDoubleBuffer().put(c.toDoubleArray());
            case INT64 -> buf.asLongBuffer().put(c.toLongArray());
            case INT32 -> buf.asIntBuffer().put(c.toIntArray());
            case BOOL -> {
                for (boolean v : c.toBooleanArray()) buf.put((byte) (v ? 1 : 0));
            }
        }
        return b.setRawData(ByteString.copyFrom(buf.array())).build();
    }
}
