package org.kindling;

import java.lang.reflect.Array;
import java.util.ArrayList;

import java.util.List;
import org.kindling.kernel.internal.KernelProvider;
import org.kindling.kernel.internal.Parallel;
import org.kindling.tensor.DType;
import org.kindling.tensor.Generator;
import org.kindling.tensor.Shape;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.Buffer;
import org.kindling.tensor.internal.Storage;
import org.kindling.tensor.internal.TensorAccess;

/**
 * The counterpart of {@code torch}: tensor factories, joins, {@code where}, {@code einsum},
 * seeding and threads.
 *
 * <pre>
 * import static org.kindling.Kindling.*;
 *
 * manualSeed(0);
 * Tensor w = randn(3, 2);
 * Tensor x = tensor(new float[][] {{1, 2, 3}});
 * Tensor y = x.matmul(w).relu();
 * Tensor z = cat(List.of(y, zeros(1, 2)), 0);   // shape [2, 2]
 * </pre>
 *
 * <p>Data from Java arrays keeps its Java precision, like {@code torch.from_numpy}: {@code float[]}
 * gives float32, {@code double[]} float64, {@code long[]} int64, {@code int[]} int32 and
 * {@code boolean[]} bool. Shapeless factories ({@code zeros}, {@code rand}, ...) give float32, the
 * default dtype.
 */
public final class Kindling {
    private Kindling() {}

    /** The default floating dtype. */
    public static final DType DEFAULT_DTYPE = DType.FLOAT32;

    // ------------------------------------------------------------------ from Java data

    /**
     * A tensor from a (possibly nested) Java array of float, double, long, int or boolean, e.g.
     * {@code tensor(new float[][] {{1, 2}, {3, 4}})}. Nested arrays must be rectangular.
     */
    public static Tensor tensor(Object data) {
        if (data == null) throw new NullPointerException("tensor: data is null");
        if (data instanceof Tensor t) return t.clone();
        if (data instanceof Number || data instanceof Boolean) return scalarOf(data);
        if (!data.getClass().isArray()) {
            throw new IllegalArgumentException("tensor: expected a Java array or scalar, got " + data.getClass().getName());
        }
        List<Integer> dims = new ArrayList<>();
        Class<?> leaf = data.getClass();
        Object probe = data;
        while (leaf.isArray()) {
            int len = Array.getLength(probe);
            dims.add(len);
            leaf = leaf.getComponentType();
            if (leaf.isArray()) {
                probe = len > 0 ? Array.get(probe, 0) : Array.newInstance(leaf.getComponentType(), 0);
            }
        }
        DType dtype = switch (leaf.getName()) {
            case "float" -> DType.FLOAT32;
            case "double" -> DType.FLOAT64;
            case "long" -> DType.INT64;
            case "int" -> DType.INT32;
            case "boolean" -> DType.BOOL;
            default -> throw new IllegalArgumentException("tensor: unsupported element type " + leaf.getName()
                    + "; expected float, double, long, int or boolean arrays");
        };
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        Storage s = Storage.allocate(dtype, Shape.numel(shape));
        int[] pos = {0};
        fill(data, 0, shape, s, pos);
        return TensorAccess.wrap(Buffer.of(s, shape));
    }

    /** A tensor from nested Java data converted to {@code dtype}. */
    public static Tensor tensor(Object data, DType dtype) {
        return tensor(data).to(dtype);
    }

    private static void fill(Object arr, int depth, int[] shape, Storage s, int[] pos) {
        int len = Array.getLength(arr);
        if (len != shape[depth]) {
            throw new IllegalArgumentException("tensor: nested arrays are not rectangular: expected length "
                    + shape[depth] + " at depth " + depth + " but found " + len);
        }
        if (depth == shape.length - 1) {
            switch (s.dtype) {
                case FLOAT32 -> System.arraycopy(arr, 0, s.f32, pos[0], len);
                case FLOAT64 -> System.arraycopy(arr, 0, s.f64, pos[0], len);
                case INT64 -> System.arraycopy(arr, 0, s.i64, pos[0], len);
                case INT32 -> System.arraycopy(arr, 0, s.i32, pos[0], len);
                case BOOL -> {
                    boolean[] b = (boolean[]) arr;
                    for (int i = 0; i < len; i++) s.bool[pos[0] + i] = (byte) (b[i] ? 1 : 0);
                }
            }
            pos[0] += len;
            return;
        }
        for (int i = 0; i < len; i++) fill(Array.get(arr, i), depth + 1, shape, s, pos);
    }

