package org.kindling.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.kindling.Kindling;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;

/**
 * Gradient clipping, PyTorch's {@code torch.nn.utils.clip_grad_norm_} and
 * {@code clip_grad_value_}: call between {@code backward()} and {@code step()}. Parameters
 * without a gradient are skipped; gradients are changed in place.
 *
 * <pre>
 * opt.zeroGrad();
 * loss.backward();
 * double norm = ClipGrad.clipGradNorm(model.parameters(), 1.0).item();
 * opt.step();
 * </pre>
 */
public final class ClipGrad {
    private ClipGrad() {}

    /** {@link #clipGradNorm(Iterable, double, double, boolean)} with the 2-norm. */
    public static Tensor clipGradNorm(Iterable<? extends Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2.0, false);
    }

    /** {@link #clipGradNorm(Iterable, double, double, boolean)} without the finiteness check. */
    public static Tensor clipGradNorm(Iterable<? extends Tensor> params, double maxNorm, double normType) {
        return clipGradNorm(params, maxNorm, normType, false);
    }

    /**
     * Scales all gradients together so that their total norm (the norm of the vector of every
     * gradient's norm, as if all were concatenated) is at most {@code maxNorm}: each is multiplied
     * by {@code min(1, maxNorm / (total + 1e-6))}.
     *
     * @param normType the p of the p-norm; {@code Double.POSITIVE_INFINITY} for the largest
     *     absolute value
     * @param errorIfNonfinite throw if the total norm is NaN or infinite instead of scaling by it
     * @return the total norm before clipping, a 0-dim tensor (0 when no parameter has a gradient)
     * @throws IllegalArgumentException if maxNorm is negative or NaN
     * @throws IllegalStateException if {@code errorIfNonfinite} and the norm is not finite
     */
    public static Tensor clipGradNorm(Iterable<? extends Tensor> params, double maxNorm, double normType,
                                      boolean errorIfNonfinite) {
        if (!(maxNorm >= 0)) throw new IllegalArgumentException("maxNorm must be non-negative, got " + maxNorm);
        List<Tensor> grads = grads(params);
        if (grads.isEmpty()) return Kindling.scalar(0.0);
        try (var g = GradMode.noGrad()) {
            List<Tensor> norms = new ArrayList<>(grads.size());
            Tensor total;
            if (normType == Double.POSITIVE_INFINITY) {
                for (Tensor grad : grads) norms.add(grad.abs().max());
                total = norms.size() == 1 ? norms.get(0) : Kindling.stack(norms).max();
            } else {
                for (Tensor grad : grads) norms.add(grad.norm(normType));
                total = Kindling.stack(norms).norm(normType);
            }
            double t = total.item();
            if (errorIfNonfinite && !Double.isFinite(t)) {
                throw new IllegalStateException("The total norm of order " + normType + " for gradients from "
                        + "`parameters` is non-finite, so it cannot be clipped. To disable this error and scale the "
                        + "gradients by the non-finite norm anyway, set errorIfNonfinite=false");
            }
            Tensor coef = Kindling.fullLike(total, maxNorm).div(total.add(1e-6)).clampMax(1.0);
            for (Tensor grad : grads) grad.mul_(coef);
            return total;
        }
    }

    /**
     * Clamps every gradient element into {@code [-clipValue, clipValue]}.
     *
     * @throws IllegalArgumentException if clipValue is negative or NaN
     */
    public static void clipGradValue(Iterable<? extends Tensor> params, double clipValue) {
        if (!(clipValue >= 0)) throw new IllegalArgumentException("clipValue must be non-negative, got " + clipValue);
        List<Tensor> grads = grads(params);
        try (var g = GradMode.noGrad()) {
            for (Tensor grad : grads) grad.clamp_(-clipValue, clipValue);
        }
    }

    private static List<Tensor> grads(Iterable<? extends Tensor> params) {
        Objects.requireNonNull(params, "params");
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : params) {
            if (p.grad() != null) grads.add(p.grad());
        }
        return grads;
    }
}
