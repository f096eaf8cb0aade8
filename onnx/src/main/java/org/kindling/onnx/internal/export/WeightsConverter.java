package org.kindling.onnx.internal.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kindling.io.Safetensors;
import org.kindling.io.StateDict;
import org.kindling.jit.Graph;
import org.kindling.jit.GraphBuilder;
import org.kindling.onnx.OnnxException;
import org.kindling.tensor.Tensor;

/**
 * The weights of an ONNX model as a safetensors checkpoint and back. The weights are the
 * floating-point initializers with at least one dimension (scalars such as an epsilon and int64
 * shape operands are part of the program, not of the checkpoint); their names are kept, so for a
 * model exported from Kindling they are the module's {@code stateDict()} keys.
 */
public final class WeightsConverter {
    private WeightsConverter() {}

    /** The weights of {@code graph}, by initializer name. */
    public static StateDict weights(Graph graph) {
        StateDict sd = new StateDict();
        graph.constants().forEach((name, t) -> {
            if (t.isFloatingPoint() && t.dim() > 0) sd.put(name, t);
        });
        sd.putMetadata("format", "pt");
        sd.putMetadata("source", "onnx graph '" + graph.name() + "' opset " + graph.opsetVersion(""));
        return sd;
    }

    /** Writes the weights of {@code graph} to a safetensors file (atomically). */
    public static void toSafetensors(Graph graph, Path path) {
        try {
            Safetensors.save(weights(graph), path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /** {@code graph} with the initializers named in the checkpoint replaced by its tensors. */
    public static Graph withWeights(Graph graph, Path safetensors) {
        StateDict sd;
        try {
            sd = Safetensors.load(safetensors);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + safetensors + ": " + e.getMessage(), e);
        }
        return withWeights(graph, sd, safetensors.toString());
    }

    static Graph withWeights(Graph graph, Map<String, Tensor> weights, String source) {
        Map<String, Tensor> constants = new LinkedHashMap<>(graph.constants());
        List<String> unknown = new ArrayList<>();
        for (var e : weights.entrySet()) {
            Tensor old = constants.get(e.getKey());
            if (old == null) {
                unknown.add(e.getKey());
                continue;
            }
            Tensor t = e.getValue();
            if (t.dtype() != old.dtype() || !t.shape().equals(old.shape())) {
                throw new OnnxException(source + ": tensor '" + e.getKey() + "' is " + t.dtype() + t.shape()
                        + " but the model's initializer is " + old.dtype() + old.shape());
            }
            constants.put(e.getKey(), t);
        }
        if (!unknown.isEmpty()) {
            throw new OnnxException(source + ": tensors " + unknown + " match no initializer of the model (it has "
                    + constants.keySet() + ")");
        }
        GraphBuilder b = new GraphBuilder(graph.name()).docString(graph.docString());
        graph.opsets().forEach(b::opset);
        graph.metadata().forEach(b::metadata);
        graph.inputs().forEach(b::input);
        constants.forEach(b::constant);
        graph.nodes().forEach(b::node);
        graph.outputs().forEach(b::output);
        return b.build();
    }
}