    private static Tensor scalarOf(Object v) {
        if (v instanceof Boolean b) return full(new int[0], b ? 1 : 0, DType.BOOL);
        if (v instanceof Double d) return scalar(d);
        if (v instanceof Float f) return full(new int[0], f, DType.FLOAT32);
        if (v instanceof Integer i) return full(new int[0], i, DType.INT32);
        return scalar(((Number) v).longValue());
    }

    /** A 0-dim float32 tensor ({@code torch.tensor(2.5)}). */
    public static Tensor scalar(double value) {
        return full(new int[0], value, DType.FLOAT32);
    }

    /** A 0-dim int64 tensor ({@code torch.tensor(3)}). */
    public static Tensor scalar(long value) {
        Buffer b = Buffer.allocate(DType.INT64, new int[0]);
        b.storage.i64[0] = value;
        return TensorAccess.wrap(b);
    }

    /** A tensor with {@code shape} over a flat float array (copied). */
    public static Tensor fromArray(float[] data, int... shape) {
        return TensorAccess.wrap(Buffer.of(Storage.wrap(data.clone()), shape));
    }

    public static Tensor fromArray(double[] data, int... shape) {
        return TensorAccess.wrap(Buffer.of(Storage.wrap(data.clone()), shape));
    }

    public static Tensor fromArray(long[] data, int... shape) {
        return TensorAccess.wrap(Buffer.of(Storage.wrap(data.clone()), shape));
    }

    public static Tensor fromArray(int[] data, int... shape) {
        return TensorAccess.wrap(Buffer.of(Storage.wrap(data.clone()), shape));
    }

    // ------------------------------------------------------------------ filled

    public static Tensor zeros(int... shape) {
        return zeros(shape, DEFAULT_DTYPE);
    }

    public static Tensor zeros(int[] shape, DType dtype) {
        return TensorAccess.wrap(Buffer.allocate(dtype, Shape.of(shape).toArray()));
    }

    public static Tensor ones(int... shape) {
        return ones(shape, DEFAULT_DTYPE);
    }

    public static Tensor ones(int[] shape, DType dtype) {
        return full(shape, 1, dtype);
    }

    /** A float32 tensor filled with {@code value}. */
    public static Tensor full(int[] shape, double value) {
        return full(shape, value, DEFAULT_DTYPE);
    }

    public static Tensor full(int[] shape, double value, DType dtype) {
        Tensor t = zeros(shape, dtype);
        if (value != 0) t.fill_(value);
        return t;
    }

    /**
     * Uninitialised in PyTorch; zero-filled here (the JVM zeroes every array), so never garbage.
     */
    public static Tensor empty(int... shape) {
        return zeros(shape);
    }

    public static Tensor empty(int[] shape, DType dtype) {
        return zeros(shape, dtype);
    }

    public static Tensor zerosLike(Tensor t) {
        return zeros(t.shape().toArray(), t.dtype());
    }

    public static Tensor onesLike(Tensor t) {
        return ones(t.shape().toArray(), t.dtype());
    }

    public static Tensor fullLike(Tensor t, double value) {
        return full(t.shape().toArray(), value, t.dtype());
    }

    public static Tensor emptyLike(Tensor t) {
        return zerosLike(t);
    }

    public static Tensor randLike(Tensor t) {
        return rand(t.shape().toArray()).to(floatOr(t.dtype()));
    }

    public static Tensor randnLike(Tensor t) {
        return randn(t.shape().toArray()).to(floatOr(t.dtype()));
    }

    private static DType floatOr(DType d) {
        return d.isFloatingPoint() ? d : DEFAULT_DTYPE;
    }

    // ------------------------------------------------------------------ ranges

    /** {@code [0, end)} step 1, int64 ({@code torch.arange(5)}). */
    public static Tensor arange(long end) {
        return arange(0, end, 1);
    }

    /** Integer range {@code [start, end)} with {@code step}, int64. */
    public static Tensor arange(long start, long end, long step) {
        if (step == 0) throw new IllegalArgumentException("arange: step must be nonzero");
        if ((end - start) * Long.signum(step) < 0) {
            throw new IllegalArgumentException("arange: upper bound and larger bound inconsistent with step sign: start="
                    + start + ", end=" + end + ", step=" + step);
        }
        long n = Math.max(0, (end - start + step - Long.signum(step)) / step);
        checkSize(n, "arange");
        long[] d = new long[(int) n];
        for (int i = 0; i < n; i++) d[i] = start + i * step;
        return TensorAccess.wrap(Buffer.of(Storage.wrap(d), new int[] {(int) n}));
    }

