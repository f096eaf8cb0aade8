package org.kindling.autograd;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.Buffer;
import org.kindling.tensor.internal.TensorAccess;

/**
 * Checks analytical gradients against central finite differences in float64
 * ({@code torch.autograd.gradcheck}). Every differentiable op and layer is tested with it.
 *
 * <pre>
 * Tensor x = Kindling.randn(3, 4).to(DType.FLOAT64).requiresGrad_();
 * GradCheck.gradcheck(in -&gt; in[0].tanh().sum(1), x);    // throws GradcheckError on mismatch
 * </pre>
 */
public final class GradCheck {
    /** Default perturbation, absolute and relative tolerance (PyTorch's). */
    public static final double EPS = 1e-6;
    public static final double ATOL = 1e-5;
    public static final double RTOL = 1e-3;

    private GradCheck() {}

    /** Thrown when analytical and numerical gradients disagree; the message says where. */
    public static final class GradcheckError extends AssertionError {
        GradcheckError(String message) {
            super(message);
        }
    }

    /** {@link #gradcheck(Function, double, double, double, Tensor...)} with the default tolerances. */
    public static boolean gradcheck(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        return gradcheck(fn, EPS, ATOL, RTOL, inputs);
    }

    /**
     * Compares, for every input that requires grad, the Jacobian from backward with the one from
     * central differences. Inputs that require grad must be float64.
     *
     * @return true (failures throw {@link GradcheckError})
     */
    public static boolean gradcheck(Function<Tensor[], Tensor> fn, double eps, double atol, double rtol,
                                    Tensor... inputs) {
        List<Integer> diff = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null && inputs[i].requiresGrad()) {
                if (inputs[i].dtype() != DType.FLOAT64) {
                    throw new IllegalArgumentException("gradcheck: input " + i + " is " + inputs[i].dtype()
                            + "; gradcheck needs float64 inputs for accurate finite differences");
                }
                diff.add(i);
            }
        }
        if (diff.isEmpty()) throw new IllegalArgumentException("gradcheck: no input requires grad");
        Tensor out = fn.apply(inputs);
        if (!out.requiresGrad()) {
            throw new GradcheckError("gradcheck: the output does not require grad (is the op recorded?)");
        }
        int outN = out.numel();
        int[] outShape = out.shape().toArray();
        for (int i : diff) {
            Tensor x = inputs[i];
            int n = x.numel();
            double[][] numerical = numericalJacobian(fn, inputs, x, eps, outN);
            double[][] analytical = new double[n][outN];
            for (int k = 0; k < outN; k++) {
                double[] onehot = new double[outN];
                onehot[k] = 1;
                Tensor go = TensorAccess.wrap(Buffer.of(org.kindling.tensor.internal.Storage.wrap(onehot), outShape))
                        .to(out.dtype());
                Tensor[] g = Autograd.grad(new Tensor[] {out}, new Tensor[] {x}, new Tensor[] {go}, true, false, true);
                double[] row = g[0] == null ? new double[n] : g[0].toDoubleArray();
                for (int j = 0; j < n; j++) analytical[j][k] = row[j];
            }
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < outN; k++) {
                    double a = analytical[j][k];
                    double nu = numerical[j][k];
                    if (!(Math.abs(a - nu) <= atol + rtol * Math.abs(nu))) {
                        throw new GradcheckError("Jacobian mismatch for output 0 with respect to input " + i
                                + " at (input element " + j + ", output element " + k + "): numerical " + nu
                                + ", analytical " + a + " (atol " + atol + ", rtol " + rtol + ")");
                    }
                }
            }
        }
        return true;
    }

    private static double[][] numericalJacobian(Function<Tensor[], Tensor> fn, Tensor[] inputs, Tensor x,
                                                double eps, int outN) {
        Buffer b = TensorAccess.unwrap(x);
        int n = x.numel();
        double[][] jac = new double[n][outN];
        int[] idx = new int[b.rank()];
        // Grad mode stays on: the function may itself differentiate (gradgradcheck).
        {
            for (int j = 0; j < n; j++) {
                int pos = b.indexOf(idx);
                double orig = b.storage.getDouble(pos);
                b.storage.setDouble(pos, orig + eps);
                double[] plus = fn.apply(inputs).toDoubleArray();
                b.storage.setDouble(pos, orig - eps);
                double[] minus = fn.apply(inputs).toDoubleArray();
                b.storage.setDouble(pos, orig);
                if (plus.length != outN) {
                    throw new GradcheckError("gradcheck: output size changed from " + outN + " to " + plus.length);
                }
                for (int k = 0; k < outN; k++) jac[j][k] = (plus[k] - minus[k]) / (2 * eps);
                for (int d = idx.length - 1; d >= 0; d--) {
                    if (++idx[d] < b.shape[d]) break;
                    idx[d] = 0;
                }
            }
        }
        return jac;
    }

    /** Second-order check: the gradients themselves are gradchecked (backward with createGraph). */
    public static boolean gradgradcheck(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        Tensor out = fn.apply(inputs);
        org.kindling.tensor.Generator gen = new org.kindling.tensor.Generator(0);
        Tensor v = org.kindling.Kindling.normal(out.shape().toArray(), 0, 1, gen).to(DType.FLOAT64);
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null || !inputs[i].requiresGrad()) continue;
            final int target = i;
            gradcheck(in -> {
                Tensor o = fn.apply(in);
                Tensor[] g = Autograd.grad(new Tensor[] {o}, new Tensor[] {in[target]}, new Tensor[] {v}, true, true, true);
                if (g[0] == null) throw new GradcheckError("gradgradcheck: input " + target + " is unused");
                if (!g[0].requiresGrad()) {
                    // The first derivative does not depend on the inputs (a linear op): its own gradient is zero.
                    return g[0].add(in[target].mul(0.0).sum());
                }
                return g[0];
            }, inputs);
        }
        return true;
    }
}
