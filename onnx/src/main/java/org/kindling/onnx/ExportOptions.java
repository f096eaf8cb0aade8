package org.kindling.onnx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kindling.jit.TraceOptions;

/**
 * How {@code Onnx.export} writes a module: the opset (13 to 18, default 17), input and output
 * names, dynamic axes, whether large weights go to an external data file beside the model, and
 * the model's doc string and metadata. Immutable; build with {@link #builder()}.
 *
 * <pre>
 * ExportOptions o = ExportOptions.builder()
 *         .opset(18)
 *         .inputNames("image").outputNames("logits")
 *         .dynamicBatch()
 *         .build();
 * Onnx.export(model, new Tensor[] {Kindling.randn(2, 1, 28, 28)}, Path.of("model.onnx"), o);
 * </pre>
 */
public final class ExportOptions {
    /** Tensors of at least this many bytes go to the external data file when external data is on. */
    public static final long DEFAULT_EXTERNAL_THRESHOLD = 1024;

    private final int opset;
    private final List<String> inputNames;
    private final List<String> outputNames;
    private final Map<Integer, Map<Integer, String>> dynamicAxes;
    private final boolean dynamicBatch;
    private final boolean externalData;
    private final long externalThreshold;
    private final String docString;
    private final Map<String, String> metadata;
    private final String graphName;

    private ExportOptions(Builder b) {
        opset = b.opset;
        inputNames = List.copyOf(b.inputNames);
        outputNames = List.copyOf(b.outputNames);
        Map<Integer, Map<Integer, String>> axes = new TreeMap<>();
        b.dynamicAxes.forEach((k, v) -> axes.put(k, Map.copyOf(v)));
        dynamicAxes = Map.copyOf(axes);
        dynamicBatch = b.dynamicBatch;
        externalData = b.externalData;
        externalThreshold = b.externalThreshold;
        docString = b.docString;
        metadata = Map.copyOf(b.metadata);
        graphName = b.graphName;
    }

    /** Opset 17, static shapes, generated names, weights inside the model file. */
    public static ExportOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int opset() {
        return opset;
    }

    public boolean externalData() {
        return externalData;
    }

    public long externalThreshold() {
        return externalThreshold;
    }

    public String docString() {
        return docString;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** The trace options these export options imply. */
    public TraceOptions traceOptions() {
        TraceOptions.Builder t = TraceOptions.builder().opset(opset).graphName(graphName)
                .inputNames(inputNames.toArray(String[]::new)).outputNames(outputNames.toArray(String[]::new));
        if (dynamicBatch) t.dynamicBatch();
        dynamicAxes.forEach((input, axes) -> axes.forEach((axis, name) -> t.dynamicAxis(input, axis, name)));
        return t.build();
    }

    /** Builder of {@link ExportOptions}; {@link #build()} validates. */
    public static final class Builder {
        private int opset = TraceOptions.DEFAULT_OPSET;
        private final List<String> inputNames = new ArrayList<>();
        private final List<String> outputNames = new ArrayList<>();
        private final Map<Integer, Map<Integer, String>> dynamicAxes = new LinkedHashMap<>();
        private boolean dynamicBatch;
        private boolean externalData;
        private long externalThreshold = DEFAULT_EXTERNAL_THRESHOLD;
        private String docString = "";
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private String graphName = "kindling";

        private Builder() {}

        /** The default-domain opset, 13 to 18. */
        public Builder opset(int version) {
            opset = version;
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

        /** Marks {@code axis} of input {@code input} as variable under the name {@code symbol}. */
        public Builder dynamicAxis(int input, int axis, String symbol) {
            dynamicAxes.computeIfAbsent(input, k -> new TreeMap<>()).put(axis, symbol);
            return this;
        }

        /** Marks axis 0 of every input as the variable "batch" axis. */
        public Builder dynamicBatch() {
            dynamicBatch = true;
            return this;
        }

        /** Writes tensors of at least {@code thresholdBytes} to {@code <model file>.data} beside the model. */
        public Builder externalData(long thresholdBytes) {
            if (thresholdBytes < 0) throw new IllegalArgumentException("externalData: threshold must be >= 0, got " + thresholdBytes);
            externalData = true;
            externalThreshold = thresholdBytes;
            return this;
        }

        public Builder docString(String text) {
            docString = text == null ? "" : text;
            return this;
        }

        /** Adds a {@code metadata_props} entry. */
        public Builder metadata(String key, String value) {
            if (key == null || key.isEmpty() || value == null) {
                throw new IllegalArgumentException("metadata: key must be non-empty and value non-null, got " + key + "=" + value);
            }
            metadata.put(key, value);
            return this;
        }

        public Builder graphName(String name) {
            graphName = name == null || name.isEmpty() ? "kindling" : name;
            return this;
        }

        public ExportOptions build() {
            ExportOptions o = new ExportOptions(this);
            o.traceOptions(); // validates opset and names
            return o;
        }
    }
}