    /** Floating range {@code [start, end)} with {@code step}, float32 ({@code torch.arange(0., 1., 0.1)}). */
    public static Tensor arange(double start, double end, double step) {
        if (step == 0) throw new IllegalArgumentException("arange: step must be nonzero");
        if ((end - start) * Math.signum(step) < 0) {
            throw new IllegalArgumentException("arange: upper bound and larger bound inconsistent with step sign: start="
                    + start + ", end=" + end + ", step=" + step);
        }
        double count = Math.ceil((end - start) / step);
        checkSize((long) count, "arange");
        int n = (int) Math.max(0, count);
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = (float) (start + i * step);
        return TensorAccess.wrap(Buffer.of(Storage.wrap(d), new int[] {n}));
    }

    /** {@code steps} evenly spaced float32 values from start to end inclusive. */
    public static Tensor linspace(double start, double end, int steps) {
        if (steps < 0) throw new IllegalArgumentException("linspace: number of steps must be non-negative, got " + steps);
        float[] d = new float[steps];
        if (steps == 1) {
            d[0] = (float) start;
        } else if (steps > 1) {
            double step = (end - start) / (steps - 1);
            int half = steps / 2;
            // Like PyTorch: the first half counts up from start, the second half down from end.
            for (int i = 0; i < steps; i++) {
                d[i] = (float) (i < half ? start + step * i : end - step * (steps - 1 - i));
            }
        }
        return TensorAccess.wrap(Buffer.of(Storage.wrap(d), new int[] {steps}));
    }

    /** The n x n identity. */
    public static Tensor eye(int n) {
        return eye(n, n);
    }

    /** n x m with ones on the main diagonal. */
    public static Tensor eye(int n, int m) {
        Tensor t = zeros(n, m);
        Buffer b = TensorAccess.unwrap(t);
        for (int i = 0; i < Math.min(n, m); i++) b.storage.f32[i * m + i] = 1f;
        return t;
    }

    private static void checkSize(long n, String op) {
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException(op + ": " + n + " elements is too many");
    }

    // ------------------------------------------------------------------ random

    /** Seeds the global generator; every random op after it is reproducible. */
    public static Generator manualSeed(long seed) {
        return Generator.global().manualSeed(seed);
    }

    /** Uniform [0, 1) float32. */
    public static Tensor rand(int... shape) {
        return uniform(shape, 0, 1, Generator.global());
    }

    /** Standard normal float32. */
    public static Tensor randn(int... shape) {
        return normal(shape, 0, 1, Generator.global());
    }

    /** Integers uniform in [low, high), int64. */
    public static Tensor randint(long low, long high, int... shape) {
        return randint(low, high, shape, Generator.global());
    }

    public static Tensor randint(long low, long high, int[] shape, Generator g) {
        if (low >= high) throw new IllegalArgumentException("randint: expected low < high, got low=" + low + ", high=" + high);
        Buffer b = Buffer.allocate(DType.INT64, Shape.of(shape).toArray());
        long[] d = b.storage.i64;
        synchronized (g) {
            for (int i = 0; i < d.length; i++) d[i] = g.nextLong(low, high);
        }
        return TensorAccess.wrap(b);
    }

    /** A random permutation of 0..n-1, int64. */
    public static Tensor randperm(int n) {
        return randperm(n, Generator.global());
    }

    public static Tensor randperm(int n, Generator g) {
        if (n < 0) throw new IllegalArgumentException("randperm: n must be non-negative, got " + n);
        long[] d = new long[n];
        for (int i = 0; i < n; i++) d[i] = i;
        synchronized (g) {
            for (int i = n - 1; i > 0; i--) {
                int j = (int) g.nextLong(i + 1);
                long tmp = d[i];
                d[i] = d[j];
                d[j] = tmp;
            }
        }
        return TensorAccess.wrap(Buffer.of(Storage.wrap(d), new int[] {n}));
    }

    /** Normal with the given mean and standard deviation, float32. */
    public static Tensor normal(double mean, double std, int... shape) {
        return normal(shape, mean, std, Generator.global());
    }

    public static Tensor normal(int[] shape, double mean, double std, Generator g) {
        if (std < 0) throw new IllegalArgumentException("normal: expected std >= 0.0, got " + std);
        Buffer b = Buffer.allocate(DType.FLOAT32, Shape.of(shape).toArray());
        float[] d = b.storage.f32;
        synchronized (g) {
            for (int i = 0; i < d.length; i++) d[i] = (float) (mean + std * g.nextGaussian());
        }
        return TensorAccess.wrap(b);
    }

    /** Uniform in [low, high), float32. */
    public static Tensor uniform(double low, double high, int... shape) {
        return uniform(shape, low, high, Generator.global());
    }

