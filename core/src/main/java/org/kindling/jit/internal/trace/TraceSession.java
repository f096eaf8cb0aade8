package org.kindling.jit.internal.trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kindling.jit.Attributes;
import org.kindling.jit.TraceException;
import org.kindling.tensor.DType;
import org.kindling.tensor.Function;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.trace.TraceEmitter;
import org.kindling.tensor.internal.trace.TraceHook;
import org.kindling.tensor.internal.trace.Traceable;

/**
 * One recorded forward pass: the top-level functions that ran, each described by its
 * {@link Traceable} as ONNX nodes over value names. Tensors that are neither inputs nor results
 * of recorded ops become constants: module parameters and buffers under their state-dict names,
 * anything else anonymous. Ops run inside a function's own forward are not recorded.
 */
final class TraceSession implements TraceHook.Listener {

    /** A recorded node: ONNX op type, input and output value names, attributes, and the function that emitted it. */
    record RecordedNode(String opType, String name, List<String> inputs, List<String> outputs, Attributes attributes,
                        String origin) {}

    /** A shape operand (Reshape or Expand target) whose sizes may vary with dynamic axes. */
    record ShapeConstant(String name, boolean reshape, int[] sourceShape, int[] shape) {}

    private final int opset;
    private final IdentityHashMap<Tensor, String> values = new IdentityHashMap<>();
    private final IdentityHashMap<Tensor, String> stateNames = new IdentityHashMap<>();
    private final Map<String, Tensor> constants = new LinkedHashMap<>();
    private final List<String> anonymous = new ArrayList<>();
    private final Map<String, Tensor> anonymousSnapshots = new LinkedHashMap<>();
    private final Map<String, String> firstUser = new LinkedHashMap<>();
    private final List<ShapeConstant> shapeConstants = new ArrayList<>();
    private final List<RecordedNode> nodes = new ArrayList<>();
    private final Map<String, DType> dtypes = new LinkedHashMap<>();
    private final Map<String, int[]> shapes = new LinkedHashMap<>();
    private final Map<String, Integer> counters = new LinkedHashMap<>();
    private final IdentityHashMap<Tensor, Producer> producers = new IdentityHashMap<>();

    private record Producer(Function function, Tensor[] inputs) {}

    TraceSession(int opset, Map<String, ? extends Tensor> state) {
        this.opset = opset;
        state.forEach((name, t) -> stateNames.putIfAbsent(t, name));
    }

    void declareInput(String name, Tensor t) {
        values.put(t, name);
        note(name, t);
    }

    List<RecordedNode> nodes() {
        return nodes;
    }

    Map<String, Tensor> constants() {
        return constants;
    }

    List<String> anonymousConstants() {
        return anonymous;
    }

    Tensor anonymousSnapshot(String name) {
        return anonymousSnapshots.get(name);
    }

    String firstUser(String valueName) {
        return firstUser.getOrDefault(valueName, "a graph output");
    }

    List<ShapeConstant> shapeConstants() {
        return shapeConstants;
    }

    DType dtype(String value) {
        return dtypes.get(value);
    }

    int[] shape(String value) {
        return shapes.get(value);
    }

    /** The value name of a tensor, making it a constant when it is not known yet. */
    String valueOf(Tensor t) {
        String v = values.get(t);
        if (v != null) return v;
        String state = stateNames.get(t);
        if (state != null) {
            constants.putIfAbsent(state, t);
            values.put(t, state);
            note(state, t);
            return state;
        }
        String name = unique("const");
        constants.put(name, t);
        anonymous.add(name);
        anonymousSnapshots.put(name, t.clone());
        values.put(t, name);
        note(name, t);
        return name;
    }

    private void note(String name, Tensor t) {
        dtypes.put(name, t.dtype());
        shapes.put(name, t.shape().toArray());
    }

    private String unique(String prefix) {
        int n = counters.merge(prefix, 1, Integer::sum) - 1;
        return prefix + "_" + n;
    }

    // ------------------------------------------------------------------ listener

    @Override
    public Tensor record(Function f, Tensor[] inputs, Tensor output) {
        if (!(f instanceof Traceable traceable)) {
            throw new TraceException("cannot trace " + f.name() + " (" + f.getClass().getName() + "): it is not a built-in "
                    + "op with an ONNX description; compose the function from Tensor ops for tracing, or export the "
                    + "module without it");
        }
        Tensor out = output;
        for (Tensor in : inputs) {
            if (in == out) {
                out = output.detach();
                break;
            }
        }
        String result;
        TraceHook.suspend(); // ops run while describing (constants, copies) are not part of the trace
        try {
            result = traceable.trace(new Call(f, inputs, out));
        } finally {
            TraceHook.resume();
        }
        values.put(out, result);
        note(result, out);
        producers.put(out, new Producer(f, inputs.clone()));
        return out;
    }

