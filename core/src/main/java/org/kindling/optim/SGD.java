package org.kindling.optim;

import java.util.LinkedHashMap;
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
     * SGD's options; {@link #build()} validates them. Unset options keep PyTorch's defaults.
     */
    public static final class Builder {
        private final List<ParamGroup> groups;
        private Object lr = REQUIRED;
        private double momentum;
        private double dampening;
        private double weightDecay;
        private boolean nesterov;
        private boolean maximize;

        private Builder(List<ParamGroup> groups) {
            this.groups = groups;
        }

        /** Learning rate (required unless every group sets its own). */
        public Builder lr(double lr) {
            this.lr = lr;
            return this;
        }

        /** Momentum factor, default 0 (no momentum). */
        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /** Dampening of the momentum, default 0. */
        public Builder dampening(double dampening) {
            this.dampening = dampening;
            return this;
        }

        /** L2 penalty, default 0. */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Nesterov momentum (needs momentum &gt; 0 and zero dampening), default false. */
        public Builder nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        /** Maximize the objective instead of minimizing it, default false. */
        public Builder maximize(boolean maximize) {
            this.maximize = maximize;
            return this;
        }

        /**
         * The optimizer.
         *
         * @throws IllegalArgumentException for an invalid option, naming it and its value
         */
        public SGD build() {
            return new SGD(groups, defaults());
        }

        private Map<String, Object> defaults() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("lr", lr);
            d.put("momentum", momentum);
            d.put("dampening", dampening);
            d.put("weight_decay", weightDecay);
            d.put("nesterov", nesterov);
            d.put("maximize", maximize);
            return d;
        }
    }
}
