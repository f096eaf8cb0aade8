package org.kindling.onnx.internal.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.kindling.onnx.internal.proto.OnnxProtos.TensorProto;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/** Kindling tensors as ONNX {@code TensorProto}s: dims, element type and little-endian {@code raw_data}. */
final class TensorEncoder {
    private TensorEncoder() {}

    /** ONNX {@code TensorProto.DataType} of a dtype. */
    static int dataType(DType t) {
        return switch (t) {
            case FLOAT32 -> TensorProto.DataType.FLOAT_VALUE;
            case FLOAT64 -> TensorProto.DataType.DOUBLE_VALUE;
            case INT32 -> TensorProto.DataType.INT32_VALUE;
            case INT64 -> TensorProto.DataType.INT64_VALUE;
            case BOOL -> TensorProto.DataType.BOOL_VALUE;
        };
    }

    /** The elements of {@code t} in row-major order, little-endian, as ONNX's raw_data holds them. */
    static byte[] rawData(Tensor t) {
        int n = t.numel();
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(n, t.dtype().byteSize())).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.dtype()) {
            case FLOAT32 -> b.asFloatBuffer().put(t.toFloatArray());
            case FLOAT64 -> b.asDoubleBuffer().put(t.toDoubleArray());
            case INT32 -> b.asIntBuffer().put(t.toIntArray());
            case INT64 -> b.asLongBuffer().put(t.toLongArray());
            case BOOL -> {
                boolean[] v = t.toBooleanArray();
                for (boolean x : v) b.put((byte) (x ? 1 : 0));
            }
        }
        return b.array();
    }

    /** A TensorProto header (name, dims, type) without data. */
    static TensorProto.Builder header(String name, Tensor t) {
        TensorProto.Builder p = TensorProto.newBuilder().setName(name).setDataType(dataType(t.dtype()));
        for (int d : t.shape().toArray()) p.addDims(d);
        return p;
    }

    static TensorProto encode(String name, Tensor t) {
        return header(name, t).setRawData(com.google.protobuf.ByteString.copyFrom(rawData(t))).build();
    }
}