    @Override
    public void rebind(Tensor target, Tensor result) {
        String v = values.get(result);
        if (v != null) values.put(target, v);
    }

    // ------------------------------------------------------------------ emitter

    /** The emitter one recorded function describes itself through. */
    private final class Call implements TraceEmitter<String> {
        private final Function function;
        private final Tensor[] inputs;
        private final Tensor output;

        Call(Function function, Tensor[] inputs, Tensor output) {
            this.function = function;
            this.inputs = inputs;
            this.output = output;
        }

        @Override
        public int opset() {
            return opset;
        }

        @Override
        public int inputCount() {
            return inputs.length;
        }

        @Override
        public String input(int i) {
            return inputs[i] == null ? "" : value(inputs[i]);
        }

        @Override
        public Tensor inputTensor(int i) {
            return inputs[i];
        }

        @Override
        public Tensor output() {
            return output;
        }

        @Override
        public String value(Tensor t) {
            String v = valueOf(t);
            firstUser.putIfAbsent(v, function.name());
            return v;
        }

        @Override
        public Tensor[] producedBy(Tensor t, Class<? extends Function> type) {
            Producer p = t == null ? null : producers.get(t);
            return p != null && type.isInstance(p.function()) ? p.inputs().clone() : null;
        }

        @Override
        public boolean isZeroConstant(Tensor t) {
            if (t == null) return false;
            if (values.containsKey(t) && !constants.containsKey(values.get(t))) return false;
            for (double d : t.toDoubleArray()) if (d != 0) return false;
            return true;
        }

        @Override
        public String ints(long... v) {
            long[] copy = v.clone();
            return value(org.kindling.Kindling.fromArray(copy, copy.length));
        }

        @Override
        public String scalar(double v, DType dtype) {
            return value(org.kindling.Kindling.full(new int[0], v, dtype));
        }

        @Override
        public String constant(String hint, Tensor t) {
            String name = unique(hint);
            constants.put(name, t);
            values.put(t, name);
            note(name, t);
            return name;
        }

        @Override
        public String reshapeShape(Tensor source, int[] shape) {
            return shapeOperand(source, shape, true);
        }

        @Override
        public String expandShape(Tensor source, int[] shape) {
            return shapeOperand(source, shape, false);
        }

        private String shapeOperand(Tensor source, int[] shape, boolean reshape) {
            String name = unique("shape");
            long[] l = new long[shape.length];
            for (int i = 0; i < l.length; i++) l[i] = shape[i];
            Tensor t = org.kindling.Kindling.fromArray(l, l.length);
            constants.put(name, t);
            note(name, t);
            shapeConstants.add(new ShapeConstant(name, reshape, source.shape().toArray(), shape.clone()));
            return name;
        }

        @Override
        public String absent() {
            return "";
        }

        @Override
        public NodeSpec<String> op(String opType) {
            return new Spec(opType, function.name());
        }

        @Override
        public RuntimeException unsupported(String reason) {
            return new TraceException("cannot trace " + function.name() + " at opset " + opset + ": " + reason);
        }
    }

    private final class Spec implements TraceEmitter.NodeSpec<String> {
        private final String opType;
        private final String origin;
        private final List<String> ins = new ArrayList<>();
        private final Attributes.Builder attrs = Attributes.builder();

        Spec(String opType, String origin) {
            this.opType = opType;
            this.origin = origin;
        }

        @Override
        public Spec in(String value) {
            ins.add(value == null ? "" : value);
            return this;
        }

        @Override
        public Spec attr(String name, long value) {
            attrs.put(name, value);
            return this;
        }

        @Override
        public Spec attr(String name, double value) {
            attrs.put(name, (float) value);
            return this;
        }

        @Override
        public Spec attr(String name, long[] values) {
            attrs.put(name, values.clone());
            return this;
        }

        @Override
        public Spec attr(String name, float[] values) {
            attrs.put(name, values.clone());
            return this;
        }

        @Override
        public Spec attr(String name, String value) {
            attrs.put(name, value);
            return this;
        }

        @Override
        public Spec attr(String name, String[] values) {
            attrs.putStrings(name, List.of(values));
            return this;
        }

        @Override
        public Spec attr(String name, Tensor value) {
            attrs.put(name, value);
            return this;
        }

        @Override
        public String out() {
            return outs(1).get(0);
        }

        @Override
        public List<String> outs(int n) {
            String nodeName = unique(opType);
            List<String> outNames = new ArrayList<>();
            for (int i = 0; i < n; i++) outNames.add(n == 1 ? nodeName : nodeName + "_" + i);
            nodes.add(new RecordedNode(opType, nodeName, List.copyOf(ins), List.copyOf(outNames), attrs.build(), origin));
            return outNames;
        }
    }

    @Override
    public String toString() {
        return "TraceSession[" + nodes.size() + " nodes, constants " + constants.keySet() + ", shapes "
                + Arrays.toString(shapeConstants.toArray()) + "]";
    }
}
