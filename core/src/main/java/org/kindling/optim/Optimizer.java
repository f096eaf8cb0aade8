package org.kindling.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;

/**
 * Base class of the optimizers, PyTorch's {@code torch.optim.Optimizer}: parameter groups whose
 * options are filled from the optimizer's defaults, per-parameter state created on the first
 * {@link #step()} that sees the parameter's gradient, and a {@link #stateDict()} to resume
 * training exactly.
 *
 * <pre>
 * Optimizer opt = Adam.builder(model.parameters()).lr(1e-3).weightDecay(1e-4).build();
 * for (Batch b : loader) {
 *     opt.zeroGrad();
 *     Tensor loss = lossFn.forward(model.forward(b.input()), b.target());
 *     loss.backward();
 *     opt.step();
 * }
 * </pre>
 *
 * <p>Subclasses pass their defaults to the constructor, check option values in
 * {@link #validateOptions} and update one group at a time in {@link #stepGroup}, which runs under
 * {@link GradMode#noGrad()}. Parameters are compared by identity. Not thread-safe.
 */
public abstract class Optimizer {
    /**
     * A default value meaning "every group must set this option", as PyTorch's {@code required}
     * (SGD's learning rate when built without one).
     */
    public static final Object REQUIRED = new Object() {
        @Override
        public String toString() {
            return "<required parameter>";
        }
    };

    private final Map<String, Object> defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final List<ParamGroup> groupsView = Collections.unmodifiableList(groups);
    private final Map<Tensor, Map<String, Object>> state = new IdentityHashMap<>();

    /**
     * Builds an optimizer over {@code paramGroups}, filling each group's missing options from
     * {@code defaults}. The defaults are validated first, then each group as it is added.
     *
     * <p>{@link #validateOptions} is called from this constructor, so it must not read subclass
     * fields.
     *
     * @throws IllegalArgumentException for an empty parameter list or an invalid option (see
     *     {@link #addParamGroup})
     */
    protected Optimizer(List<ParamGroup> paramGroups, Map<String, ?> defaults) {
        Objects.requireNonNull(paramGroups, "paramGroups");
        Objects.requireNonNull(defaults, "defaults");
        LinkedHashMap<String, Object> d = new LinkedHashMap<>();
        LinkedHashMap<String, Object> given = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : defaults.entrySet()) {
            Object v = e.getValue() == REQUIRED ? REQUIRED : ParamGroup.normalize(e.getKey(), e.getValue());
            d.put(e.getKey(), v);
            if (v != REQUIRED) given.put(e.getKey(), v);
        }
        validateOptions(given);
        this.defaults = Collections.unmodifiableMap(d);
        if (paramGroups.isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        // Check every group before taking any, so that a rejected configuration leaves the groups reusable.
        List<LinkedHashMap<String, Object>> options = new ArrayList<>();
        for (int i = 0; i < paramGroups.size(); i++) {
            options.add(prepare(paramGroups.get(i), paramGroups.subList(0, i)));
        }
        for (int i = 0; i < paramGroups.size(); i++) commit(paramGroups.get(i), options.get(i));
    }

    /** A single group holding all of {@code params}, for the subclasses' convenience constructors. */
    protected static List<ParamGroup> singleGroup(Iterable<? extends Tensor> params) {
        ParamGroup g = new ParamGroup(params);
        if (g.params().isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        return List.of(g);
    }

    // ------------------------------------------------------------------ groups

    /** The default options (unmodifiable); a value may be {@link #REQUIRED}. */
    public final Map<String, Object> defaults() {
        return defaults;
    }

    /** The parameter groups in order (unmodifiable list; the groups' options can be set). */
    public final List<ParamGroup> paramGroups() {
        return groupsView;
    }

    /**
     * Adds a group, e.g. layers unfrozen while fine-tuning. Missing options are taken from the
     * defaults, then the group is validated.
     *
     * @throws IllegalArgumentException if a parameter is not a leaf or does not require grad,
     *     appears twice in the group or already belongs to another group, a required option is
     *     missing or an option is invalid
     */
    public void addParamGroup(ParamGroup group) {
        commit(group, prepare(group, groups));
    }

    /** Checks {@code group} against {@code others} and returns its options completed from the defaults. */
    private LinkedHashMap<String, Object> prepare(ParamGroup group, List<ParamGroup> others) {
        Objects.requireNonNull(group, "group");
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor p : group.params()) {
            if (!p.isLeaf()) throw new IllegalArgumentException("can't optimize a non-leaf Tensor");
            if (!p.requiresGrad()) {
                throw new IllegalArgumentException("optimizer can only optimize Tensors that require grad");
            }
            if (!seen.add(p)) {
                throw new IllegalArgumentException("optimizer contains a parameter group with duplicate parameters");
            }
        }
        for (ParamGroup other : others) {
            if (other == group) throw new IllegalArgumentException("this parameter group was already added");
            for (Tensor p : other.params()) {
                if (seen.contains(p)) {
                    throw new IllegalArgumentException("some parameters appear in more than one parameter group");
                }
            }
        }
        if (group.owner() != null && group.owner() != this) {
            throw new IllegalArgumentException("this ParamGroup already belongs to another optimizer");
        }
        LinkedHashMap<String, Object> options = withDefaults(group.optionsCopy());
        validateOptions(options);
        return options;
    }

