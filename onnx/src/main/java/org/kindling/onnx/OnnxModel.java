package org.kindling.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kindling.jit.Graph;
import org.kindling.jit.GraphExecutor;
import org.kindling.tensor.Tensor;

/**
 * An imported ONNX model, ready to run (inference, no autograd). Inputs go by name or by position in
 * {@link #inputNames()} order; any batch size the model's shapes allow works. Thread-safe.
 *
 * <pre>
 * OnnxModel model = Onnx.load(Path.of("cnn.onnx"));
 * Tensor probs = model.forward(images).get(0);
 * Map&lt;String, Tensor&gt; named = model.forward(Map.of("input", images));
 * </pre>
 */
public final class OnnxModel {

    private final Graph graph;
    private final GraphExecutor executor;

    OnnxModel(Graph graph, GraphExecutor executor) {
        this.graph = graph;
        this.executor = executor;
    }

    /** The imported graph (ONNX op names and attributes). */
    public Graph graph() {
        return graph;
    }

    /** Inputs a caller supplies, in order (graph inputs without an initializer default). */
    public List<String> inputNames() {
        return executor.inputNames();
    }

    public List<String> outputNames() {
        return executor.outputNames();
    }

    /** Runs with inputs by name; returns the outputs by name in the graph's order. */
    public Map<String, Tensor> forward(Map<String, Tensor> inputs) {
        try {
            return executor.run(inputs);
        } catch (org.kindling.jit.UnsupportedOperatorException e) {
            throw new OnnxException(e.getMessage(), true, e);
        } catch (RuntimeException e) {
            throw new OnnxException(e.getMessage(), e);
        }
    }

    /** Runs with inputs by position; returns the outputs in order. */
    public List<Tensor> forward(Tensor... inputs) {
        try {
            return new ArrayList<>(executor.run(inputs));
        } catch (org.kindling.jit.UnsupportedOperatorException e) {
            throw new OnnxException(e.getMessage(), true, e);
        } catch (RuntimeException e) {
            throw new OnnxException(e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "OnnxModel(inputs=" + inputNames() + ", outputs=" + outputNames() + ", nodes=" + graph.nodes().size()
                + ", opsets=" + graph.opsets() + ")";
    }
}
