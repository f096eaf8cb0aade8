package org.kindling.jit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.kindling.jit.internal.trace.TraceRunner;
import org.kindling.nn.Module;
import org.kindling.tensor.Tensor;

/**
 * Records a module's forward pass as a {@link Graph} ({@code torch.jit.trace} / the front half of
 * {@code torch.onnx.export}). Every op on the example inputs becomes a node in ONNX terms at the
 * chosen opset; parameters and buffers become constants named as in {@code stateDict()}
 * ({@code "0.weight"}), other tensors the forward creates become anonymous constants.
 *
 * <p>The forward runs twice: with the examples, then with every dynamic axis one longer and the
 * floating-point inputs nudged. Reshape and Expand targets that follow a dynamic axis are written
 * so that the graph runs at any size; a constant that differs between the runs (a value read out
 * of a tensor, a random mask of dropout in training mode, data-dependent control flow) is an
 * error that names the op using it. Tracing does not change the module's training mode: call
 * {@code eval()} first for inference (dropout off, batch norm on running statistics).
 *
 * <pre>
 * Sequential mlp = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
 * mlp.eval();
 * Graph g = Tracer.trace(mlp, TraceOptions.builder().dynamicBatch().build(), Kindling.randn(3, 4));
 * g.nodes();   // [Gemm, Relu, Gemm]
 * </pre>
 */
public final class Tracer {
    private Tracer() {}

    /** A forward pass over several inputs and outputs, for modules without a single-tensor forward. */
    @FunctionalInterface
    public interface Forward {
        Tensor[] apply(Tensor[] inputs);
    }

    /** Traces {@code module.forward(x)} with static shapes at the default opset. */
    public static Graph trace(Module module, Tensor exampleInput) {
        return trace(module, TraceOptions.defaults(), exampleInput);
    }

    /** Traces {@code module.forward(x)}. */
    public static Graph trace(Module module, TraceOptions options, Tensor exampleInput) {
        return trace(module, in -> new Tensor[] {module.forward(in[0])}, options, exampleInput);
    }

    /**
     * Traces {@code forward}, which may use {@code module}'s parameters and buffers (they become
     * named constants).
     */
    public static Graph trace(Module module, Forward forward, TraceOptions options, Tensor... exampleInputs) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        if (module != null) {
            state.putAll(module.namedParameters());
            module.namedBuffers().forEach(state::putIfAbsent);
        }
        return TraceRunner.trace(state, forward::apply, options, exampleInputs);
    }
}
