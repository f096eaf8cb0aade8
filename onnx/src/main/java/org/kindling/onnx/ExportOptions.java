package org.kindling.onnx;

import java.util.LinkedHashMap;
import java.util.Map;
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

    private final TraceOptions trace;
    private final boolean externalData;
    private final long externalThreshold;
    private final String docString;
    private final Map<String, String> metadata;

    private ExportOptions(Builder b) {
        trace = b.trace.build();
        externalData = b.externalData;
        externalThreshold = b.externalThreshold;
        docString = b.docString;
        metadata = Map.copyOf(b.metadata);
    }

    /** Opset 17, static shapes, generated names, weights inside the model file. */
    public static ExportOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int opset() {
        return trace.opset();
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

    /** How the module is traced: opset, names and dynamic axes. */
    public TraceOptions traceOptions() {
        return trace;
    }

    /** Builder of {@link ExportOptions}; {@link #build()} validates. */
    public static final class Builder {
        private final TraceOptions.Builder trace = TraceOptions.builder();
        private boolean externalData;
        private long externalThreshold = DEFAULT_EXTERNAL_THRESHOLD;
        private String docString = "";
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Builder() {}

        /** The default-domain opset, 13 to 18. */
        public Builder opset(int version) {
            trace.opset(version);
            return this;
        }

        public Builder inputNames(String... names) {
            trace.inputNames(names);
            return this;
        }

        public Builder outputNames(String... names) {
            trace.outputNames(names);
            return this;
        }

        /** Marks {@code axis} of input {@code input} as variable under the name {@code symbol}. */
        public Builder dynamicAxis(int input, int axis, String symbol) {
            trace.dynamicAxis(input, axis, symbol);
            return this;
        }

        /** Marks axis 0 of every input as the variable "batch" axis. */
        public Builder dynamicBatch() {
            trace.dynamicBatch();
            return this;
        }

        public Builder graphName(String name) {
            trace.graphName(name == null || name.isEmpty() ? "kindling" : name);
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

        /** Validates (opset range, distinct names) and builds. */
        public ExportOptions build() {
            return new ExportOptions(this);
        }
    }
}