    private void commit(ParamGroup group, LinkedHashMap<String, Object> options) {
        group.replaceOptions(options);
        group.attach(this);
        groups.add(group);
    }

    private LinkedHashMap<String, Object> withDefaults(LinkedHashMap<String, Object> options) {
        for (Map.Entry<String, Object> e : defaults.entrySet()) {
            if (options.containsKey(e.getKey())) continue;
            if (e.getValue() == REQUIRED) {
                throw new IllegalArgumentException(
                        "parameter group didn't specify a value of required optimization parameter " + e.getKey());
            }
            options.put(e.getKey(), e.getValue());
        }
        return options;
    }

    /**
     * Checks the option values present in {@code options} (defaults, a new group, or a group
     * after {@link ParamGroup#set}); keys that are absent or unknown are ignored.
     *
     * @throws IllegalArgumentException naming the option and its value, as PyTorch does:
     *     "Invalid learning rate: -0.1"
     */
    protected abstract void validateOptions(Map<String, Object> options);

    /** The learning rate of group {@code group}. */
    public final double getLr(int group) {
        return groups.get(group).lr();
    }

    /** Sets the learning rate of group {@code group} (validated). */
    public final void setLr(int group, double lr) {
        groups.get(group).setLr(lr);
    }

    // ------------------------------------------------------------------ stepping

    /**
     * Sets every parameter's gradient to null (PyTorch 2's default): the memory is released and
     * the next backward allocates fresh gradients. Parameters without a gradient are skipped by
     * {@link #step()}.
     */
    public void zeroGrad() {
        zeroGrad(true);
    }

    /**
     * Clears the gradients: to null when {@code setToNull}, otherwise zeroes them in place (and
     * detaches any gradient that is part of a graph).
     */
    public void zeroGrad(boolean setToNull) {
        try (var g = GradMode.noGrad()) {
            for (ParamGroup group : groups) {
                for (Tensor p : group.params()) {
                    Tensor grad = p.grad();
                    if (grad == null) continue;
                    if (setToNull) {
                        p.setGrad(null);
                    } else {
                        if (grad.isLeaf()) grad.requiresGrad_(false);
                        else grad.detach_();
                        grad.zero_();
                    }
                }
            }
        }
    }

    /**
     * Performs one optimization step: updates, in place, every parameter that has a gradient.
     * Runs under {@link GradMode#noGrad()}.
     */
    public void step() {
        try (var g = GradMode.noGrad()) {
            for (ParamGroup group : groups) stepGroup(group);
        }
    }

    /**
     * Re-evaluates the model with {@code closure} (with gradients enabled), then steps.
     *
     * @param closure clears the gradients, computes the loss, calls backward and returns the loss
     * @return the loss the closure returned
     */
    public Tensor step(Supplier<Tensor> closure) {
        Tensor loss;
        try (var g = GradMode.enableGrad()) {
            loss = closure.get();
        }
        step();
        return loss;
    }

    /**
     * Updates the parameters of one group that have a gradient; called by {@link #step()} under
     * {@link GradMode#noGrad()}. Use {@link #stateOf} for a parameter's state.
     */
    protected abstract void stepGroup(ParamGroup group);

    // ------------------------------------------------------------------ state

    /**
     * The mutable state of {@code param}, created empty on first use: subclasses initialise it
     * when they find it empty ({@code if (st.isEmpty()) ...}).
     */
    protected final Map<String, Object> stateOf(Tensor param) {
        return state.computeIfAbsent(param, k -> new LinkedHashMap<>());
    }

