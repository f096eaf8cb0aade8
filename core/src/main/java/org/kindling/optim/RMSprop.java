package org.kindling.optim;

import java.util.List;
import java.util.Map;
import org.kindling.tensor.Tensor;

/**
 * RMSprop (Hinton's lecture 6e), optionally centered and with momentum, as PyTorch's
 * {@code torch.optim.RMSprop}. For each parameter {@code p} with gradient {@code g}:
 *
 * <pre>
 * g = g + weight_decay * p                      (if weight_decay != 0; -g first if maximize)
 * v = alpha * v + (1 - alpha) * g * g
 * a = alpha * a + (1 - alpha) * g               (if centered)
 * d = sqrt(v - a * a) + eps                     (centered; sqrt(v) + eps otherwise)
 * b = momentum * b + g / d;  p = p - lr * b     (if momentum &gt; 0)
 * p = p - lr * g / d                            (otherwise)
 * </pre>
 *
 * Options: {@code lr} (1e-2), {@code alpha} (0.99), {@code eps} (1e-8), {@code weight_decay}
 * (0), {@code momentum} (0), {@code centered} (false), {@code maximize} (false). State:
 * {@code step}, {@code square_avg}, and {@code momentum_buffer} / {@code grad_avg} when those
 * features are on.
 *
 * <pre>
 * Optimizer opt = RMSprop.builder(model.parameters()).lr(1e-3).momentum(0.9).centered(true).build();
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * </pre>
 */
public final class RMSprop extends Optimizer {
    /** RMSprop over {@code params} with PyTorch's defaults (lr 1e-2). */
    public RMSprop(Iterable<? extends Tensor> params) {
        this(singleGroup(params), new Builder(List.of()).defaults());
    }

    /**
     * RMSprop over {@code params} with learning rate {@code lr} and the other defaults.
     *
     * @throws IllegalArgumentException "Invalid learning rate: -0.1" for a negative lr
     */
    public RMSprop(Iterable<? extends Tensor> params, double lr) {
        this(singleGroup(params), new Builder(List.of()).lr(lr).defaults());
    }

    private RMSprop(List<ParamGroup> groups, Map<String, Object> defaults) {
        super(groups, defaults);
    }

    /** A builder for RMSprop over {@code params}. */
    public static Builder builder(Iterable<? extends Tensor> params) {
        return new Builder(singleGroup(params));
    }

    /** A builder for RMSprop over several groups; its options are the defaults of the groups. */
    public static Builder builder(List<ParamGroup> groups) {
        return new Builder(groups);
    }

    @Override
    protected void validateOptions(Map<String, Object> o) {
        checkNonNegative(o, "lr", "Invalid learning rate");
        checkNonNegative(o, "eps", "Invalid epsilon value");
        checkNonNegative(o, "momentum", "Invalid momentum value");
        checkNonNegative(o, "weight_decay", "Invalid weight_decay value");
        checkNonNegative(o, "alpha", "Invalid alpha value");
        checkBoolean(o, "centered");
        checkBoolean(o, "maximize");
    }

    @Override
    protected void stepGroup(ParamGroup group) {
        double lr = group.lr();
        double alpha = group.getDouble("alpha");
        double eps = group.getDouble("eps");
        double weightDecay = group.getDouble("weight_decay");
        double momentum = group.getDouble("momentum");
        boolean centered = group.getBoolean("centered");
        boolean maximize = group.getBoolean("maximize");
        for (Tensor p : group.params()) {
            Tensor g = p.grad();
            if (g == null) continue;
            Map<String, Object> st = stateOf(p);
            if (st.isEmpty()) {
                st.put("step", 0L);
                st.put("square_avg", zerosLike(p));
            }
            st.put("step", (Long) st.get("step") + 1);
            Tensor grad = weightDecay != 0 ? withWeightDecay(p, g, weightDecay, maximize) : directedGrad(g, maximize);
            Tensor squareAvg = (Tensor) st.get("square_avg");

            // One temporary: the squared-gradient increment, then the denominator.
            Tensor tmp = grad.mul(1 - alpha).mul_(grad);
            squareAvg.mul_(alpha).add_(tmp);
            Tensor avg;
            if (centered) {
                Tensor gradAvg = (Tensor) st.computeIfAbsent("grad_avg", k -> zerosLike(p));
                gradAvg.mul_(alpha).add_(tmp.copy_(grad).mul_(1 - alpha));
                // sqrt(v - a*a), written -(a*a) + v, which rounds the same
                avg = tmp.copy_(gradAvg).mul_(gradAvg).neg_().add_(squareAvg).sqrt_();
            } else {
                avg = tmp.copy_(squareAvg).sqrt_();
            }
            avg.add_(eps);
            if (momentum > 0) {
                Tensor buf = (Tensor) st.computeIfAbsent("momentum_buffer", k -> zerosLike(p));
                buf.mul_(momentum).add_(grad.div(avg));
                p.add_(buf, -lr);
            } else {
                p.add_(grad.mul(-lr).div_(avg));
            }
        }
    }

    /**
     * RMSprop's options; {@link #build()} validates them. Unset options keep PyTorch's defaults: lr
     * 1e-2, momentum 0, alpha 0.99, eps 1e-8, centered false, weight_decay 0, maximize false.
     */
    public static final class Builder extends OptionsBuilder<Builder, RMSprop> {
        private Builder(List<ParamGroup> groups) {
            super(groups, "lr", 1e-2, "momentum", 0.0, "alpha", 0.99, "eps", 1e-8, "centered", false,
                    "weight_decay", 0.0, "maximize", false);
        }

        /** Smoothing constant of the squared-gradient average, default 0.99. */
        public Builder alpha(double alpha) {
            return set("alpha", alpha);
        }

        /** Added to the denominator for numerical stability, default 1e-8. */
        public Builder eps(double eps) {
            return set("eps", eps);
        }

        /** Momentum factor, default 0. */
        public Builder momentum(double momentum) {
            return set("momentum", momentum);
        }

        /** Normalise by the estimated variance of the gradient instead of its second moment, default false. */
        public Builder centered(boolean centered) {
            return set("centered", centered);
        }

        @Override
        public RMSprop build() {
            return new RMSprop(groups, defaults());
        }
    }
}
