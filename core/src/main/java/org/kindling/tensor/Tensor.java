package org.kindling.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kindling.kernel.internal.BinaryOp;
import org.kindling.kernel.internal.UnaryOp;
import org.kindling.tensor.internal.Buffer;
import org.kindling.tensor.internal.CompareOp;
import org.kindling.tensor.internal.ElementwiseOps;
import org.kindling.tensor.internal.IndexOps;
import org.kindling.tensor.internal.JoinOps;
import org.kindling.tensor.internal.LinalgOps;
import org.kindling.tensor.internal.LogicalOp;
import org.kindling.tensor.internal.ReduceOps;
import org.kindling.tensor.internal.TensorAccess;
import org.kindling.tensor.internal.grad.BasicFunctions;
import org.kindling.tensor.internal.grad.ElementwiseFunctions;
import org.kindling.tensor.internal.grad.IndexFunctions;
import org.kindling.tensor.internal.grad.JoinFunctions;
import org.kindling.tensor.internal.grad.LinalgFunctions;
import org.kindling.tensor.internal.grad.ReduceFunctions;
import org.kindling.tensor.internal.grad.ViewFunctions;
import org.kindling.tensor.internal.TensorFormatter;
import org.kindling.tensor.internal.trace.TraceHook;

/**
 * An n-dimensional array with PyTorch's semantics: storage + offset + sizes + strides + dtype +
 * device. View ops ({@link #view}, {@link #permute}, {@link #expand}, {@link #narrow}, slicing,
 * ...) share storage with their base, so an in-place op on a view changes the base. Elementwise
 * ops broadcast by NumPy rules and promote dtypes as PyTorch does. Java has no operators, so
 * {@code a + b * c} is {@code a.add(b.mul(c))}; names are PyTorch's in camelCase; in-place
 * variants end with an underscore ({@code add_}).
 *
 * <pre>
 * Tensor x = Kindling.tensor(new float[][] {{1, 2}, {3, 4}});
 * Tensor y = x.mul(2).add(Kindling.ones(2));     // broadcasting
 * y.sum().item();                                  // 24.0
 * x.t().matmul(x);                                 // tensor([[10., 14.], [14., 20.]])
 * </pre>
 */
public class Tensor {
    private Buffer buf;
    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;
    private Node accumulateNode;
    /** For outputs of recorded view ops: the tensor whose storage this one views. */
    private Tensor viewBase;

    private Tensor(Buffer buf) {
        this.buf = buf;
    }

    /**
     * A new tensor object over the same data, for subclasses such as {@code nn.Parameter}; the new
     * tensor is a leaf and does not require grad until told so.
     */
    protected Tensor(Tensor data) {
        this.buf = data.buf;
    }

    // ============================================================ autograd

    /** True if gradients are computed for this tensor. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Marks a leaf tensor as needing a gradient ({@code requires_grad_}). Only floating-point
     * tensors can require gradients.
     */
    public Tensor requiresGrad_(boolean requires) {
        if (requires && !buf.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("only Tensors of floating point dtype can require gradients, got "
                    + buf.dtype());
        }
        if (!requires && gradFn != null) {
            throw new IllegalStateException("you can only change requiresGrad flags of leaf variables. If you want to "
                    + "use a computed variable in a subgraph that doesn't require differentiation use detach()");
        }
        requiresGrad = requires;
        return this;
    }

    /** Shorthand for {@code requiresGrad_(true)}. */
    public Tensor requiresGrad_() {
        return requiresGrad_(true);
    }

    /** The gradient accumulated by backward, or null. */
    public Tensor grad() {
        return grad;
    }