    /**
     * The state of {@code param} (read-only; empty before the first step that updated it). Keys
     * are PyTorch's: {@code momentum_buffer}, {@code step}, {@code exp_avg}, ...
     */
    public final Map<String, Object> state(Tensor param) {
        Map<String, Object> s = state.get(param);
        return s == null ? Map.of() : Collections.unmodifiableMap(s);
    }

    /** True once {@code param} has state, i.e. after a step that saw its gradient. */
    public final boolean hasState(Tensor param) {
        Map<String, Object> s = state.get(param);
        return s != null && !s.isEmpty();
    }

    /**
     * A snapshot of the state and of the groups' options, with parameters replaced by their index
     * (counted in order across the groups). State tensors are copied, so the snapshot does not
     * change when training goes on.
     */
    public OptimizerStateDict stateDict() {
        Map<Tensor, Integer> index = new IdentityHashMap<>();
        List<OptimizerStateDict.Group> packed = new ArrayList<>();
        for (ParamGroup group : groups) {
            List<Integer> ids = new ArrayList<>();
            for (Tensor p : group.params()) {
                index.putIfAbsent(p, index.size());
                ids.add(index.get(p));
            }
            packed.add(new OptimizerStateDict.Group(ids, group.options()));
        }
        TreeMap<Integer, Map<String, Object>> packedState = new TreeMap<>();
        try (var g = GradMode.noGrad()) {
            for (Map.Entry<Tensor, Map<String, Object>> e : state.entrySet()) {
                if (e.getValue().isEmpty()) continue;
                Map<String, Object> copy = new LinkedHashMap<>();
                for (Map.Entry<String, Object> v : e.getValue().entrySet()) {
                    copy.put(v.getKey(), v.getValue() instanceof Tensor t ? t.clone() : v.getValue());
                }
                packedState.put(index.get(e.getKey()), copy);
            }
        }
        return new OptimizerStateDict(packedState, packed);
    }

