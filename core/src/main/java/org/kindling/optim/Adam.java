package org.kindling.optim;

import java.util.List;
import java.util.Map;
import org.kindling.tensor.Tensor;

/**
 * Adam (Kingma and Ba, 2014) with optional AMSGrad and L2 weight decay, as PyTorch's
 * {@code torch.optim.Adam}. For each parameter {@code p} with gradient {@code g} at step
 * {@code t = 1, 2, ...}:
 *
 * <pre>
 * g = g + weight_decay * p                         (if weight_decay != 0; -g first if maximize)
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g * g
 * vmax = max(vmax, v)                              (if amsgrad; then vmax replaces v below)
 * p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * Options: {@code lr} (1e-3), {@code betas} ([0.9, 0.999]), {@code eps} (1e-8),
 * {@code weight_decay} (0), {@code amsgrad} (false), {@code maximize} (false). State:
 * {@code step}, {@code exp_avg}, {@code exp_avg_sq} and, with amsgrad, {@code max_exp_avg_sq}.
 * For decoupled weight decay use {@link AdamW}.
 *
 * <pre>
 * Optimizer opt = new Adam(model.parameters(), 1e-3);
 * Optimizer tuned = Adam.builder(model.parameters()).lr(3e-4).betas(0.9, 0.98).eps(1e-9).build();
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * </pre>
 */
public final class Adam extends Optimizer {
    /** Adam over {@code params} with PyTorch's defaults (lr 1e-3). */
    public Adam(Iterable<? extends Tensor> params) {
        this(singleGroup(params), new Builder(List.of()).defaults());
    }

    /**
     * Adam over {@code params} with learning rate {@code lr} and the other defaults.
     *
     * @throws IllegalArgumentException "Invalid learning rate: -0.1" for a negative lr
     */
    public Adam(Iterable<? extends Tensor> params, double lr) {
        this(singleGroup(params), new Builder(List.of()).lr(lr).defaults());
    }

    private Adam(List<ParamGroup> groups, Map<String, Object> defaults) {
        super(groups, defaults);
    }

    /** A builder for Adam over {@code params}. */
    public static Builder builder(Iterable<? extends Tensor> params) {
        return new Builder(singleGroup(params));
    }

    /** A builder for Adam over several groups; its options are the defaults of the groups. */
    public static Builder builder(List<ParamGroup> groups) {
        return new Builder(groups);
    }

    @Override
    protected void validateOptions(Map<String, Object> o) {
        validateAdamOptions(o);
    }

    /** Adam's and AdamW's checks, in PyTorch's order. */
    static void validateAdamOptions(Map<String, Object> o) {
        checkNonNegative(o, "lr", "Invalid learning rate");
        checkNonNegative(o, "eps", "Invalid epsilon value");
        Object betas = o.get("betas");
        if (betas != null) {
            if (!(betas instanceof List<?> l) || l.size() != 2) {
                throw new IllegalArgumentException("betas must be two numbers, got " + betas);
            }
            for (int i = 0; i < 2; i++) {
                if (!(l.get(i) instanceof Number n)) throw new IllegalArgumentException("betas must be two numbers, got " + betas);
                double b = n.doubleValue();
                if (!(b >= 0.0 && b < 1.0)) {
                    throw new IllegalArgumentException("Invalid beta parameter at index " + i + ": " + b);
                }
            }
        }
        checkNonNegative(o, "weight_decay", "Invalid weight_decay value");
        checkBoolean(o, "amsgrad");
        checkBoolean(o, "maximize");
    }

    @Override
    protected void stepGroup(ParamGroup group) {
        double lr = group.lr();
        double[] betas = group.getDoubles("betas");
        double eps = group.getDouble("eps");
        double weightDecay = group.getDouble("weight_decay");
        boolean amsgrad = group.getBoolean("amsgrad");
        boolean maximize = group.getBoolean("maximize");
        for (Tensor p : group.params()) {
            Tensor g = p.grad();
            if (g == null) continue;
            Tensor grad = weightDecay != 0 ? withWeightDecay(p, g, weightDecay, maximize) : directedGrad(g, maximize);
            update(p, grad, stateOf(p), lr, betas[0], betas[1], eps, amsgrad);
        }
    }

    /**
     * The Adam update of {@code p} with the (already decayed and signed) gradient {@code grad};
     * shared with {@link AdamW}. Two temporaries of p's size: one reused for the moments'
     * increments and the denominator, one for the final step.
     */
    static void update(Tensor p, Tensor grad, Map<String, Object> st, double lr, double beta1, double beta2,
                       double eps, boolean amsgrad) {
        if (st.isEmpty()) {
            st.put("step", 0L);
            st.put("exp_avg", zerosLike(p));
            st.put("exp_avg_sq", zerosLike(p));
        }
        long step = (Long) st.get("step") + 1;
        st.put("step", step);
        Tensor expAvg = (Tensor) st.get("exp_avg");
        Tensor expAvgSq = (Tensor) st.get("exp_avg_sq");

        Tensor tmp = grad.mul(1 - beta1);
        expAvg.mul_(beta1).add_(tmp);
        tmp.copy_(grad).mul_(1 - beta2).mul_(grad);
        expAvgSq.mul_(beta2).add_(tmp);

        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        double stepSize = lr / biasCorrection1;
        double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);

        Tensor denom;
        if (amsgrad) {
            Tensor maxSq = (Tensor) st.computeIfAbsent("max_exp_avg_sq", k -> zerosLike(p));
            denom = maxSq.maximum(expAvgSq);
            maxSq.copy_(denom);
        } else {
            denom = tmp.copy_(expAvgSq);
        }
        denom.sqrt_().div_(biasCorrection2Sqrt).add_(eps);
        p.add_(expAvg.mul(-stepSize).div_(denom));
    }

    /**
     * Adam's options; {@link #build()} validates them. Unset options keep PyTorch's defaults: lr
     * 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0 (an L2 penalty), amsgrad and maximize false.
     */
    public static final class Builder extends OptionsBuilder<Builder, Adam> {
        private Builder(List<ParamGroup> groups) {
            super(groups, "lr", 1e-3, "betas", List.of(0.9, 0.999), "eps", 1e-8, "weight_decay", 0.0,
                    "amsgrad", false, "maximize", false);
        }

        /** Decay rates of the gradient's running mean and squared mean, default (0.9, 0.999). */
        public Builder betas(double beta1, double beta2) {
            return set("betas", List.of(beta1, beta2));
        }

        /** Added to the denominator for numerical stability, default 1e-8. */
        public Builder eps(double eps) {
            return set("eps", eps);
        }

        /** Use the AMSGrad variant, default false. */
        public Builder amsgrad(boolean amsgrad) {
            return set("amsgrad", amsgrad);
        }

        @Override
        public Adam build() {
            return new Adam(groups, defaults());
        }
    }
}
