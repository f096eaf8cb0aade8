package org.kindling.onnx;

/**
 * Resource limits applied while reading an untrusted model file. Every declared size is checked against
 * these (with overflow-safe arithmetic) before memory is allocated.
 *
 * <pre>
 * OnnxLimits strict = OnnxLimits.defaults().withMaxFileBytes(64L &lt;&lt; 20).withMaxTensorBytes(256L &lt;&lt; 20);
 * OnnxModel m = Onnx.load(path, strict);
 * </pre>
 *
 * @param maxFileBytes    largest model file (and largest external data file) read, default 2 GiB
 * @param maxTensorBytes  total bytes of tensors materialised from one model, default 4 GiB
 * @param maxNestingDepth protobuf recursion limit (message nesting, including subgraphs), default 100
 * @param maxNodes        largest number of nodes over all graphs, default 1,000,000
 */
public record OnnxLimits(long maxFileBytes, long maxTensorBytes, int maxNestingDepth, int maxNodes) {

    public OnnxLimits {
        if (maxFileBytes <= 0 || maxTensorBytes <= 0 || maxNestingDepth <= 0 || maxNodes <= 0) {
            throw new IllegalArgumentException("limits must be positive, got " + maxFileBytes + ", " + maxTensorBytes + ", "
                    + maxNestingDepth + ", " + maxNodes);
        }
    }

    /** 2 GiB per file, 4 GiB materialised, nesting 100, one million nodes. */
    public static OnnxLimits defaults() {
        return new OnnxLimits(2L << 30, 4L << 30, 100, 1_000_000);
    }

    public OnnxLimits withMaxFileBytes(long bytes) {
        return new OnnxLimits(bytes, maxTensorBytes, maxNestingDepth, maxNodes);
    }

    public OnnxLimits withMaxTensorBytes(long bytes) {
        return new OnnxLimits(maxFileBytes, bytes, maxNestingDepth, maxNodes);
    }

    public OnnxLimits withMaxNestingDepth(int depth) {
        return new OnnxLimits(maxFileBytes, maxTensorBytes, depth, maxNodes);
    }

    public OnnxLimits withMaxNodes(int nodes) {
        return new OnnxLimits(maxFileBytes, maxTensorBytes, maxNestingDepth, nodes);
    }
}