    /** Sets or clears ({@code null}) the gradient, as assigning {@code tensor.grad}. */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.buf.shape, buf.shape)) {
            throw new IllegalArgumentException("assigned grad has shape " + g.shape() + " but the tensor has shape "
                    + shape());
        }
        grad = g;
    }

    /** The op that produced this tensor, or null for a leaf. */
    public GradFn gradFn() {
        return gradFn;
    }

    /** True for tensors not produced by a recorded op (user-created tensors and parameters). */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /**
     * Makes this tensor refer to {@code other}'s data (storage, shape and dtype), keeping its
     * identity, {@code requiresGrad} and grad_fn, as assigning {@code tensor.data} in PyTorch.
     * Modules use it to change a parameter's dtype without replacing the parameter object.
     */
    public void setData(Tensor other) {
        if (requiresGrad && !other.buf.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("setData: a tensor that requires grad needs floating point data, got "
                    + other.dtype());
        }
        this.buf = other.buf;
    }

    /** A tensor sharing this one's data, cut from the graph ({@code detach()}). */
    public Tensor detach() {
        return new Tensor(buf);
    }

    /** Cuts this tensor from the graph in place. */
    public Tensor detach_() {
        gradFn = null;
        requiresGrad = false;
        return this;
    }

    /** Backward from a one-element tensor (gradient 1). */
    public void backward() {
        if (numel() != 1) {
            throw new IllegalStateException("grad can be implicitly created only for scalar outputs, but this tensor has shape "
                    + shape() + "; pass a gradient to backward(gradient)");
        }
        Buffer ones = Buffer.allocate(buf.dtype(), buf.shape);
        ElementwiseOps.fill(ones, 1);
        backward(new Tensor(ones), false, false);
    }

    /** Backward with the given gradient of this tensor. */
    public void backward(Tensor gradient) {
        backward(gradient, false, false);
    }

    /**
     * Accumulates the gradients of this tensor's graph into the leaves' {@link #grad()}.
     *
     * @param retainGraph keep the saved tensors so that backward can run again
     * @param createGraph record the backward computation, for higher-order gradients
     */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        if (!requiresGrad) {
            throw new IllegalStateException("element 0 of tensors does not require grad and does not have a grad_fn");
        }
        if (!Arrays.equals(gradient.buf.shape, buf.shape)) {
            throw new IllegalArgumentException("backward: gradient has shape " + gradient.shape()
                    + " but the tensor has shape " + shape());
        }
        Engine.run(new Node[] {gradEdge()}, new Tensor[] {gradient}, retainGraph, createGraph, null);
    }

    /**
     * Registers a hook called with this tensor's gradient during backward; a non-null return
     * value replaces the gradient.
     */
    public Tensor registerHook(java.util.function.UnaryOperator<Tensor> hook) {
        if (!requiresGrad) throw new IllegalStateException("cannot register a hook on a tensor that doesn't require gradient");
        gradEdge().addHook(hook);
        return this;
    }

    /** Keeps the gradient of this non-leaf tensor in {@link #grad()} after backward. */
    public Tensor retainGrad() {
        if (!requiresGrad) throw new IllegalStateException("can't retainGrad on a tensor that doesn't require gradient");
        if (gradFn != null) gradFn.retainGradOf = this;
        return this;
    }

    /** The node gradients of this tensor flow into: its grad_fn, or its AccumulateGrad node if a leaf. */
    Node gradEdge() {
        if (gradFn != null) return gradFn;
        if (accumulateNode == null) accumulateNode = new Node(this);
        return accumulateNode;
    }

    void accumulateGrad(Tensor g) {
        if (grad == null) {
            // Own the gradient: later accumulation is in place and must not write into a tensor of the graph.
            grad = g.requiresGrad ? g : new Tensor(g.buf.copy());
        } else if (g.requiresGrad || grad.requiresGrad) {
            grad = grad.add(g);
        } else {
            grad.buf.storage.version++;
            ElementwiseOps.binaryInPlace(BinaryOp.ADD, grad.buf, g.buf, "add_");
        }
    }

    /** Storage version, bumped by in-place ops; views share it. */
    int version() {
        return buf.storage.version;
    }

    private static Tensor[] autogradGrad(Tensor[] outputs, Tensor[] gradOutputs, Tensor[] inputs, boolean retainGraph,
                                         boolean createGraph, boolean allowUnused) {
        if (gradOutputs.length != outputs.length) {
            throw new IllegalArgumentException("grad: got " + outputs.length + " outputs but " + gradOutputs.length
                    + " gradOutputs");
        }
        Node[] roots = new Node[outputs.length];
        Tensor[] rootGrads = new Tensor[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            Tensor o = outputs[i];
            if (!o.requiresGrad) {
                throw new IllegalStateException("grad: output " + i + " does not require grad and does not have a grad_fn");
            }
            Tensor g = gradOutputs[i];
            if (g == null) {
                if (o.numel() != 1) {
                    throw new IllegalArgumentException("grad: gradOutputs[" + i + "] can be null only for scalar outputs, "
                            + "but output " + i + " has shape " + o.shape());
                }
                Buffer ones = Buffer.allocate(o.dtype(), o.buf.shape);
                ElementwiseOps.fill(ones, 1);
                g = new Tensor(ones);
            } else if (!Arrays.equals(g.buf.shape, o.buf.shape)) {
                throw new IllegalArgumentException("grad: gradOutputs[" + i + "] has shape " + g.shape()
                        + " but output " + i + " has shape " + o.shape());
            }
            roots[i] = o.gradEdge();
            rootGrads[i] = g;
        }
        Node[] capture = new Node[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].requiresGrad) {
                throw new IllegalArgumentException("grad: input " + i + " does not require grad");
            }
            capture[i] = inputs[i].gradEdge();
        }
        java.util.Map<Node, Tensor> got = Engine.run(roots, rootGrads, retainGraph, createGraph, capture);
        Tensor[] out = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor g = got.get(capture[i]);
            if (g == null) {
                if (!allowUnused) {
                    throw new IllegalStateException("grad: one of the differentiated Tensors (input " + i
                            + ") appears to not have been used in the graph. Set allowUnused=true if this is the desired behavior.");
                }
            } else if (!createGraph) {
                g = g.detach();
            }
            out[i] = g;
        }
        return out;
    }

    /** Called by Function.apply: makes {@code out} the recorded result of {@code node}. */
    static Tensor attachGraph(Tensor out, Node node, Tensor[] inputs) {
        Tensor result = out;
        for (Tensor in : inputs) {
            if (in == out) {
                result = new Tensor(out.buf);
                break;
            }
        }
        if (result.gradFn != null || result.requiresGrad) result = new Tensor(result.buf);
        result.gradFn = node;
        result.requiresGrad = true;
        for (Tensor in : inputs) {
            if (in != null && in.buf.storage == result.buf.storage) {
                result.viewBase = in.viewBase != null ? in.viewBase : in;
                break;
            }
        }
        return result;
    }

    /** True when an op on these tensors must be recorded. */
    static boolean recording(Tensor a) {
        return a.requiresGrad && GradMode.isEnabled() || TraceHook.tracing();
    }

    static boolean recording(Tensor a, Tensor b) {
        return (a.requiresGrad || b.requiresGrad) && GradMode.isEnabled() || TraceHook.tracing();
    }

    /**
     * Before an in-place write: refuses writes autograd cannot follow (a leaf that requires grad,
     * or a view of a tensor in the graph). The version is bumped after the write, by
     * {@link #endInPlace}, so that a tensor saved by the recorded op itself is caught too.
     */
    private void checkInPlace(String op, Tensor other) {
        if (GradMode.isEnabled()) {
            if (requiresGrad && gradFn == null) {
                throw new IllegalStateException(op + ": a leaf Variable that requires grad is being used in an in-place "
                        + "operation. Wrap the update in GradMode.noGrad() or use the out-of-place op.");
            }
            if (viewBase != null && (requiresGrad || other != null && other.requiresGrad)) {
                throw new UnsupportedOperationException(op + ": in-place operation on a view of a tensor that is part of "
                        + "the autograd graph is not supported; use the out-of-place op");
            }
        }
    }

    private Tensor endInPlace() {
        buf.storage.version++;
        return this;
    }

    /**
     * Runs an in-place op: directly when nothing is recorded; otherwise records the out-of-place
     * twin on a copy of this tensor and takes over its values and grad_fn (PyTorch's rebase).
     */
    private Tensor inPlace(String op, Tensor other, Runnable direct,
                           java.util.function.UnaryOperator<Tensor> outOfPlace) {
        checkInPlace(op, other);
        if (recordsInPlace(other)) {
            Tensor result = outOfPlace.apply(requiresGrad ? clone() : this);
            if (!Arrays.equals(result.buf.shape, buf.shape)) {
                throw new IllegalArgumentException(op + ": output with shape " + shape()
                        + " doesn't match the broadcast shape " + result.shape());
            }
            rebase(result);
        } else {
            direct.run();
        }
        return endInPlace();
    }

    /** In-place op with autograd: computes {@code fn(clone(this))} recorded, then takes over its data and grad_fn. */
    private Tensor rebase(Tensor result) {
        Buffer.copyInto(result.buf, buf);
        TraceHook.Listener trace = TraceHook.listener();
        if (trace != null) trace.rebind(this, result);
        gradFn = result.gradFn;
        requiresGrad = result.requiresGrad;
        return this;
    }

    private boolean recordsInPlace(Tensor other) {
        return GradMode.isEnabled() && (requiresGrad || (other != null && other.requiresGrad)) || TraceHook.tracing();
    }

    /** A 0-dim tensor for a Java floating scalar, typed so it does not widen this tensor's dtype. */
    private Tensor scalar(double v) {
        DType t = buf.dtype().isFloatingPoint() ? buf.dtype() : DType.FLOAT32;
        Buffer b = Buffer.allocate(t, new int[0]);
        b.storage.setDouble(0, v);
        return new Tensor(b);
    }

    /** A 0-dim tensor for a Java integer scalar: keeps this tensor's dtype (bool becomes int64). */
    private Tensor scalar(long v) {
        DType t = buf.dtype() == DType.BOOL ? DType.INT64 : buf.dtype();
        Buffer b = Buffer.allocate(t, new int[0]);
        b.storage.setLong(0, v);
        return new Tensor(b);
    }

    // ============================================================ metadata

    /** The sizes ({@code tensor.shape}). */
    public Shape shape() {
        return Shape.of(buf.shape);
    }

    /** The size of dimension {@code dim}; negative counts from the end. */
    public int size(int dim) {
        return buf.shape[Shape.normalizeDim(dim, buf.rank(), "size")];
    }

    /** The number of dimensions ({@code tensor.dim()}). */
    public int dim() {
        return buf.rank();
    }

    public int numel() {
        return buf.numel();
    }

    public DType dtype() {
        return buf.dtype();
    }

    public Device device() {
        return Device.CPU;
    }

    /** Strides in elements, as {@code tensor.stride()}. */
    public int[] stride() {
        return buf.strides.clone();
    }

    public int stride(int dim) {
        return buf.strides[Shape.normalizeDim(dim, buf.rank(), "stride")];
    }

    /** Offset of the first element in the storage ({@code tensor.storage_offset()}). */
    public int storageOffset() {
        return buf.offset;
    }

    public boolean isContiguous() {
        return buf.isContiguous();
    }

    /** True when both tensors are views of the same storage. */
    public boolean sharesStorageWith(Tensor other) {
        return buf.storage == other.buf.storage;
    }

    public boolean isFloatingPoint() {
        return buf.dtype().isFloatingPoint();
    }

    // ============================================================ conversion

    /** This tensor converted to {@code dtype} (itself when it already has it). */
    public Tensor to(DType dtype) {
        if (dtype == buf.dtype()) return this;
        if (recording(this) && (dtype.isFloatingPoint() || TraceHook.tracing())) {
            return new ElementwiseFunctions.Cast(dtype).apply(this);
        }
        return new Tensor(buf.castCopy(dtype));
    }

    /** This tensor on {@code device}; only the CPU exists in this release. */
    public Tensor to(Device device) {
        if (!device.equals(Device.CPU)) {
            throw new UnsupportedOperationException("to(" + device + "): only the cpu device is available in this build");
        }
        return this;
    }

    /** The value of a one-element tensor as a double ({@code tensor.item()}). */
    public double item() {
        requireOneElement("item");
        return buf.storage.getDouble(buf.offset);
    }

    /** The value of a one-element tensor as a long, exact for INT64. */
    public long itemLong() {
        requireOneElement("itemLong");
        return buf.storage.getLong(buf.offset);
    }

    private void requireOneElement(String op) {
        if (numel() != 1) {
            throw new IllegalStateException(op + ": a Tensor with " + numel() + " elements cannot be converted to a scalar");
        }
    }

    /** The elements in row-major order as floats. */
    public float[] toFloatArray() {
        Buffer c = buf.castCopy(DType.FLOAT32);
        return c.storage.f32;
    }

    public double[] toDoubleArray() {
        return buf.castCopy(DType.FLOAT64).storage.f64;
    }

    public long[] toLongArray() {
        return buf.castCopy(DType.INT64).storage.i64;
    }

    public int[] toIntArray() {
        return buf.castCopy(DType.INT32).storage.i32;
    }

    public boolean[] toBooleanArray() {
        byte[] b = buf.castCopy(DType.BOOL).storage.bool;
        boolean[] out = new boolean[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[i] != 0;
        return out;
    }

    /**
     * Nested Java lists of boxed values ({@code tensor.tolist()}): a 0-dim tensor gives a Number or
     * Boolean, a 2-D one a {@code List<List<Number>>}.
     */
    public Object tolist() {
        return tolist(buf, 0, buf.offset);
    }

    private static Object tolist(Buffer b, int dim, int off) {
        if (dim == b.rank()) {
            return switch (b.dtype()) {
                case FLOAT32 -> b.storage.f32[off];
                case FLOAT64 -> b.storage.f64[off];
                case INT64 -> b.storage.i64[off];
                case INT32 -> b.storage.i32[off];
                case BOOL -> b.storage.bool[off] != 0;
            };
        }
        List<Object> out = new ArrayList<>(b.shape[dim]);
        for (int i = 0; i < b.shape[dim]; i++) out.add(tolist(b, dim + 1, off + i * b.strides[dim]));
        return out;
    }

    // ============================================================ views

    /** Same data, new shape (one size may be -1); fails when strides cannot express it (use reshape). */
    public Tensor view(int... shape) {
        if (recording(this)) return new BasicFunctions.Reshape(shape, true).apply(this);
        return new Tensor(buf.view(shape, "view"));
    }

    /** A view when possible, else a copy, with the new shape (one size may be -1). */
    public Tensor reshape(int... shape) {
        if (recording(this)) return new BasicFunctions.Reshape(shape, false).apply(this);
        return new Tensor(buf.reshape(shape, "reshape"));
    }

    public Tensor viewAs(Tensor other) {
        return view(other.buf.shape);
    }

    public Tensor reshapeAs(Tensor other) {
        return reshape(other.buf.shape);
    }

    /** All dims flattened into one. */
    public Tensor flatten() {
        return flatten(0, -1);
    }

    /** Dims {@code startDim..endDim} (inclusive) flattened into one. */
    public Tensor flatten(int startDim, int endDim) {
        if (dim() == 0) return reshape(1);
        int s = Shape.normalizeDim(startDim, dim(), "flatten");
        int e = Shape.normalizeDim(endDim, dim(), "flatten");
        if (s > e) throw new IllegalArgumentException("flatten: start_dim " + s + " cannot come after end_dim " + e);
        int[] ns = new int[dim() - (e - s)];
        int j = 0;
        for (int d = 0; d < s; d++) ns[j++] = buf.shape[d];
        int m = 1;
        for (int d = s; d <= e; d++) m *= buf.shape[d];
        ns[j++] = m;
        for (int d = e + 1; d < dim(); d++) ns[j++] = buf.shape[d];
        return reshape(ns);
    }

    /** Inverse of flatten for one dim: splits {@code dim} into {@code sizes}. */
    public Tensor unflatten(int dim, int... sizes) {
        int d = Shape.normalizeDim(dim, dim(), "unflatten");
        int[] resolved = Buffer.inferShape(sizes, buf.shape[d], "unflatten");
        int[] ns = new int[dim() - 1 + resolved.length];
        int j = 0;
        for (int k = 0; k < d; k++) ns[j++] = buf.shape[k];
        for (int r : resolved) ns[j++] = r;
        for (int k = d + 1; k < dim(); k++) ns[j++] = buf.shape[k];
        return view(ns);
    }

    public Tensor permute(int... dims) {
        if (recording(this)) return new ViewFunctions.Permute(dims.clone()).apply(this);
        return new Tensor(buf.permute(dims, "permute"));
    }

    public Tensor transpose(int dim0, int dim1) {
        if (recording(this)) return new ViewFunctions.Transpose(dim0, dim1).apply(this);
        return new Tensor(buf.transpose(dim0, dim1, "transpose"));
    }

    /** Transpose of a tensor of at most 2 dims ({@code tensor.t()}). */
    public Tensor t() {
        if (dim() > 2) throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + dim() + "D");
        return dim() < 2 ? this : transpose(0, 1);
    }

    /** Transpose of the last two dims ({@code tensor.mT}). */
    public Tensor mT() {
        if (dim() < 2) throw new IllegalArgumentException("mT: tensor of dimension " + dim() + " has no matrix transpose");
        return transpose(-2, -1);
    }

    public Tensor squeeze() {
        if (recording(this)) return new ViewFunctions.Squeeze(null).apply(this);
        return new Tensor(buf.squeeze());
    }

    public Tensor squeeze(int dim) {
        if (recording(this)) return new ViewFunctions.Squeeze(dim).apply(this);
        return new Tensor(buf.squeeze(dim, "squeeze"));
    }

    public Tensor unsqueeze(int dim) {
        if (recording(this)) return new ViewFunctions.Unsqueeze(dim).apply(this);
        return new Tensor(buf.unsqueeze(dim, "unsqueeze"));
    }

    /** Broadcast view to {@code sizes} (-1 keeps a size); no data is copied. */
    public Tensor expand(int... sizes) {
        if (recording(this)) return new BasicFunctions.Expand(sizes).apply(this);
        return new Tensor(buf.expand(sizes, "expand"));
    }

    public Tensor expandAs(Tensor other) {
        return expand(other.buf.shape);
    }

    /** View of {@code length} elements along dim starting at {@code start}. */
    public Tensor narrow(int dim, int start, int length) {
        if (recording(this)) {
            return new ViewFunctions.SubView("Narrow", t -> t.narrow(dim, start, length), dim, start, length)
                    .apply(this);
        }
        return new Tensor(buf.narrow(dim, start, length, "narrow"));
    }

    /** View with dim removed, at {@code index} ({@code x[:, i]} is {@code x.select(1, i)}). */
    public Tensor select(int dim, int index) {
        if (recording(this)) {
            return new ViewFunctions.SubView("Select", t -> t.select(dim, index), dim, index).apply(this);
        }
        return new Tensor(buf.select(dim, index, "select"));
    }

    /** {@code x[i]}: select along dim 0. */
    public Tensor get(int index) {
        return select(0, index);
    }

    /** {@code x[start:end]} along dim; negative bounds count from the end, out-of-range bounds clamp. */
    public Tensor slice(int dim, int start, int end) {
        return slice(dim, start, end, 1);
    }

    /** {@code x[start:end:step]} along dim (step &gt; 0). */
    public Tensor slice(int dim, int start, int end, int step) {
        if (recording(this)) {
            return new ViewFunctions.SubView("Slice", t -> t.slice(dim, start, end, step), dim, start, end, step)
                    .apply(this);
        }
        return new Tensor(buf.slice(dim, start, end, step, "slice"));
    }

    /** Sliding windows of {@code size} with {@code step} along dim, as a new last dim. */
    public Tensor unfold(int dim, int size, int step) {
        if (recording(this)) return new ViewFunctions.Unfold(dim, size, step).apply(this);
        return new Tensor(buf.unfold(dim, size, step, "unfold"));
    }

    /** This tensor if contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        return buf.isContiguous() ? this : clone();
    }

    /** A copy with storage of its own. */
    public Tensor clone() {
        if (recording(this)) return new BasicFunctions.Clone().apply(this);
        return new Tensor(buf.copy());
    }

    /** Views of {@code splitSize}-sized pieces along dim (the last may be smaller). */
    public List<Tensor> split(int splitSize, int dim) {
        if (splitSize <= 0) throw new IllegalArgumentException("split: split_size must be positive, got " + splitSize);
        int d = Shape.normalizeDim(dim, dim(), "split");
        int n = buf.shape[d];
        List<Tensor> out = new ArrayList<>();
        for (int s = 0; s < n || (n == 0 && s == 0); s += splitSize) {
            out.add(narrow(d, s, Math.min(splitSize, n - s)));
            if (n == 0) break;
        }
        return out;
    }

    /** Views of the given sizes along dim; the sizes must sum to the dim's size. */
    public List<Tensor> split(int[] sizes, int dim) {
        int d = Shape.normalizeDim(dim, dim(), "split");
        long total = 0;
        for (int s : sizes) total += s;
        if (total != buf.shape[d]) {
            throw new IllegalArgumentException("split: split sizes " + Arrays.toString(sizes) + " sum to " + total
                    + " but dimension " + d + " has size " + buf.shape[d]);
        }
        List<Tensor> out = new ArrayList<>();
        int start = 0;
        for (int s : sizes) {
            out.add(narrow(d, start, s));
            start += s;
        }
        return out;
    }

    /** {@code chunks} views along dim, as {@code torch.chunk} (the last may be smaller; fewer if it divides so). */
    public List<Tensor> chunk(int chunks, int dim) {
        if (chunks <= 0) throw new IllegalArgumentException("chunk: chunks must be positive, got " + chunks);
        int d = Shape.normalizeDim(dim, dim(), "chunk");
        int size = (buf.shape[d] + chunks - 1) / chunks;
        return split(Math.max(size, 1), d);
    }

    /** Views of every index along dim, with dim removed. */
    public List<Tensor> unbind(int dim) {
        int d = Shape.normalizeDim(dim, dim(), "unbind");
        List<Tensor> out = new ArrayList<>(buf.shape[d]);
        for (int i = 0; i < buf.shape[d]; i++) out.add(select(d, i));
        return out;
    }

    // ============================================================ elementwise binary

    private Tensor binary(BinaryOp op, Tensor other, String name) {
        return new Tensor(ElementwiseOps.binary(op, buf, other.buf, name));
    }

    private Tensor binaryInPlace(BinaryOp op, Tensor other, String name) {
        return inPlace(name, other, () -> ElementwiseOps.binaryInPlace(op, buf, other.buf, name),
                self -> self.binaryRecorded(op, other));
    }

    /** The public (recording) op for a kernel op, used to record in-place ops. */
    private Tensor binaryRecorded(BinaryOp op, Tensor other) {
        return switch (op) {
            case ADD -> add(other);
            case SUB -> sub(other);
            case MUL -> mul(other);
            case DIV -> div(other);
            case POW -> pow(other);
            case MAX -> maximum(other);
            case MIN -> minimum(other);
            case REMAINDER -> remainder(other);
            case FLOOR_DIVIDE -> floorDivide(other);
        };
    }

    public Tensor add(Tensor other) {
        if (recording(this, other)) return new BasicFunctions.Add().apply(this, other);
        return binary(BinaryOp.ADD, other, "add");
    }

    /** {@code this + alpha * other}. */
    public Tensor add(Tensor other, double alpha) {
        return alpha == 1 ? add(other) : add(other.mul(alpha));
    }

    public Tensor add(double other) {
        return add(scalar(other));
    }

    public Tensor add(long other) {
        return add(scalar(other));
    }

    public Tensor sub(Tensor other) {
        if (recording(this, other)) return new BasicFunctions.Sub().apply(this, other);
        return binary(BinaryOp.SUB, other, "sub");
    }

    public Tensor sub(double other) {
        return sub(scalar(other));
    }

    public Tensor sub(long other) {
        return sub(scalar(other));
    }

    /** {@code other - this} ({@code torch.rsub}). */
    public Tensor rsub(double other) {
        return scalar(other).sub(this);
    }

    public Tensor mul(Tensor other) {
        if (recording(this, other)) return new BasicFunctions.Mul().apply(this, other);
        return binary(BinaryOp.MUL, other, "mul");
    }

    public Tensor mul(double other) {
        return mul(scalar(other));
    }

    public Tensor mul(long other) {
        return mul(scalar(other));
    }

    /** True division: integer operands give a float32 result. */
    public Tensor div(Tensor other) {
        if (recording(this, other)) return new BasicFunctions.Div().apply(this, other);
        return binary(BinaryOp.DIV, other, "div");
    }

    public Tensor div(double other) {
        return div(scalar(other));
    }

    public Tensor div(long other) {
        return div(scalar(other));
    }

    /** Division rounded toward negative infinity ({@code torch.floor_divide}, Python's {@code //}). */
    public Tensor floorDivide(Tensor other) {
        if (recording(this, other)) {
            return new ElementwiseFunctions.ZeroGrad("FloorDivide", in -> in[0].floorDivide(in[1])).apply(this, other);
        }
        return binary(BinaryOp.FLOOR_DIVIDE, other, "floorDivide");
    }

    public Tensor floorDivide(double other) {
        return floorDivide(scalar(other));
    }

    public Tensor floorDivide(long other) {
        return floorDivide(scalar(other));
    }

    /** Python's {@code %}: the result has the sign of the divisor. */
    public Tensor remainder(Tensor other) {
        if (recording(this, other)) return new ElementwiseFunctions.Remainder().apply(this, other);
        return binary(BinaryOp.REMAINDER, other, "remainder");
    }

    public Tensor remainder(double other) {
        return remainder(scalar(other));
    }

    public Tensor remainder(long other) {
        return remainder(scalar(other));
    }

    public Tensor pow(Tensor exponent) {
        if (recording(this, exponent)) return new ElementwiseFunctions.Pow().apply(this, exponent);
        return binary(BinaryOp.POW, exponent, "pow");
    }

    public Tensor pow(double exponent) {
        return pow(scalar(exponent));
    }

    public Tensor pow(long exponent) {
        return pow(scalar(exponent));
    }

    /** Elementwise maximum, propagating NaN. */
    public Tensor maximum(Tensor other) {
        if (recording(this, other)) return new ElementwiseFunctions.MaxMin(true).apply(this, other);
        return binary(BinaryOp.MAX, other, "maximum");
    }

    /** Elementwise minimum, propagating NaN. */
    public Tensor minimum(Tensor other) {
        if (recording(this, other)) return new ElementwiseFunctions.MaxMin(false).apply(this, other);
        return binary(BinaryOp.MIN, other, "minimum");
    }

    public Tensor add_(Tensor other) {
        return binaryInPlace(BinaryOp.ADD, other, "add_");
    }

    /** {@code this += alpha * other}. */
    public Tensor add_(Tensor other, double alpha) {
        return alpha == 1 ? add_(other) : add_(other.mul(alpha));
    }

    public Tensor add_(double other) {
        return add_(scalar(other));
    }

    public Tensor sub_(Tensor other) {
        return binaryInPlace(BinaryOp.SUB, other, "sub_");
    }

    public Tensor sub_(double other) {
        return sub_(scalar(other));
    }

    public Tensor mul_(Tensor other) {
        return binaryInPlace(BinaryOp.MUL, other, "mul_");
    }

    public Tensor mul_(double other) {
        return mul_(scalar(other));
    }

    public Tensor div_(Tensor other) {
        return binaryInPlace(BinaryOp.DIV, other, "div_");
    }

    public Tensor div_(double other) {
        return div_(scalar(other));
    }

    public Tensor pow_(double exponent) {
        return binaryInPlace(BinaryOp.POW, scalar(exponent), "pow_");
    }

    // ============================================================ elementwise unary

    private Tensor unary(UnaryOp op, String name) {
        return new Tensor(ElementwiseOps.unary(op, buf, name));
    }

    private Tensor unaryInPlace(UnaryOp op, String name) {
        return inPlace(name, null, () -> ElementwiseOps.unaryInPlace(op, buf, name),
                self -> self.unaryRecorded(op));
    }

    private Tensor unaryRecorded(UnaryOp op) {
        return switch (op) {
            case NEG -> neg();
            case ABS -> abs();
            case SIGN -> sign();
            case SQUARE -> square();
            case EXP -> exp();
            case LOG -> log();
            case LOG1P -> log1p();
            case EXPM1 -> expm1();
            case SQRT -> sqrt();
            case RSQRT -> rsqrt();
            case RECIPROCAL -> reciprocal();
            case SIN -> sin();
            case COS -> cos();
            case TANH -> tanh();
            case SIGMOID -> sigmoid();
            case RELU -> relu();
            case SILU -> silu();
            case GELU -> gelu();
            case GELU_TANH -> gelu("tanh");
            case SOFTPLUS -> softplus();
            case FLOOR -> floor();
            case CEIL -> ceil();
            case ROUND -> round();
        };
    }

    public Tensor neg() {
        if (recording(this)) return new BasicFunctions.Neg().apply(this);
        return unary(UnaryOp.NEG, "neg");
    }

    public Tensor abs() {
        if (recording(this)) return new ElementwiseFunctions.Abs().apply(this);
        return unary(UnaryOp.ABS, "abs");
    }

    public Tensor sign() {
        if (recording(this)) return new ElementwiseFunctions.ZeroGrad("Sign", in -> in[0].sign()).apply(this);
        return unary(UnaryOp.SIGN, "sign");
    }

    public Tensor square() {
        if (recording(this)) return mul(this);
        return unary(UnaryOp.SQUARE, "square");
    }

    public Tensor exp() {
        if (recording(this)) return new BasicFunctions.Exp().apply(this);
        return unary(UnaryOp.EXP, "exp");
    }

    public Tensor log() {
        if (recording(this)) return new ElementwiseFunctions.Log().apply(this);
        return unary(UnaryOp.LOG, "log");
    }

    public Tensor log1p() {
        if (recording(this)) return new ElementwiseFunctions.Log1p().apply(this);
        return unary(UnaryOp.LOG1P, "log1p");
    }

    public Tensor expm1() {
        if (recording(this)) return new ElementwiseFunctions.Expm1().apply(this);
        return unary(UnaryOp.EXPM1, "expm1");
    }

    public Tensor sqrt() {
        if (recording(this)) return new ElementwiseFunctions.Sqrt().apply(this);
        return unary(UnaryOp.SQRT, "sqrt");
    }

    public Tensor rsqrt() {
        if (recording(this)) return new ElementwiseFunctions.Rsqrt().apply(this);
        return unary(UnaryOp.RSQRT, "rsqrt");
    }

    public Tensor reciprocal() {
        if (recording(this)) return new ElementwiseFunctions.Reciprocal().apply(this);
        return unary(UnaryOp.RECIPROCAL, "reciprocal");
    }

    public Tensor sin() {
        if (recording(this)) return new ElementwiseFunctions.Sin().apply(this);
        return unary(UnaryOp.SIN, "sin");
    }

    public Tensor cos() {
        if (recording(this)) return new ElementwiseFunctions.Cos().apply(this);
        return unary(UnaryOp.COS, "cos");
    }

    public Tensor tanh() {
        if (recording(this)) return new ElementwiseFunctions.Tanh().apply(this);
        return unary(UnaryOp.TANH, "tanh");
    }

    public Tensor sigmoid() {
        if (recording(this)) return new ElementwiseFunctions.Sigmoid().apply(this);
        return unary(UnaryOp.SIGMOID, "sigmoid");
    }

    public Tensor relu() {
        if (recording(this)) return new ElementwiseFunctions.Relu().apply(this);
        return unary(UnaryOp.RELU, "relu");
    }

    /** GELU with the exact erf form ({@code approximate="none"}). */
    public Tensor gelu() {
        if (recording(this)) return new ElementwiseFunctions.Gelu().apply(this);
        return unary(UnaryOp.GELU, "gelu");
    }

    /** GELU; {@code approximate} is "none" (erf) or "tanh". */
    public Tensor gelu(String approximate) {
        return switch (approximate) {
            case "none" -> gelu();
            case "tanh" -> recording(this) ? new ElementwiseFunctions.GeluTanh().apply(this)
                    : unary(UnaryOp.GELU_TANH, "gelu");
            default -> throw new IllegalArgumentException("gelu: approximate must be \"none\" or \"tanh\", got \""
                    + approximate + "\"");
        };
    }

    public Tensor silu() {
        if (recording(this)) return new ElementwiseFunctions.Silu().apply(this);
        return unary(UnaryOp.SILU, "silu");
    }

    /** {@code log(1 + exp(x))}, linear above 20 (PyTorch's beta=1, threshold=20). */
    public Tensor softplus() {
        if (recording(this)) return new ElementwiseFunctions.Softplus().apply(this);
        return unary(UnaryOp.SOFTPLUS, "softplus");
    }

    public Tensor floor() {
        if (recording(this)) return new ElementwiseFunctions.ZeroGrad("Floor", in -> in[0].floor()).apply(this);
        return unary(UnaryOp.FLOOR, "floor");
    }

    public Tensor ceil() {
        if (recording(this)) return new ElementwiseFunctions.ZeroGrad("Ceil", in -> in[0].ceil()).apply(this);
        return unary(UnaryOp.CEIL, "ceil");
    }

    /** Round half to even, as {@code torch.round}. */
    public Tensor round() {
        if (recording(this)) return new ElementwiseFunctions.ZeroGrad("Round", in -> in[0].round()).apply(this);
        return unary(UnaryOp.ROUND, "round");
    }

    public Tensor clamp(double min, double max) {
        if (recording(this)) return new ElementwiseFunctions.Clamp(min, max).apply(this);
        return new Tensor(ElementwiseOps.clamp(buf, min, max));
    }

    public Tensor clampMin(double min) {
        if (recording(this)) return new ElementwiseFunctions.Clamp(min, null).apply(this);
        return new Tensor(ElementwiseOps.clamp(buf, min, null));
    }

    public Tensor clampMax(double max) {
        if (recording(this)) return new ElementwiseFunctions.Clamp(null, max).apply(this);
        return new Tensor(ElementwiseOps.clamp(buf, null, max));
    }

    public Tensor neg_() {
        return unaryInPlace(UnaryOp.NEG, "neg_");
    }

    public Tensor abs_() {
        return unaryInPlace(UnaryOp.ABS, "abs_");
    }

    public Tensor exp_() {
        return unaryInPlace(UnaryOp.EXP, "exp_");
    }

    public Tensor log_() {
        return unaryInPlace(UnaryOp.LOG, "log_");
    }

    public Tensor sqrt_() {
        return unaryInPlace(UnaryOp.SQRT, "sqrt_");
    }

    public Tensor relu_() {
        return unaryInPlace(UnaryOp.RELU, "relu_");
    }

    public Tensor sigmoid_() {
        return unaryInPlace(UnaryOp.SIGMOID, "sigmoid_");
    }

    public Tensor tanh_() {
        return unaryInPlace(UnaryOp.TANH, "tanh_");
    }

    public Tensor clamp_(double min, double max) {
        return inPlace("clamp_", null, () -> Buffer.copyInto(ElementwiseOps.clamp(buf, min, max), buf),
                self -> self.clamp(min, max));
    }

    /** Sets every element to {@code value}. */
    public Tensor fill_(double value) {
        checkInPlace("fill_", null);
        ElementwiseOps.fill(buf, value);
        if (GradMode.isEnabled() && requiresGrad) {
            gradFn = null;
            requiresGrad = false;
        }
        return endInPlace();
    }

    public Tensor zero_() {
        return fill_(0);
    }

    /** Copies {@code src} (broadcast to this shape, converted to this dtype) into this tensor. */
    public Tensor copy_(Tensor src) {
        return inPlace("copy_", src, () -> Buffer.copyInto(src.buf, buf),
                self -> src.expand(buf.shape).to(buf.dtype()));
    }

    // ============================================================ comparison and logic

    private Tensor compare(CompareOp op, Tensor other, String name) {
        if (TraceHook.tracing()) return new ElementwiseFunctions.Compare(name).apply(this, other);
        return new Tensor(ElementwiseOps.compare(op, buf, other.buf, name));
    }

    public Tensor eq(Tensor other) {
        return compare(CompareOp.EQ, other, "eq");
    }

    public Tensor eq(double other) {
        return eq(scalar(other));
    }

    public Tensor ne(Tensor other) {
        return compare(CompareOp.NE, other, "ne");
    }

    public Tensor ne(double other) {
        return ne(scalar(other));
    }

    public Tensor lt(Tensor other) {
        return compare(CompareOp.LT, other, "lt");
    }

    public Tensor lt(double other) {
        return lt(scalar(other));
    }

    public Tensor le(Tensor other) {
        return compare(CompareOp.LE, other, "le");
    }

    public Tensor le(double other) {
        return le(scalar(other));
    }

    public Tensor gt(Tensor other) {
        return compare(CompareOp.GT, other, "gt");
    }

    public Tensor gt(double other) {
        return gt(scalar(other));
    }

    public Tensor ge(Tensor other) {
        return compare(CompareOp.GE, other, "ge");
    }

    public Tensor ge(double other) {
        return ge(scalar(other));
    }

    public Tensor logicalAnd(Tensor other) {
        return new Tensor(ElementwiseOps.logical(LogicalOp.AND, buf, other.buf, "logicalAnd"));
    }

    public Tensor logicalOr(Tensor other) {
        return new Tensor(ElementwiseOps.logical(LogicalOp.OR, buf, other.buf, "logicalOr"));
    }

    public Tensor logicalXor(Tensor other) {
        return new Tensor(ElementwiseOps.logical(LogicalOp.XOR, buf, other.buf, "logicalXor"));
    }

    public Tensor logicalNot() {
        return new Tensor(ElementwiseOps.logicalNot(buf));
    }

    public Tensor isnan() {
        return new Tensor(ElementwiseOps.isnan(buf));
    }

    public Tensor isinf() {
        return new Tensor(ElementwiseOps.isinf(buf));
    }

    /** {@code condition ? this : other}, broadcast ({@code torch.where(condition, this, other)}). */
    public Tensor where(Tensor condition, Tensor other) {
        if (recording(this, other)) return new ElementwiseFunctions.Where(condition).apply(this, other);
        return new Tensor(ElementwiseOps.where(condition.buf, buf, other.buf));
    }

    /** True if both have the same shape and all elements are within {@code atol + rtol * |other|}. */
    public boolean allclose(Tensor other, double rtol, double atol) {
        return allclose(other, rtol, atol, false);
    }

    /** {@link #allclose(Tensor, double, double)} with PyTorch's defaults rtol=1e-5, atol=1e-8. */
    public boolean allclose(Tensor other) {
        return allclose(other, 1e-5, 1e-8);
    }

    /** As {@code torch.allclose}; {@code equalNan} treats NaN as equal to NaN. */
    public boolean allclose(Tensor other, double rtol, double atol, boolean equalNan) {
        int[] s = Shape.broadcast(buf.shape, other.buf.shape, "allclose");
        double[] a = new Tensor(buf.expandTo(s, "allclose")).toDoubleArray();
        double[] b = new Tensor(other.buf.expandTo(s, "allclose")).toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            double x = a[i];
            double y = b[i];
            if (Double.isNaN(x) || Double.isNaN(y)) {
                if (equalNan && Double.isNaN(x) && Double.isNaN(y)) continue;
                return false;
            }
            if (x == y) continue;
            if (Double.isInfinite(x) || Double.isInfinite(y)) return false;
            if (Math.abs(x - y) > atol + rtol * Math.abs(y)) return false;
        }
        return true;
    }

    /** True if both have the same shape and the same elements ({@code torch.equal}). */
    public boolean equal(Tensor other) {
        if (!Arrays.equals(buf.shape, other.buf.shape)) return false;
        double[] a = toDoubleArray();
        double[] b = other.toDoubleArray();
        if (!buf.dtype().isFloatingPoint() && !other.dtype().isFloatingPoint()) {
            return Arrays.equals(toLongArray(), other.toLongArray());
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) return false;
        }
        return true;
    }

    // ============================================================ reductions

    private static int[] dims(int... dims) {
        return dims;
    }

    /** A private copy of reduction dims for a recorded op; null (all dims) becomes the empty list, which also means all. */
    private static int[] dimsOrAll(int[] dims) {
        return dims == null ? new int[0] : dims.clone();
    }

    /** Sum of all elements (int and bool give int64). */
    public Tensor sum() {
        if (recording(this)) return new BasicFunctions.Sum(null, false).apply(this);
        return new Tensor(ReduceOps.sum(buf, null, false, null));
    }

    /** Sum over {@code dims}. */
    public Tensor sum(int dim, boolean keepdim) {
        return sum(dims(dim), keepdim);
    }

    public Tensor sum(int[] dims, boolean keepdim) {
        if (recording(this)) return new BasicFunctions.Sum(dims, keepdim).apply(this);
        return new Tensor(ReduceOps.sum(buf, dims, keepdim, null));
    }

    public Tensor sum(int dim) {
        return sum(dim, false);
    }

    public Tensor mean() {
        if (recording(this)) return new ReduceFunctions.Mean(null, false).apply(this);
        return new Tensor(ReduceOps.mean(buf, null, false));
    }

    public Tensor mean(int dim, boolean keepdim) {
        return mean(dims(dim), keepdim);
    }

    public Tensor mean(int[] dims, boolean keepdim) {
        if (recording(this)) return new ReduceFunctions.Mean(dimsOrAll(dims), keepdim).apply(this);
        return new Tensor(ReduceOps.mean(buf, dims, keepdim));
    }

    public Tensor mean(int dim) {
        return mean(dim, false);
    }

    public Tensor prod() {
        if (recording(this)) return new ReduceFunctions.Prod(null, false).apply(this);
        return new Tensor(ReduceOps.prod(buf, null, false));
    }

    public Tensor prod(int dim, boolean keepdim) {
        if (recording(this)) return new ReduceFunctions.Prod(dim, keepdim).apply(this);
        return new Tensor(ReduceOps.prod(buf, dims(dim), keepdim));
    }

    /** The largest element (a 0-dim tensor); NaN if any element is NaN. */
    public Tensor max() {
        if (recording(this)) return new ReduceFunctions.AMax(null, false, true).apply(this);
        return new Tensor(ReduceOps.amax(buf, null, false));
    }

    /** Largest values along dim and their indices. */
    public ValuesIndices max(int dim, boolean keepdim) {
        if (recording(this)) {
            ReduceFunctions.Selected f = new ReduceFunctions.Selected("Max", dim, keepdim, x -> x.max(dim, keepdim));
            Tensor values = f.apply(this);
            return new ValuesIndices(values, f.indices());
        }
        Buffer[] r = ReduceOps.maxDim(buf, dim, keepdim);
        return new ValuesIndices(new Tensor(r[0]), new Tensor(r[1]));
    }

    public ValuesIndices max(int dim) {
        return max(dim, false);
    }

    public Tensor min() {
        if (recording(this)) return new ReduceFunctions.AMax(null, false, false).apply(this);
        return new Tensor(ReduceOps.amin(buf, null, false));
    }

    public ValuesIndices min(int dim, boolean keepdim) {
        if (recording(this)) {
            ReduceFunctions.Selected f = new ReduceFunctions.Selected("Min", dim, keepdim, x -> x.min(dim, keepdim));
            Tensor values = f.apply(this);
            return new ValuesIndices(values, f.indices());
        }
        Buffer[] r = ReduceOps.minDim(buf, dim, keepdim);
        return new ValuesIndices(new Tensor(r[0]), new Tensor(r[1]));
    }

    public ValuesIndices min(int dim) {
        return min(dim, false);
    }

    public Tensor amax(int[] dims, boolean keepdim) {
        if (recording(this)) return new ReduceFunctions.AMax(dimsOrAll(dims), keepdim, true).apply(this);
        return new Tensor(ReduceOps.amax(buf, dims, keepdim));
    }

    public Tensor amax(int dim) {
        return amax(dims(dim), false);
    }

    public Tensor amin(int[] dims, boolean keepdim) {
        if (recording(this)) return new ReduceFunctions.AMax(dimsOrAll(dims), keepdim, false).apply(this);
        return new Tensor(ReduceOps.amin(buf, dims, keepdim));
    }

    public Tensor amin(int dim) {
        return amin(dims(dim), false);
    }

    /** Index of the largest element of the flattened tensor. */
    public Tensor argmax() {
        return new Tensor(ReduceOps.argmax(buf, null, false));
    }

    public Tensor argmax(int dim, boolean keepdim) {
        return new Tensor(ReduceOps.argmax(buf, dim, keepdim));
    }

    public Tensor argmax(int dim) {
        return argmax(dim, false);
    }

    public Tensor argmin() {
        return new Tensor(ReduceOps.argmin(buf, null, false));
    }

    public Tensor argmin(int dim, boolean keepdim) {
        return new Tensor(ReduceOps.argmin(buf, dim, keepdim));
    }

    public Tensor argmin(int dim) {
        return argmin(dim, false);
    }

    /** Unbiased variance of all elements (correction 1). */
    public Tensor var() {
        return var(null, 1, false);
    }

    /** Variance over dims with {@code correction} (0 = population, 1 = unbiased). */
    public Tensor var(int[] dims, double correction, boolean keepdim) {
        if (recording(this)) {
            return new ReduceFunctions.Var(dimsOrAll(dims), correction, keepdim, false).apply(this);
        }
        return new Tensor(ReduceOps.var(buf, dims, correction, keepdim));
    }

    public Tensor var(int dim) {
        return var(dims(dim), 1, false);
    }

    public Tensor std() {
        return std(null, 1, false);
    }

    public Tensor std(int[] dims, double correction, boolean keepdim) {
        if (recording(this)) {
            return new ReduceFunctions.Var(dimsOrAll(dims), correction, keepdim, true).apply(this);
        }
        return new Tensor(ReduceOps.std(buf, dims, correction, keepdim));
    }

    public Tensor std(int dim) {
        return std(dims(dim), 1, false);
    }

    public Tensor logsumexp(int dim, boolean keepdim) {
        return logsumexp(dims(dim), keepdim);
    }

    public Tensor logsumexp(int[] dims, boolean keepdim) {
        if (recording(this)) return new ReduceFunctions.LogSumExp(dimsOrAll(dims), keepdim).apply(this);
        return new Tensor(ReduceOps.logsumexp(buf, dims, keepdim));
    }

    /** The 2-norm of all elements. */
    public Tensor norm() {
        return norm(2.0);
    }

    /** The p-norm of all elements; p may be {@code Double.POSITIVE_INFINITY}. */
    public Tensor norm(double p) {
        if (recording(this)) return new ReduceFunctions.Norm(p, null, false).apply(this);
        return new Tensor(ReduceOps.norm(buf, p, null, false));
    }

    public Tensor norm(double p, int[] dims, boolean keepdim) {
        if (recording(this)) return new ReduceFunctions.Norm(p, dimsOrAll(dims), keepdim).apply(this);
        return new Tensor(ReduceOps.norm(buf, p, dims, keepdim));
    }

    /** True (as a 0-dim bool tensor) if every element is non-zero. */
    public Tensor all() {
        return new Tensor(ReduceOps.all(buf, null, false));
    }

    public Tensor all(int dim, boolean keepdim) {
        return new Tensor(ReduceOps.all(buf, dims(dim), keepdim));
    }

    public Tensor any() {
        return new Tensor(ReduceOps.any(buf, null, false));
    }

    public Tensor any(int dim, boolean keepdim) {
        return new Tensor(ReduceOps.any(buf, dims(dim), keepdim));
    }

    public Tensor cumsum(int dim) {
        if (recording(this)) return new ReduceFunctions.Cumsum(dim).apply(this);
        return new Tensor(ReduceOps.cumsum(buf, dim));
    }

    public Tensor cumprod(int dim) {
        if (recording(this)) return new ReduceFunctions.Cumprod(dim).apply(this);
        return new Tensor(ReduceOps.cumprod(buf, dim));
    }

    public Tensor softmax(int dim) {
        if (recording(this)) return new ReduceFunctions.Softmax(dim).apply(this);
        return new Tensor(ReduceOps.softmax(buf, dim, false));
    }

    public Tensor logSoftmax(int dim) {
        if (recording(this)) return new ReduceFunctions.LogSoftmax(dim).apply(this);
        return new Tensor(ReduceOps.softmax(buf, dim, true));
    }

    /** Sorted values and their original indices along dim (stable). */
    public ValuesIndices sort(int dim, boolean descending) {
        if (recording(this)) {
            ReduceFunctions.Selected f = new ReduceFunctions.Selected("Sort", dim, true, x -> x.sort(dim, descending));
            Tensor values = f.apply(this);
            return new ValuesIndices(values, f.indices());
        }
        Buffer[] r = ReduceOps.sort(buf, dim, descending);
        return new ValuesIndices(new Tensor(r[0]), new Tensor(r[1]));
    }

    /** Ascending sort along the last dim. */
    public ValuesIndices sort() {
        return sort(-1, false);
    }

    /** Indices that sort along dim ({@code torch.argsort}). */
    public Tensor argsort(int dim, boolean descending) {
        return sort(dim, descending).indices();
    }

    /** The k largest (or smallest) values along dim, sorted, with their indices. */
    public ValuesIndices topk(int k, int dim, boolean largest) {
        if (recording(this)) {
            ReduceFunctions.Selected f = new ReduceFunctions.Selected("Topk", dim, true, x -> x.topk(k, dim, largest));
            Tensor values = f.apply(this);
            return new ValuesIndices(values, f.indices());
        }
        Buffer[] r = ReduceOps.topk(buf, k, dim, largest);
        return new ValuesIndices(new Tensor(r[0]), new Tensor(r[1]));
    }

    /** The k largest values along the last dim. */
    public ValuesIndices topk(int k) {
        return topk(k, -1, true);
    }

    // ============================================================ indexing

    public Tensor indexSelect(int dim, Tensor index) {
        if (recording(this)) return new IndexFunctions.IndexSelect(dim, index).apply(this);
        return new Tensor(IndexOps.indexSelect(buf, dim, index.buf));
    }

    public Tensor gather(int dim, Tensor index) {
        if (recording(this)) return new IndexFunctions.Gather(dim, index).apply(this);
        return new Tensor(IndexOps.gather(buf, dim, index.buf));
    }

    /** Out-of-place scatter: a copy with {@code src} written at {@code index} along dim. */
    public Tensor scatter(int dim, Tensor index, Tensor src) {
        if (recording(this, src) && buf.dtype().isFloatingPoint()) {
            return new IndexFunctions.Scatter(dim, index, false).apply(this, src);
        }
        Buffer out = buf.copy();
        IndexOps.scatterInPlace(out, dim, index.buf, src.buf, false);
        return new Tensor(out);
    }

    public Tensor scatter(int dim, Tensor index, double value) {
        if (recording(this)) return new IndexFunctions.Scatter(dim, index, false).apply(this, scalar(value));
        Buffer out = buf.copy();
        IndexOps.scatterInPlace(out, dim, index.buf, scalar(value).buf, false);
        return new Tensor(out);
    }

    public Tensor scatter_(int dim, Tensor index, Tensor src) {
        return inPlace("scatter_", src, () -> IndexOps.scatterInPlace(buf, dim, index.buf, src.buf, false),
                self -> self.scatter(dim, index, src));
    }

    public Tensor scatter_(int dim, Tensor index, double value) {
        return inPlace("scatter_", null, () -> IndexOps.scatterInPlace(buf, dim, index.buf, scalar(value).buf, false),
                self -> self.scatter(dim, index, value));
    }

    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        if (recording(this, src) && buf.dtype().isFloatingPoint()) {
            return new IndexFunctions.Scatter(dim, index, true).apply(this, src);
        }
        Buffer out = buf.copy();
        IndexOps.scatterInPlace(out, dim, index.buf, src.buf, true);
        return new Tensor(out);
    }

    public Tensor scatterAdd_(int dim, Tensor index, Tensor src) {
        return inPlace("scatterAdd_", src, () -> IndexOps.scatterInPlace(buf, dim, index.buf, src.buf, true),
                self -> self.scatterAdd(dim, index, src));
    }

    /** 1-D tensor of the elements where {@code mask} is true. */
    public Tensor maskedSelect(Tensor mask) {
        if (recording(this)) return new IndexFunctions.MaskedSelect(mask).apply(this);
        return new Tensor(IndexOps.maskedSelect(buf, mask.buf));
    }

    public Tensor maskedFill(Tensor mask, double value) {
        if (recording(this)) return new IndexFunctions.MaskedFill(mask, value).apply(this);
        Buffer out = buf.copy();
        IndexOps.maskedFillInPlace(out, mask.buf, value);
        return new Tensor(out);
    }

    public Tensor maskedFill_(Tensor mask, double value) {
        return inPlace("maskedFill_", null, () -> IndexOps.maskedFillInPlace(buf, mask.buf, value),
                self -> self.maskedFill(mask, value));
    }

    /**
     * Advanced indexing, as {@code x[i0, i1, ...]} in PyTorch: each entry is an integer index
     * tensor, a bool mask, or null for a full slice ({@code :}).
     *
     * <pre>
     * x.index(Kindling.tensor(new long[] {0, 2}));          // x[[0, 2]]
     * x.index(null, Kindling.tensor(new long[] {1}));       // x[:, [1]]
     * x.index(x.gt(0));                                      // x[x > 0]
     * </pre>
     */
    public Tensor index(Tensor... indices) {
        if (recording(this)) return new IndexFunctions.Index(indices).apply(this);
        return new Tensor(IndexOps.indexGet(buf, optionalBuffers(indices)));
    }

    /** {@code x[indices] = values} in place (values broadcast). */
    public Tensor indexPut_(Tensor[] indices, Tensor values) {
        return indexPut_(indices, values, false);
    }

    /** {@code x[indices] = values}, or {@code +=} with repeated indices summed when {@code accumulate}. */
    public Tensor indexPut_(Tensor[] indices, Tensor values, boolean accumulate) {
        return inPlace("indexPut_", values,
                () -> IndexOps.indexPutInPlace(buf, optionalBuffers(indices), values.buf, accumulate),
                self -> self.indexPut(indices, values, accumulate));
    }

    public Tensor indexPut(Tensor[] indices, Tensor values, boolean accumulate) {
        if (recording(this, values) && buf.dtype().isFloatingPoint()) {
            return new IndexFunctions.IndexPut(indices, accumulate).apply(this, values);
        }
        Buffer out = buf.copy();
        IndexOps.indexPutInPlace(out, optionalBuffers(indices), values.buf, accumulate);
        return new Tensor(out);
    }

    private static Buffer[] optionalBuffers(Tensor[] ts) {
        Buffer[] out = new Buffer[ts.length];
        for (int i = 0; i < ts.length; i++) out[i] = ts[i] == null ? null : ts[i].buf;
        return out;
    }

    /** Coordinates of the non-zero elements, shape [count, dim()], int64. */
    public Tensor nonzero() {
        return new Tensor(IndexOps.nonzero(buf));
    }

    /** Elements of the flattened tensor at {@code index}; the result has index's shape. */
    public Tensor take(Tensor index) {
        // take is indexing of the flattened tensor: recorded through reshape and index.
        if (recording(this) && (index.dtype() == DType.INT64 || index.dtype() == DType.INT32)) {
            return reshape(-1).index(index);
        }
        return new Tensor(IndexOps.take(buf, index.buf));
    }

    // ============================================================ linear algebra

    /** Matrix product with PyTorch's rules for 1-D, 2-D and batched (broadcast) operands. */
    public Tensor matmul(Tensor other) {
        if (recording(this, other)) return new BasicFunctions.Matmul().apply(this, other);
        return new Tensor(LinalgOps.matmul(buf, other.buf));
    }

    public Tensor mm(Tensor other) {
        if (recording(this, other)) return new LinalgFunctions.Mm().apply(this, other);
        return new Tensor(LinalgOps.mm(buf, other.buf));
    }

    public Tensor bmm(Tensor other) {
        if (recording(this, other)) return new LinalgFunctions.Bmm().apply(this, other);
        return new Tensor(LinalgOps.bmm(buf, other.buf));
    }

    public Tensor mv(Tensor vec) {
        if (recording(this, vec)) return new LinalgFunctions.Mv().apply(this, vec);
        return new Tensor(LinalgOps.mv(buf, vec.buf));
    }

    public Tensor dot(Tensor other) {
        if (recording(this, other)) return new LinalgFunctions.Dot().apply(this, other);
        return new Tensor(LinalgOps.dot(buf, other.buf));
    }

    public Tensor outer(Tensor other) {
        if (recording(this, other)) return new LinalgFunctions.Outer().apply(this, other);
        return new Tensor(LinalgOps.outer(buf, other.buf));
    }

    /** {@code beta * this + alpha * (m1 @ m2)}. */
    public Tensor addmm(Tensor m1, Tensor m2, double beta, double alpha) {
        if (GradMode.isEnabled() && (requiresGrad || m1.requiresGrad || m2.requiresGrad) || TraceHook.tracing()) {
            return new LinalgFunctions.Addmm(beta, alpha).apply(this, m1, m2);
        }
        return new Tensor(LinalgOps.addmm(buf, m1.buf, m2.buf, beta, alpha));
    }

    public Tensor addmm(Tensor m1, Tensor m2) {
        return addmm(m1, m2, 1, 1);
    }

    // ============================================================ layout copies

    public Tensor repeat(int... repeats) {
        if (recording(this)) return new JoinFunctions.Repeat(repeats).apply(this);
        return new Tensor(JoinOps.repeat(buf, repeats));
    }

    public Tensor tile(int... reps) {
        if (recording(this)) {
            // torch.tile is repeat with reps padded by leading 1s.
            int[] full = reps;
            if (reps.length < dim()) {
                full = new int[dim()];
                Arrays.fill(full, 1);
                System.arraycopy(reps, 0, full, dim() - reps.length, reps.length);
            }
            return repeat(full);
        }
        return new Tensor(JoinOps.tile(buf, reps));
    }

    public Tensor flip(int... dims) {
        if (recording(this)) return new JoinFunctions.Flip(dims).apply(this);
        return new Tensor(JoinOps.flip(buf, dims));
    }

    public Tensor roll(int shift, int dim) {
        return roll(new int[] {shift}, new int[] {dim});
    }

    public Tensor roll(int[] shifts, int[] dims) {
        if (recording(this)) return new JoinFunctions.Roll(shifts, dims).apply(this);
        return new Tensor(JoinOps.roll(buf, shifts, dims));
    }

    public Tensor tril(int diagonal) {
        if (recording(this)) return new JoinFunctions.Triangle(diagonal, true).apply(this);
        return new Tensor(JoinOps.tril(buf, diagonal));
    }

    public Tensor tril() {
        return tril(0);
    }

    public Tensor triu(int diagonal) {
        if (recording(this)) return new JoinFunctions.Triangle(diagonal, false).apply(this);
        return new Tensor(JoinOps.triu(buf, diagonal));
    }

    public Tensor triu() {
        return triu(0);
    }

    /** Constant zero padding; {@code pad} lists (left, right) pairs from the last dim backwards. */
    public Tensor pad(int... pad) {
        return pad(pad, "constant", 0);
    }

    /** {@code F.pad(x, pad, mode, value)} with mode "constant", "reflect" or "replicate". */
    public Tensor pad(int[] pad, String mode, double value) {
        if (recording(this)) {
            if (mode == null || mode.equals("constant")) return new JoinFunctions.ConstantPad(pad, value).apply(this);
            if (pad.length % 2 == 0 && pad.length / 2 <= dim()) {
                // reflect / replicate / circular read input positions through one index map per dim, so
                // the op is a chain of indexSelects (exact), whose backward accumulates the repeated positions.
                Tensor out = this;
                for (int i = 0; i < pad.length / 2; i++) {
                    int d = dim() - 1 - i;
                    if (pad[2 * i] == 0 && pad[2 * i + 1] == 0) continue;
                    out = out.indexSelect(d, JoinFunctions.padMap(buf.shape[d], pad[2 * i], pad[2 * i + 1], mode));
                }
                return out == this ? clone() : out;
            }
        }
        return new Tensor(JoinOps.pad(buf, pad, mode, value));
    }

    // ============================================================ Object

    /** PyTorch's printout: {@code tensor([[1., 2.], [3., 4.]])}, summarised above 1000 elements. */
    @Override
    public String toString() {
        return TensorFormatter.format(buf);
    }

    /** Values and indices returned by max/min/sort/topk along a dim. */
    public record ValuesIndices(Tensor values, Tensor indices) {}

    static {
        TensorAccess.install(new TensorAccess.Accessor() {
            @Override
            public Tensor wrap(Buffer b) {
                return new Tensor(b);
            }

            @Override
            public Buffer unwrap(Tensor t) {
                return t.buf;
            }

            @Override
            public Tensor[] grad(Tensor[] outputs, Tensor[] gradOutputs, Tensor[] inputs, boolean retainGraph,
                                 boolean createGraph, boolean allowUnused) {
                return autogradGrad(outputs, gradOutputs, inputs, retainGraph, createGraph, allowUnused);
            }
        });
    }
}
