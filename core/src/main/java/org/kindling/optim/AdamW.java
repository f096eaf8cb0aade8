package org.kindling.optim;

import java.util.List;
import java.util.Map;
import org.kindling.tensor.Tensor;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, 2017), as PyTorch's
 * {@code torch.optim.AdamW}: the parameter is shrunk by {@code lr * weight_decay} before the
 * {@link Adam} update, instead of adding an L2 term to the gradient.
 *
 * <pre>
 * p = p * (1 - lr * weight_decay)
 * (then Adam's update with the raw gradient, -g if maximize)
 * </pre>
 *
 * Options: {@code lr} (1e-3), {@code betas} ([0.9, 0.999]), {@code eps} (1e-8),
 * {@code weight_decay} (1e-2), {@code amsgrad} (false), {@code maximize} (false). State as
 * {@link Adam}'s.
 *
 * <pre>
 * Optimizer opt = AdamW.builder(model.parameters()).lr(5e-4).weightDecay(0.05).build();
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * </pre>
 */
public final class AdamW extends Optimizer {
    /** AdamW over {@code params} with PyTorch's defaults (lr 1e-3, weight decay 1e-2). */
    public AdamW(Iterable<? extends Tensor> params) {
        this(singleGroup(params), new Builder(List.of()).defaults());
    }

    /**
     * AdamW over {@code params} with learning rate {@code lr} and the other defaults.
     *
     * @throws IllegalArgumentException "Invalid learning rate: -0.1" for a negative lr
     */
    public AdamW(Iterable<? extends Tensor> params, double lr) {
        this(singleGroup(params), new Builder(List.of()).lr(lr).defaults());
    }

    private AdamW(List<ParamGroup> groups, Map<String, Object> defaults) {
        super(groups, defaults);
    }

    /** A builder for AdamW over {@code params}. */
    public static Builder builder(Iterable<? extends Tensor> params) {
        return new Builder(singleGroup(params));
    }

    /** A builder for AdamW over several groups; its options are the defaults of the groups. */
    public static Builder builder(List<ParamGroup> groups) {
        return new Builder(groups);
    }

    @Override
    protected void validateOptions(Map<String, Object> o) {
        Adam.validateAdamOptions(o);
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
            // PyTorch counts the step before the decay; Adam.update does both in its order, which is
            // equivalent since the decay does not read the state.
            if (weightDecay != 0) p.mul_(1 - lr * weightDecay);
            Adam.update(p, directedGrad(g, maximize), stateOf(p), lr, betas[0], betas[1], eps, amsgrad);
        }
    }

    /**
     * AdamW's options; {@link #build()} validates them. Unset options keep PyTorch's defaults: lr
     * 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 1e-2 (decoupled), amsgrad and maximize false.
     */
    public static final class Builder extends OptionsBuilder<Builder, AdamW> {
        private Builder(List<ParamGroup> groups) {
            super(groups, "lr", 1e-3, "betas", List.of(0.9, 0.999), "eps", 1e-8, "weight_decay", 1e-2,
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
        public AdamW build() {
            return new AdamW(groups, defaults());
        }
    }
}
