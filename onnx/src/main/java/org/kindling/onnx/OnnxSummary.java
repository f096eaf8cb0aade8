package org.kindling.onnx;

import java.util.List;
import java.util.Map;

/**
 * What {@link Onnx#inspect} reports about a model file, without materialising its weights.
 *
 * @param irVersion      ONNX IR version
 * @param producer       producer name and version, possibly empty
 * @param opsets         opset version per domain ("" is the default ONNX domain)
 * @param inputs         graph inputs as {@code name: type[shape]} (initializers excluded)
 * @param outputs        graph outputs as {@code name: type[shape]}
 * @param opHistogram    node count per op type (subgraphs included), most frequent first
 * @param parameterCount elements in all initializers
 * @param parameterBytes bytes of all initializers
 */
public record OnnxSummary(long irVersion, String producer, Map<String, Integer> opsets, List<String> inputs,
                          List<String> outputs, Map<String, Integer> opHistogram, long parameterCount, long parameterBytes) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("ONNX model: IR version ").append(irVersion);
        if (!producer.isEmpty()) sb.append(", produced by ").append(producer);
        sb.append("\n  opsets: ").append(opsets);
        sb.append("\n  inputs:");
        for (String s : inputs) sb.append("\n    ").append(s);
        sb.append("\n  outputs:");
        for (String s : outputs) sb.append("\n    ").append(s);
        sb.append("\n  parameters: ").append(String.format("%,d", parameterCount)).append(" (")
                .append(humanBytes(parameterBytes)).append(')');
        sb.append("\n  ops (").append(opHistogram.values().stream().mapToInt(Integer::intValue).sum()).append(" nodes):");
        opHistogram.forEach((op, n) -> sb.append("\n    ").append(String.format("%-24s %6d", op, n)));
        return sb.toString();
    }

    private static String humanBytes(long b) {
        if (b < 1024) return b + " B";
        if (b < 1024L * 1024) return String.format("%.1f KiB", b / 1024.0);
        if (b < 1024L * 1024 * 1024) return String.format("%.1f MiB", b / (1024.0 * 1024));
        return String.format("%.2f GiB", b / (1024.0 * 1024 * 1024));
    }
}
