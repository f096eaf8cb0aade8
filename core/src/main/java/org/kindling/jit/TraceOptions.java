package org.kindling.jit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How {@link Tracer} records a forward pass: the ONNX opset the graph is written at (13 to 18,
 * default 17), input and output names, and the dynamic axes of the inputs (the sizes that may
 * change from call to call, such as the batch). Immutable; build with {@link #builder()}.
 *
 * <pre>
 * TraceOptions o = TraceOptions.builder().opset(18).inputNames("image").outputNames("logits").dynamicBatch().build();
 * </pre>
 */
public final class TraceOptions {
    /** The lowest opset the tracer writes. */
    public static final int MIN_OPSET = 13;
    /** The highest opset the tracer writes. */
    public static final int MAX_OPSET = 18;
    /** The default opset. */
    public static final int DEFAULT_OPSET = 17;

    private final int opset;
    private final List<String> inputNames;
    private final List<String> outputNames;
    private final Map<Integer, Map<Integer, String>> dynamicAxes;
    private final boolean dynamicBatch;
    private final String graphName;

    private TraceOptions(Builder b) {
        this.opset = b.opset;
        this.inputNames = List.copyOf(b.inputNames);
        this.outputNames = List.copyOf(b.outputNames);
        Map<Integer, Map<Integer, String>> axes = new TreeMap<>();
        b.dynamicAxes.forEach((k, v) -> axes.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
        this.dynamicAxes = Collections.unmodifiableMap(axes);
        this.dynamicBatch = b.dynamicBatch;
        this.graphName = b.graphName;
    }

    /** Static shapes, opset 17, generated names. */
    public static TraceOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int opset() {
        return opset;
    }

    /** The name of input {@code i}: the given one, else {@code input} (one input) or {@code input_i}. */
    public String inputName(int i, int count) {
        if (i < inputNames.size()) return inputNames.get(i);
        return count == 1 ? "input" : "input_" + i;
    }

    /** The name of output {@code i}: the given one, else {@code output} (one output) or {@code output_i}. */
    public String outputName(int i, int count) {
        if (i < outputNames.size()) return outputNames.get(i);
        return count == 1 ? "output" : "output_" + i;
    }

    /** Dynamic axes of input {@code i} (axis to symbolic name); with {@link Builder#dynamicBatch()} axis 0 is "batch". */
    public Map<Integer, String> dynamicAxes(int input, int rank) {
        Map<Integer, String> m = new TreeMap<>(dynamicAxes.getOrDefault(input, Map.of()));
        if (dynamicBatch && rank > 0) m.putIfAbsent(0, "batch");
        return m;
    }

    public String graphName() {
        return graphName;
    }

    /** Builder of {@link TraceOptions}; {@link #build()} validates. */
    public static final class Builder {
        private int opset = DEFAULT_OPSET;
        private final List<String> inputNames = new ArrayList<>();
        private final List<String> outputNames = new ArrayList<>();
        private final Map<Integer, Map<Integer, String>> dynamicAxes = new LinkedHashMap<>();
        private boolean dynamicBatch;
        private String graphName = "kindling";

        private Builder() {}

        /** The default-domain opset, 13 to 18. */
        public Builder opset(int version) {
            this.opset = version;
            return this;
        }

        public Builder inputNames(String... names) {
            inputNames.clear();
            inputNames.addAll(List.of(names));
            return this;
        }

        public Builder outputNames(String... names) {
            outputNames.clear();
            outputNames.addAll(List.of(names));
            return this;
        }

        /** Marks {@code axis} of input {@code input} as variable, named {@code symbol} (e.g. "batch", "seq"). */
        public Builder dynamicAxis(int input, int axis, String symbol) {
            if (input < 0 || axis < 0) {
                throw new IllegalArgumentException("dynamicAxis: input and axis must be >= 0, got input " + input
                        + ", axis " + axis);
            }
            if (symbol == null || symbol.isEmpty()) throw new IllegalArgumentException("dynamicAxis: symbol must not be empty");
            dynamicAxes.computeIfAbsent(input, k -> new TreeMap<>()).put(axis, symbol);
            return this;
        }

        /** Marks axis 0 of every input as the variable "batch" axis. */
        public Builder dynamicBatch() {
            this.dynamicBatch = true;
            return this;
        }

        public Builder graphName(String name) {
            this.graphName = name;
            return this;
        }

        public TraceOptions build() {
            if (opset < MIN_OPSET || opset > MAX_OPSET) {
                throw new IllegalArgumentException("opset must be between " + MIN_OPSET + " and " + MAX_OPSET + ", got "
                        + opset);
            }
            List<String> all = new ArrayList<>(inputNames);
            all.addAll(outputNames);
            for (String n : all) {
                if (n == null || n.isEmpty()) throw new IllegalArgumentException("input and output names must not be empty");
            }
            if (all.stream().distinct().count() != all.size()) {
                throw new IllegalArgumentException("input and output names must be distinct, got inputs " + inputNames
                        + " and outputs " + outputNames);
            }
            return new TraceOptions(this);
        }
    }
}
