package org.kindling.bench.compare;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * libtorch through DJL's PyTorch engine. Every call frees its result (and any view) at once,
 * as PyTorch's reference counting does, so native memory does not grow.
 *
 * <p>Transpose + contiguous: DJL's {@code transpose(1, 0)} is a strided view, and neither
 * {@code duplicate()} (= {@code at::clone}, which preserves the strides) nor
 * {@code toDevice(cpu, true)} lays it out row-major. DJL's JNI has {@code at::Tensor::contiguous}
 * ({@code PyTorchLibrary.torchToContiguous}) but uses it only inside {@code toByteBuffer}, so it is
 * called here through reflection; the result is checked to be contiguous and equal to the
 * transposed data.
 */
final class TorchSide implements Side {
    private final PtNDManager manager;
    private final MethodHandle toContiguous;   // (long handle) -> long handle
    private final MethodHandle isContiguous;   // (long handle) -> boolean
    static volatile Object sink;

    TorchSide() throws Exception {
        Engine engine = Engine.getEngine("PyTorch");
        manager = (PtNDManager) engine.newBaseManager(Device.cpu());
        Class<?> lib = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
        Field f = lib.getDeclaredField("LIB");
        f.setAccessible(true);
        Object instance = f.get(null);
        Method m = lib.getDeclaredMethod("torchToContiguous", long.class);
        m.setAccessible(true);
        Method ic = lib.getDeclaredMethod("torchIsContiguous", long.class);
        ic.setAccessible(true);
        MethodHandles.Lookup l = MethodHandles.lookup();
        toContiguous = l.unreflect(m).bindTo(instance).asType(MethodType.methodType(long.class, long.class));
        isContiguous = l.unreflect(ic).bindTo(instance).asType(MethodType.methodType(boolean.class, long.class));
    }

    /** "PyTorch 2.7.1, intra-op threads N, inter-op threads M". */
    static String describe() {
        Engine e = Engine.getEngine("PyTorch");
        return e.getEngineName() + " " + e.getVersion() + ", intra-op threads " + JniUtils.getNumThreads()
                + ", inter-op threads " + JniUtils.getNumInteropThreads();
    }

    @Override
    public String name() {
        return "libtorch";
    }

    @Override
    public Prepared prepare(Case c, float[][] operands) {
        Shape shape = new Shape(Arrays.stream(c.shape()).asLongStream().toArray());
        NDArray a = manager.create(operands[0], shape);
        NDArray b = c.arity() > 1 ? manager.create(operands[1], shape) : null;
        return new Prepared() {
            @Override
            public void call() throws Throwable0 {
                try {
                    NDArray r = run();
                    r.close();
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new Throwable0(t);
                }
            }

            private NDArray run() throws Throwable {
                switch (c.kind()) {
                    case SGEMM:
                        return a.matMul(b);
                    case ADD:
                        return a.add(b);
                    case SUM:
                        return a.sum();
                    case SOFTMAX:
                        return a.softmax(-1);
                    case TRANSPOSE: {
                        NDArray view = a.transpose(1, 0);
                        long h = (long) toContiguous.invokeExact(((Long) ((PtNDArray) view).getHandle()).longValue());
                        view.close();
                        return new PtNDArray(manager, h);
                    }
                    default:
                        throw new IllegalStateException(c.kind().toString());
                }
            }

            @Override
            public float[] result() throws Exception {
                try (NDArray r = run()) {
                    if (c.kind() == Case.Kind.TRANSPOSE) {
                        boolean contiguous = (boolean) isContiguous.invokeExact(((Long) ((PtNDArray) r).getHandle()).longValue());
                        if (!contiguous) throw new IllegalStateException("libtorch transpose result is not contiguous");
                    }
                    return r.toFloatArray();
                } catch (Exception | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new Throwable0(t);
                }
            }

            @Override
            public void close() {
                a.close();
                if (b != null) b.close();
            }
        };
    }

    @Override
    public void close() {
        manager.close();
    }

    /** A checked wrapper for what MethodHandle.invokeExact may throw. */
    static final class Throwable0 extends Exception {
        Throwable0(Throwable cause) {
            super(cause);
        }
    }
}
