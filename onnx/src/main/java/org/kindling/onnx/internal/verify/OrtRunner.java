package org.kindling.onnx.internal.verify;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kindling.Kindling;
import org.kindling.onnx.OnnxException;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/**
 * An ONNX Runtime session over a model file, fed and read with Kindling tensors. Holds native
 * memory: use it in try-with-resources. Only this package touches ONNX Runtime classes, so the
 * rest of the bundle works without it.
 *
 * <pre>
 * try (OrtRunner ort = new OrtRunner(Path.of("model.onnx"), 2)) {
 *     Map&lt;String, Tensor&gt; out = ort.run(Map.of("input", x));
 * }
 * </pre>
 */
public final class OrtRunner implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;

    /** Opens {@code model} with {@code intraOpThreads} threads (0: ONNX Runtime's default) and all graph optimizations. */
    public OrtRunner(Path model, int intraOpThreads) {
        try {
            env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                if (intraOpThreads > 0) o.setIntraOpNumThreads(intraOpThreads);
                o.setInterOpNumThreads(1);
                o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                session = env.createSession(model.toString(), o);
            }
        } catch (OrtException e) {
            throw new OnnxException("ONNX Runtime cannot load " + model + ": " + e.getMessage(), e);
        }
    }

    public List<String> inputNames() {
        try {
            return new ArrayList<>(session.getInputInfo().keySet());
        } catch (OrtException e) {
            throw new OnnxException("ONNX Runtime: " + e.getMessage(), e);
        }
    }

    public List<String> outputNames() {
        try {
            return new ArrayList<>(session.getOutputInfo().keySet());
        } catch (OrtException e) {
            throw new OnnxException("ONNX Runtime: " + e.getMessage(), e);
        }
    }

    /** Runs the model on named inputs; returns every output by name, in the model's order. */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (var e : inputs.entrySet()) feed.put(e.getKey(), toOrt(env, e.getValue()));
            try (OrtSession.Result r = session.run(feed)) {
                Map<String, Tensor> out = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : r) out.put(e.getKey(), fromOrt(e.getKey(), e.getValue()));
                return out;
            }
        } catch (OrtException e) {
            throw new OnnxException("ONNX Runtime failed to run the model: " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    /** A prepared input, for timing loops that should not count the copy into native memory. */
    public Map<String, OnnxTensor> prepare(Map<String, Tensor> inputs) {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (var e : inputs.entrySet()) feed.put(e.getKey(), toOrt(env, e.getValue()));
        } catch (OrtException e) {
            feed.values().forEach(OnnxTensor::close);
            throw new OnnxException("ONNX Runtime: " + e.getMessage(), e);
        }
        return feed;
    }

    /** Runs on prepared inputs and discards the outputs (for timing). */
    public void runPrepared(Map<String, OnnxTensor> feed) {
        try (OrtSession.Result r = session.run(feed)) {
            r.size();
        } catch (OrtException e) {
            throw new OnnxException("ONNX Runtime failed to run the model: " + e.getMessage(), e);
        }
    }

    private static long[] shape(Tensor t) {
        int[] s = t.shape().toArray();
        long[] l = new long[s.length];
        for (int i = 0; i < s.length; i++) l[i] = s[i];
        return l;
    }

    static OnnxTensor toOrt(OrtEnvironment env, Tensor t) throws OrtException {
        long[] shape = shape(t);
        return switch (t.dtype()) {
            case FLOAT32 -> OnnxTensor.createTensor(env, FloatBuffer.wrap(t.toFloatArray()), shape);
            case FLOAT64 -> OnnxTensor.createTensor(env, DoubleBuffer.wrap(t.toDoubleArray()), shape);
            case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(t.toLongArray()), shape);
            case INT32 -> OnnxTensor.createTensor(env, IntBuffer.wrap(t.toIntArray()), shape);
            case BOOL -> {
                boolean[] b = t.toBooleanArray();
                ByteBuffer buf = ByteBuffer.allocateDirect(b.length).order(ByteOrder.nativeOrder());
                for (boolean x : b) buf.put((byte) (x ? 1 : 0));
                buf.rewind();
                yield OnnxTensor.createTensor(env, buf, shape, OnnxJavaType.BOOL);
            }
        };
    }

    static Tensor fromOrt(String name, OnnxValue v) {
        if (!(v instanceof OnnxTensor t)) {
            throw new OnnxException("output '" + name + "' is a " + v.getType() + ", only tensors are compared");
        }
        TensorInfo info = t.getInfo();
        long[] ls = info.getShape();
        int[] shape = new int[ls.length];
        for (int i = 0; i < ls.length; i++) shape[i] = Math.toIntExact(ls[i]);
        int n = 1;
        for (int d : shape) n *= d;
        return switch (info.type) {
            case FLOAT -> {
                float[] a = new float[n];
                t.getFloatBuffer().get(a);
                yield Kindling.fromArray(a, shape);
            }
            case DOUBLE -> {
                double[] a = new double[n];
                t.getDoubleBuffer().get(a);
                yield Kindling.fromArray(a, shape);
            }
            case INT64 -> {
                long[] a = new long[n];
                t.getLongBuffer().get(a);
                yield Kindling.fromArray(a, shape);
            }
            case INT32 -> {
                int[] a = new int[n];
                t.getIntBuffer().get(a);
                yield Kindling.fromArray(a, shape);
            }
            case BOOL -> {
                ByteBuffer b = t.getByteBuffer();
                long[] a = new long[n];
                for (int i = 0; i < n; i++) a[i] = b.get(i) != 0 ? 1 : 0;
                yield Kindling.fromArray(a, shape).to(DType.BOOL);
            }
            default -> throw new OnnxException("output '" + name + "' has element type " + info.type
                    + ", which Kindling does not compare");
        };
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new OnnxException("ONNX Runtime: " + e.getMessage(), e);
        }
    }
}