    /**
     * Restores a {@link #stateDict()}: the groups' options (parameters stay this optimizer's) and
     * the per-parameter state, copied and cast to each parameter's floating dtype. The optimizer
     * must have been built with the same number of groups and group sizes. A {@code step} given
     * as a tensor (PyTorch stores a float tensor) becomes a count.
     *
     * @throws IllegalArgumentException if the groups do not match, an index has no parameter, or
     *     an option is invalid; nothing is changed then
     */
    public void loadStateDict(OptimizerStateDict stateDict) {
        Objects.requireNonNull(stateDict, "stateDict");
        List<OptimizerStateDict.Group> saved = stateDict.paramGroups();
        if (saved.size() != groups.size()) {
            throw new IllegalArgumentException("loaded state dict has a different number of parameter groups");
        }
        Map<Integer, Tensor> byIndex = new java.util.HashMap<>();
        List<LinkedHashMap<String, Object>> newOptions = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            List<Tensor> params = groups.get(i).params();
            List<Integer> ids = saved.get(i).params();
            if (params.size() != ids.size()) {
                throw new IllegalArgumentException(
                        "loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
            }
            for (int j = 0; j < ids.size(); j++) byIndex.put(ids.get(j), params.get(j));
            LinkedHashMap<String, Object> o = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : saved.get(i).options().entrySet()) {
                o.put(e.getKey(), ParamGroup.normalize(e.getKey(), e.getValue()));
            }
            validateOptions(withDefaults(o));
            newOptions.add(o);
        }
        Map<Tensor, Map<String, Object>> newState = new IdentityHashMap<>();
        try (var g = GradMode.noGrad()) {
            for (Map.Entry<Integer, Map<String, Object>> e : stateDict.state().entrySet()) {
                Tensor p = byIndex.get(e.getKey());
                if (p == null) {
                    throw new IllegalArgumentException("loaded state dict has state for parameter " + e.getKey()
                            + ", which no parameter group contains");
                }
                Map<String, Object> s = new LinkedHashMap<>();
                for (Map.Entry<String, Object> v : e.getValue().entrySet()) {
                    s.put(v.getKey(), castState(p, v.getKey(), v.getValue()));
                }
                newState.put(p, s);
            }
        }
        for (int i = 0; i < groups.size(); i++) groups.get(i).replaceOptions(newOptions.get(i));
        state.clear();
        state.putAll(newState);
    }

    private static Object castState(Tensor param, String key, Object value) {
        if (key.equals("step")) {
            if (value instanceof Tensor t) return Math.round(t.item());
            if (value instanceof Number n) return n.longValue();
        }
        if (value instanceof Tensor t) {
            // to() copies when the dtype changes; otherwise copy explicitly: the loaded dict stays untouched.
            return param.isFloatingPoint() && t.dtype() != param.dtype() ? t.to(param.dtype()) : t.clone();
        }
        return value;
    }

    // ------------------------------------------------------------------ helpers for subclasses

    /**
     * Checks that the number option {@code key}, if present, is {@code >= 0} (NaN fails).
     *
     * @param what the start of the message, e.g. "Invalid learning rate"
     */
    protected static void checkNonNegative(Map<String, Object> options, String key, String what) {
        Object v = options.get(key);
        if (v == null) return;
        double d = number(key, v);
        if (!(d >= 0.0)) throw new IllegalArgumentException(what + ": " + d);
    }

    /** Checks that option {@code key}, if present, is a boolean. */
    protected static void checkBoolean(Map<String, Object> options, String key) {
        Object v = options.get(key);
        if (v != null && !(v instanceof Boolean)) {
            throw new IllegalArgumentException("option '" + key + "' must be a boolean, got " + v);
        }
    }

    /** The number option {@code key}, or {@code otherwise} if absent. */
    protected static double number(Map<String, Object> options, String key, double otherwise) {
        Object v = options.get(key);
        return v == null ? otherwise : number(key, v);
    }

    /** The boolean option {@code key}, or {@code otherwise} if absent. */
    protected static boolean flag(Map<String, Object> options, String key, boolean otherwise) {
        Object v = options.get(key);
        return v instanceof Boolean b ? b : otherwise;
    }

    private static double number(String key, Object v) {
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException("option '" + key + "' must be a number, got " + v);
    }

    /** The parameter's gradient, negated when maximizing; the result may be the gradient itself. */
    static Tensor directedGrad(Tensor grad, boolean maximize) {
        return maximize ? grad.neg() : grad;
    }

    /**
     * {@code grad + weightDecay * param} (or {@code weightDecay * param - grad} when maximizing),
     * PyTorch's L2 penalty, as one new tensor.
     */
    static Tensor withWeightDecay(Tensor param, Tensor grad, double weightDecay, boolean maximize) {
        Tensor d = param.mul(weightDecay);
        return maximize ? d.sub_(grad) : d.add_(grad);
    }

    /** Zeros shaped and typed like {@code p}. */
    static Tensor zerosLike(Tensor p) {
        return org.kindling.Kindling.zerosLike(p);
    }

    /**
     * What every optimizer's {@code Builder} shares: the parameter groups and the options, kept in
     * PyTorch's order (the order of a group's entries in a state dict). A Builder names its options
     * and their defaults once, in its constructor, and adds typed setters for the ones that are not
     * common to all optimizers; {@code build()} validates them.
     *
     * @param <B> the concrete builder, returned by the setters
     * @param <O> the optimizer it builds
     */
    public abstract static class OptionsBuilder<B extends OptionsBuilder<B, O>, O extends Optimizer> {
        final List<ParamGroup> groups;
        private final Map<String, Object> options = new LinkedHashMap<>();

        /** {@code keysAndDefaults}: option name, default value, name, default, ... in PyTorch's order. */
        protected OptionsBuilder(List<ParamGroup> groups, Object... keysAndDefaults) {
            this.groups = groups;
            for (int i = 0; i < keysAndDefaults.length; i += 2) options.put((String) keysAndDefaults[i], keysAndDefaults[i + 1]);
        }

        /** Sets one of the options named in the constructor. */
        @SuppressWarnings("unchecked")
        protected final B set(String key, Object value) {
            if (!options.containsKey(key)) throw new IllegalArgumentException("unknown option '" + key + "'");
            options.put(key, value);
            return (B) this;
        }

        /** Learning rate. */
        public B lr(double lr) {
            return set("lr", lr);
        }

        /** Weight decay (L2 penalty added to the gradient; AdamW's is decoupled). */
        public B weightDecay(double weightDecay) {
            return set("weight_decay", weightDecay);
        }

        /** Maximize the objective instead of minimizing it, default false. */
        public B maximize(boolean maximize) {
            return set("maximize", maximize);
        }

        /**
         * The optimizer.
         *
         * @throws IllegalArgumentException for an invalid option, naming it and its value
         */
        public abstract O build();

        /** The options as the optimizer's defaults (a copy). */
        Map<String, Object> defaults() {
            return new LinkedHashMap<>(options);
        }
    }

}
