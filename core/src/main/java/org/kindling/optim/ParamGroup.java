package org.kindling.optim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.kindling.tensor.Tensor;

/**
 * A list of parameters and the hyperparameters ("options") an optimizer uses for them, PyTorch's
 * {@code param_group} dict. Options a group does not set are filled from the optimizer's defaults
 * when the group is added; keys are PyTorch's names ({@code "lr"}, {@code "momentum"},
 * {@code "weight_decay"}, {@code "betas"}, ...). Once the group belongs to an optimizer every
 * {@link #set} is validated by that optimizer, so {@code group.set("lr", -1)} fails with
 * "Invalid learning rate: -1.0" just as the constructor would.
 *
 * <p>Option values are normalised: any {@link Number} becomes a {@link Double}, a
 * {@code double[]} or collection of numbers (such as {@code betas}) an immutable
 * {@code List<Double>}; booleans and other values are kept. Extra keys are allowed and kept, as
 * PyTorch's schedulers store {@code "initial_lr"} or {@code "max_lr"} there.
 *
 * <pre>
 * // fine-tune the head ten times faster than the backbone
 * Optimizer opt = SGD.builder(List.of(
 *         new ParamGroup(backbone.parameters()),
 *         new ParamGroup(head.parameters(), Map.of("lr", 0.1))))
 *     .lr(0.01).momentum(0.9).build();
 * opt.paramGroups().get(0).lr();          // 0.01 (from the defaults)
 * opt.paramGroups().get(1).setLr(0.05);   // what a scheduler does
 * </pre>
 */
public final class ParamGroup {
    /** The learning-rate option, present in every group of every optimizer. */
    public static final String LR = "lr";

    private final List<Tensor> params;
    private final LinkedHashMap<String, Object> options = new LinkedHashMap<>();
    private Optimizer owner;

    /** A group of {@code params} with no options of its own: all come from the optimizer's defaults. */
    public ParamGroup(Iterable<? extends Tensor> params) {
        this(params, Map.of());
    }

    /**
     * A group of {@code params} with its own {@code options}, which override the optimizer's
     * defaults.
     *
     * @throws NullPointerException if a parameter, option name or option value is null
     * @throws IllegalArgumentException if an option is called {@code "params"}
     */
    public ParamGroup(Iterable<? extends Tensor> params, Map<String, ?> options) {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(options, "options");
        List<Tensor> list = new ArrayList<>();
        int i = 0;
        for (Tensor p : params) {
            list.add(Objects.requireNonNull(p, "parameter " + i + " is null"));
            i++;
        }
        this.params = Collections.unmodifiableList(list);
        for (Map.Entry<String, ?> e : options.entrySet()) {
            this.options.put(checkKey(e.getKey()), normalize(e.getKey(), e.getValue()));
        }
    }

    /** The parameters, in order (unmodifiable). */
    public List<Tensor> params() {
        return params;
    }

    /** The options, in insertion order (an unmodifiable live view). */
    public Map<String, Object> options() {
        return Collections.unmodifiableMap(options);
    }

    /** True if the group has a value for {@code key}. */
    public boolean has(String key) {
        return options.containsKey(key);
    }

    /** The value of option {@code key}, or null if the group has none. */
    public Object get(String key) {
        return options.get(key);
    }

    /**
     * The numeric option {@code key}.
     *
     * @throws IllegalArgumentException if the group has no such option or it is not a number
     */
    public double getDouble(String key) {
        Object v = require(key);
        if (v instanceof Double d) return d;
        throw new IllegalArgumentException("option '" + key + "' is not a number: " + v);
    }

    /**
     * The boolean option {@code key}.
     *
     * @throws IllegalArgumentException if the group has no such option or it is not a boolean
     */
    public boolean getBoolean(String key) {
        Object v = require(key);
        if (v instanceof Boolean b) return b;
        throw new IllegalArgumentException("option '" + key + "' is not a boolean: " + v);
    }

    /**
     * The option {@code key} as an array of numbers, e.g. {@code betas}.
     *
     * @throws IllegalArgumentException if the group has no such option or it is not a list of numbers
     */
    public double[] getDoubles(String key) {
        Object v = require(key);
        if (v instanceof List<?> l) {
            double[] out = new double[l.size()];
            for (int i = 0; i < out.length; i++) out[i] = (Double) l.get(i);
            return out;
        }
        throw new IllegalArgumentException("option '" + key + "' is not a list of numbers: " + v);
    }

    /** The learning rate, {@code getDouble("lr")}. */
    public double lr() {
        return getDouble(LR);
    }

    /** Sets the learning rate, {@code set("lr", lr)}; schedulers call this. */
    public ParamGroup setLr(double lr) {
        return set(LR, lr);
    }

    /**
     * Sets option {@code key}. When the group belongs to an optimizer the new value is validated
     * first, and the group is left unchanged if it is rejected.
     *
     * @return this group
     * @throws IllegalArgumentException if the optimizer rejects the value
     */
    public ParamGroup set(String key, Object value) {
        checkKey(key);
        Object v = normalize(key, value);
        if (owner != null) {
            Map<String, Object> trial = new LinkedHashMap<>(options);
            trial.put(key, v);
            owner.validateOptions(trial);
        }
        options.put(key, v);
        return this;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ParamGroup(params=").append(params.size());
        for (Map.Entry<String, Object> e : options.entrySet()) {
            sb.append(", ").append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.append(')').toString();
    }

    // ------------------------------------------------------------------ for Optimizer

    Optimizer owner() {
        return owner;
    }

    void attach(Optimizer optimizer) {
        if (owner != null && owner != optimizer) {
            throw new IllegalArgumentException("this ParamGroup already belongs to another optimizer");
        }
        owner = optimizer;
    }

    /** Replaces all options at once (loadStateDict); the caller has validated them. */
    void replaceOptions(Map<String, Object> newOptions) {
        options.clear();
        options.putAll(newOptions);
    }

    LinkedHashMap<String, Object> optionsCopy() {
        return new LinkedHashMap<>(options);
    }

    private Object require(String key) {
        Object v = options.get(key);
        if (v == null) throw new IllegalArgumentException("param group has no option '" + key + "'");
        return v;
    }

    private static String checkKey(String key) {
        Objects.requireNonNull(key, "option name is null");
        if (key.equals("params")) {
            throw new IllegalArgumentException("'params' is not an option: pass the tensors as the group's params");
        }
        return key;
    }

    /** Numbers to Double, arrays and collections of numbers to an immutable List&lt;Double&gt;. */
    static Object normalize(String key, Object value) {
        Objects.requireNonNull(value, () -> "option '" + key + "' is null");
        if (value instanceof Number n) return n.doubleValue();
        if (value instanceof double[] a) {
            List<Double> l = new ArrayList<>(a.length);
            for (double d : a) l.add(d);
            return Collections.unmodifiableList(l);
        }
        if (value instanceof Collection<?> c && c.stream().allMatch(x -> x instanceof Number)) {
            List<Double> l = new ArrayList<>(c.size());
            for (Object x : c) l.add(((Number) x).doubleValue());
            return Collections.unmodifiableList(l);
        }
        return value;
    }
}
