package org.kindling.optim;

import java.util.List;
import java.util.Map;
import org.kindling.Kindling;
import org.kindling.tensor.Tensor;

/**
 * Adagrad (Duchi et al., 2011), as PyTorch's {@code torch.optim.Adagrad}. For each parameter
 * {@code p} with gradient {@code g} at step {@code t = 1, 2, ...}:
 *
 * <pre>
 * g = g + weight_decay * p                     (if weight_decay != 0; -g first if maximize)
 * clr = lr / (1 + (t - 1) * lr_decay)
 * s = s + g * g                                (s starts at initial_accumulator_value)
 * p = p - clr * g / (sqrt(s) + eps)
 * </pre>
 *
 * Options: {@code lr} (1e-2), {@code lr_decay} (0), {@code weight_decay} (0),
 * {@code initial_accumulator_value} (0), {@code eps} (1e-10), {@code maximize} (false). State:
 * {@code step}, {@code sum}. PyTorch creates the state in the constructor; here it is created on
 * the first step like every other optimizer's, with the same values.
 *
 * <pre>
 * Optimizer opt = Adagrad.builder(model.parameters()).lr(0.1).lrDecay(1e-4).build();
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * </pre>
 */
public final class Adagrad extends Optimizer {
    /** Adagrad over {@code params} with PyTorch's defaults (lr 1e-2). */
    public Adagrad(Iterable<? extends Tensor> params) {
        this(singleGroup(params), new Builder(List.of()).defaults());
    }

    /**
     * Adagrad over {@code params} with learning rate {@code lr} and the other defaults.
     *
     * @throws IllegalArgumentException "Invalid learning rate: -0.1" for a negative lr
     */
    public Adagrad(Iterable<? extends Tensor> params, double lr) {
        this(singleGroup(params), new Builder(List.of()).lr(lr).defaults());
    }

    private Adagrad(List<ParamGroup> groups, Map<String, Object> defaults) {
        super(groups, defaults);
    }

    /** A builder for Adagrad over {@code params}. */
    public static Builder builder(Iterable<? extends Tensor> params) {
        return new Builder(singleGroup(params));
    }

    /** A builder for Adagrad over several groups; its options are the defaults of the groups. */
    public static Builder builder(List<ParamGroup> groups) {
        return new Builder(groups);
    }

    @Override
    protected void validateOptions(Map<String, Object> o) {
        checkNonNegative(o, "lr", "Invalid learning rate");
        checkNonNegative(o, "lr_decay", "Invalid lr_decay value");
        checkNonNegative(o, "weight_decay", "Invalid weight_decay value");
        checkNonNegative(o, "initial_accumulator_value", "Invalid initial_accumulator_value value");
        checkNonNegative(o, "eps", "Invalid epsilon value");
        checkBoolean(o, "maximize");
    }

    @Override
    protected void stepGroup(ParamGroup group) {
        double lr = group.lr();
        double lrDecay = group.getDouble("lr_decay");
        double weightDecay = group.getDouble("weight_decay");
        double initialAccumulator = group.getDouble("initial_accumulator_value");
        double eps = group.getDouble("eps");
        boolean maximize = group.getBoolean("maximize");
        for (Tensor p : group.params()) {
            Tensor g = p.grad();
            if (g == null) continue;
            Map<String, Object> st = stateOf(p);
            if (st.isEmpty()) {
                st.put("step", 0L);
                st.put("sum", Kindling.fullLike(p, initialAccumulator));
            }
            long step = (Long) st.get("step") + 1;
            st.put("step", step);
            Tensor grad = weightDecay != 0 ? withWeightDecay(p, g, weightDecay, maximize) : directedGrad(g, maximize);
            double clr = lr / (1 + (step - 1) * lrDecay);
            Tensor sum = (Tensor) st.get("sum");
            Tensor std = grad.mul(grad);
            sum.add_(std);
            std.copy_(sum).sqrt_().add_(eps);
            p.add_(grad.mul(-clr).div_(std));
        }
    }

    /**
     * Adagrad's options; {@link #build()} validates them. Unset options keep PyTorch's defaults: lr
     * 1e-2, lr_decay 0, eps 1e-10, weight_decay 0, initial_accumulator_value 0, maximize false.
     */
    public static final class Builder extends OptionsBuilder<Builder, Adagrad> {
        private Builder(List<ParamGroup> groups) {
            super(groups, "lr", 1e-2, "lr_decay", 0.0, "eps", 1e-10, "weight_decay", 0.0,
                    "initial_accumulator_value", 0.0, "maximize", false);
        }

        /** Learning-rate decay per step, default 0. */
        public Builder lrDecay(double lrDecay) {
            return set("lr_decay", lrDecay);
        }

        /** Starting value of the sum of squared gradients, default 0. */
        public Builder initialAccumulatorValue(double value) {
            return set("initial_accumulator_value", value);
        }

        /** Added to the denominator for numerical stability, default 1e-10. */
        public Builder eps(double eps) {
            return set("eps", eps);
        }

        @Override
        public Adagrad build() {
            return new Adagrad(groups, defaults());
        }
    }
}
