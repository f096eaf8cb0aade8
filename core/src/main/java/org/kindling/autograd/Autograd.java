package org.kindling.autograd;

import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.TensorAccess;

/**
 * The functional autograd API ({@code torch.autograd.grad}): gradients of outputs with respect
 * to chosen inputs, returned instead of accumulated into {@code .grad}.
 *
 * <pre>
 * Tensor x = Kindling.tensor(new double[] {1, 2}).requiresGrad_();
 * Tensor y = x.mul(x).sum();
 * Tensor dx = Autograd.grad(y, x, true)[0];        // 2x, with a graph of its own
 * Tensor d2 = Autograd.grad(dx.sum(), x, false)[0]; // [2, 2]
 * </pre>
 */
public final class Autograd {
    private Autograd() {}

    /**
     * Gradients of {@code outputs} (weighted by {@code gradOutputs}; null entries mean 1 for
     * scalar outputs) with respect to {@code inputs}.
     *
     * @param retainGraph keep the graph for another backward
     * @param createGraph record the backward computation, for higher-order gradients
     * @param allowUnused return null for inputs the outputs do not depend on instead of failing
     */
    public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs, Tensor[] gradOutputs, boolean retainGraph,
                                boolean createGraph, boolean allowUnused) {
        Tensor[] go = gradOutputs == null ? new Tensor[outputs.length] : gradOutputs;
        return TensorAccess.grad(outputs, go, inputs, retainGraph, createGraph, allowUnused);
    }

    /** Gradient of a scalar output; {@code createGraph} also retains the graph, as PyTorch does. */
    public static Tensor[] grad(Tensor output, Tensor input, boolean createGraph) {
        return grad(new Tensor[] {output}, new Tensor[] {input}, null, createGraph, createGraph, false);
    }

    /** Gradients of a scalar output with respect to several inputs. */
    public static Tensor[] grad(Tensor output, Tensor... inputs) {
        return grad(new Tensor[] {output}, inputs, null, false, false, false);
    }
}
