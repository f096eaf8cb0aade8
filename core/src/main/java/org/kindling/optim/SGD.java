package org.kindling.optim;

import java.util.List;
import java.util.Map;
import org.kindling.tensor.Tensor;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight
 * decay, as PyTorch's {@code torch.optim.SGD}. For each parameter {@code p} with gradient
 * {@code g}, with {@code mu} the momentum and {@code tau} the dampening:
 *
 * <pre>
 * g = g + weight_decay * p                       (if weight_decay != 0; -g first if maximize)
 * b = g                                          (first step)
 * b = mu * b + (1 - tau) * g                     (later steps, if mu != 0)
 * g = nesterov ? g + mu * b : b                  (if mu != 0)
 * p = p - lr * g
 * </pre>
 *
 * Options ({@link ParamGroup} keys, PyTorch's names): {@code lr} (no default), {@code momentum}
 * (0), {@code dampening} (0), {@code weight_decay} (0), {@code nesterov} (false),
 * {@code maximize} (false). State: {@code momentum_buffer}, only when momentum is used.
 *
 * <pre>
 * Optimizer opt = new SGD(model.parameters(), 0.1);
 * Optimizer withMomentum = SGD.builder(model.parameters()).lr(0.1).momentum(0.9).nesterov(true).build();
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * </pre>
 */
public final class SGD extends Optimizer {
    /**
     * Plain SGD over {@code params} with learning rate {@code lr}.
     *
     * @throws IllegalArgumentException "Invalid learning rate: -0.1" for a negative lr, or for an
     *     empty parameter list
     */
    public SGD(Iterable<? extends Tensor> params, double lr) {
        this(singleGroup(params), new Builder(List.of()).lr(lr).defaults());
    }

    private SGD(List<ParamGroup> groups, Map<String, Object> defaults) {
        super(groups, defaults);
    }

    /** A builder for SGD over {@code params}; {@code lr} must be set. */
    public static Builder builder(Iterable<? extends Tensor> params) {
        return new Builder(singleGroup(params));
    }

    /**
     * A builder for SGD over several groups; the builder's options are the defaults of groups that
     * do not set their own. Without {@link Builder#lr}, every group must set {@code lr}.
     */
    public static Builder builder(List<ParamGroup> groups) {
        return new Builder(groups);
    }

    @Override
    protected void validateOptions(Map<String, Object> o) {
        checkNonNegative(o, "lr", "Invalid learning rate");
        checkNonNegative(o, "momentum", "Invalid momentum value");
        checkNonNegative(o, "weight_decay", "Invalid weight_decay value");
        number(o, "dampening", 0);
        checkBoolean(o, "nesterov");
        checkBoolean(o, "maximize");
        if (flag(o, "nesterov", false) && (number(o, "momentum", 0) <= 0 || number(o, "dampening", 0) != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
        }
    }

    @Override
    protected void stepGroup(ParamGroup group) {
        double lr = group.lr();
        double momentum = group.getDouble("momentum");
        double dampening = group.getDouble("dampening");
        double weightDecay = group.getDouble("weight_decay");
        boolean nesterov = group.getBoolean("nesterov");
        boolean maximize = group.getBoolean("maximize");
        for (Tensor p : group.params()) {
            Tensor g = p.grad();
            if (g == null) continue;
            // d is the step direction; "owned" when it is a temporary this method may overwrite.
            Tensor d;
            boolean owned;
            if (weightDecay != 0) {
                d = withWeightDecay(p, g, weightDecay, maximize);
                owned = true;
            } else {
                d = directedGrad(g, maximize);
                owned = maximize;
            }
            if (momentum != 0) {
                Map<String, Object> st = stateOf(p);
                Tensor buf = (Tensor) st.get("momentum_buffer");
                if (buf == null) {
                    buf = owned ? d : d.clone();
                    st.put("momentum_buffer", buf);
                } else {
                    buf.mul_(momentum).add_(d, 1 - dampening);
                }
                if (nesterov) {
                    d = buf.mul(momentum).add_(d);
                    owned = true;
                } else {
                    d = buf;
                    owned = false;
                }
            }
            if (owned) p.add_(d.mul_(-lr));
            else p.add_(d, -lr);
        }
    }

    /**
     * SGD's options; {@link #build()} validates them. lr has no default (as in PyTorch); the others
     * default to momentum 0, dampening 0, weight_decay 0, nesterov and maximize false.
     */
    public static final class Builder extends OptionsBuilder<Builder, SGD> {
        private Builder(List<ParamGroup> groups) {
            super(groups, "lr", REQUIRED, "momentum", 0.0, "dampening", 0.0, "weight_decay", 0.0,
                    "nesterov", false, "maximize", false);
        }

        /** Momentum factor, default 0. */
        public Builder momentum(double momentum) {
            return set("momentum", momentum);
        }

        /** Dampening of the momentum, default 0. */
        public Builder dampening(double dampening) {
            return set("dampening", dampening);
        }

        /** Nesterov momentum, default false (needs momentum > 0 and dampening 0). */
        public Builder nesterov(boolean nesterov) {
            return set("nesterov", nesterov);
        }

        @Override
        public SGD build() {
            return new SGD(groups, defaults());
        }
    }
}