    public static Tensor uniform(int[] shape, double low, double high, Generator g) {
        if (!(low <= high)) throw new IllegalArgumentException("uniform: expected low <= high, got low=" + low + ", high=" + high);
        Buffer b = Buffer.allocate(DType.FLOAT32, Shape.of(shape).toArray());
        float[] d = b.storage.f32;
        synchronized (g) {
            for (int i = 0; i < d.length; i++) d[i] = (float) (low + (high - low) * g.nextFloat());
        }
        return TensorAccess.wrap(b);
    }

    /** 0/1 draws with per-element probabilities {@code p} (values in [0, 1]); result has p's dtype. */
    public static Tensor bernoulli(Tensor p) {
        return bernoulli(p, Generator.global());
    }

    public static Tensor bernoulli(Tensor p, Generator g) {
        double[] probs = p.toDoubleArray();
        double[] out = new double[probs.length];
        synchronized (g) {
            for (int i = 0; i < probs.length; i++) {
                double q = probs[i];
                if (!(q >= 0 && q <= 1)) {
                    throw new IllegalArgumentException("bernoulli: expected all probabilities in [0, 1], got " + q
                            + " at flat index " + i);
                }
                out[i] = g.nextDouble() < q ? 1 : 0;
            }
        }
        return TensorAccess.wrap(Buffer.of(Storage.wrap(out), p.shape().toArray()))
                .to(p.dtype().isFloatingPoint() ? p.dtype() : DEFAULT_DTYPE);
    }

    /** 0/1 float32 draws, each 1 with probability {@code p}. */
    public static Tensor bernoulli(double p, int... shape) {
        return bernoulli(full(shape, p, DType.FLOAT64)).to(DEFAULT_DTYPE);
    }

    // ------------------------------------------------------------------ joins and choices

    /** Concatenates along an existing dim. */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("cat: expected a non-empty list of tensors");
        if (recording(tensors)) {
            return new org.kindling.tensor.internal.grad.JoinFunctions.Cat(dim).apply(tensors.toArray(new Tensor[0]));
        }
        return TensorAccess.wrap(org.kindling.tensor.internal.JoinOps.cat(
                TensorAccess.unwrap(tensors.toArray(new Tensor[0])), dim));
    }

    public static Tensor cat(List<Tensor> tensors) {
        return cat(tensors, 0);
    }

    /** Stacks equal-shaped tensors along a new dim. */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("stack: expected a non-empty list of tensors");
        if (recording(tensors) && sameShapes(tensors)) {
            // stack is cat of the tensors unsqueezed at dim (exactly what the kernel does), recorded as such.
            int d = Shape.normalizeDim(dim, tensors.get(0).dim() + 1, "stack");
            List<Tensor> us = new ArrayList<>(tensors.size());
            for (Tensor t : tensors) us.add(t.unsqueeze(d));
            return cat(us, d);
        }
        return TensorAccess.wrap(org.kindling.tensor.internal.JoinOps.stack(
                TensorAccess.unwrap(tensors.toArray(new Tensor[0])), dim));
    }

    public static Tensor stack(List<Tensor> tensors) {
        return stack(tensors, 0);
    }

    /** {@code condition ? a : b}, broadcast over all three. */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        return a.where(condition, b);
    }

    /** Einstein summation, e.g. {@code einsum("bij,bjk->bik", a, b)}. */
    public static Tensor einsum(String equation, Tensor... operands) {
        if (operands != null && recording(java.util.Arrays.asList(operands))) {
            return new org.kindling.tensor.internal.grad.LinalgFunctions.Einsum(equation).apply(operands);
        }
        return TensorAccess.wrap(org.kindling.tensor.internal.LinalgOps.einsum(equation, TensorAccess.unwrap(operands)));
    }

    /** True when an op on these tensors must be recorded for autograd. */
    private static boolean recording(List<Tensor> tensors) {
        if (org.kindling.tensor.internal.trace.TraceHook.tracing()) return true;
        if (!org.kindling.tensor.GradMode.isEnabled()) return false;
        for (Tensor t : tensors) {
            if (t != null && t.requiresGrad()) return true;
        }
        return false;
    }

    private static boolean sameShapes(List<Tensor> tensors) {
        Shape first = tensors.get(0).shape();
        for (Tensor t : tensors) {
            if (!t.shape().equals(first)) return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ runtime

    /** Threads used by the CPU kernels ({@code torch.set_num_threads}). */
    public static void setNumThreads(int n) {
        Parallel.setNumThreads(n);
    }

    public static int getNumThreads() {
        return Parallel.numThreads();
    }

    /** "simd" or "scalar": which CPU kernels this JVM uses. */
    public static String kernels() {
        return KernelProvider.get().name();
    }

}
