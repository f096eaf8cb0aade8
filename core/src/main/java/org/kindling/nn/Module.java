package org.kindling.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.kindling.tensor.DType;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;

/**
 * Base class of all layers and models ({@code nn.Module}). A module registers its parameters,
 * buffers and child modules in order; the recursive views ({@link #parameters()},
 * {@link #namedParameters()}, {@link #stateDict()}) use PyTorch's dotted names
 * ({@code features.0.weight}).
 *
 * <pre>
 * class Net extends Module {
 *     final Linear fc1 = register("fc1", new Linear(784, 128));
 *     final Linear fc2 = register("fc2", new Linear(128, 10));
 *
 *     &#64;Override
 *     public Tensor forward(Tensor x) {
 *         return fc2.forward(fc1.forward(x).relu());
 *     }
 * }
 * </pre>
 */
public abstract class Module {
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Boolean> persistent = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /**
     * The forward pass for modules with one tensor input. Modules with other inputs (several
     * tensors, states) define their own {@code forward} overloads and may leave this one.
     */
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + " has no single-tensor forward; see its own forward methods");
    }

    // ------------------------------------------------------------------ registration

    /** Registers (or replaces, or with null removes) a parameter; returns it for field initialisation. */
    protected <P extends Parameter> P registerParameter(String name, P param) {
        checkName(name);
        if (param == null) {
            params.remove(name);
        } else {
            params.put(name, param);
        }
        return param;
    }

    /** Registers a buffer (state that is not trained, such as running means); persistent ones go into stateDict. */
    protected Tensor registerBuffer(String name, Tensor buffer, boolean persistentBuffer) {
        checkName(name);
        if (buffer == null) {
            buffers.remove(name);
            persistent.remove(name);
        } else {
            buffers.put(name, buffer);
            persistent.put(name, persistentBuffer);
        }
        return buffer;
    }

    protected Tensor registerBuffer(String name, Tensor buffer) {
        return registerBuffer(name, buffer, true);
    }

    /** Registers a child module under {@code name}; returns it for field initialisation. */
    protected <M extends Module> M register(String name, M module) {
        checkName(name);
        if (module == null) {
            children.remove(name);
        } else {
            children.put(name, module);
        }
        return module;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module attribute name must be non-empty and contain no '.', got \""
                    + name + "\"");
        }
    }

    /** The parameter registered under a direct name, or null. */
    public Parameter getParameter(String name) {
        return params.get(name);
    }

    /** The buffer registered under a direct name, or null. */
    public Tensor getBuffer(String name) {
        return buffers.get(name);
    }

    /** Replaces the value of a registered buffer (e.g. running statistics). */
    protected void setBuffer(String name, Tensor value) {
        if (!buffers.containsKey(name)) throw new IllegalArgumentException("no buffer named " + name);
        buffers.put(name, value);
    }

    // ------------------------------------------------------------------ recursive views

    /** All parameters of this module and its descendants, each once, in registration order. */
    public List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Parameters by dotted name; a parameter shared by two modules appears once (first name). */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        IdentityHashMap<Tensor, Boolean> seen = new IdentityHashMap<>();
        collectParams("", out, seen);
        return out;
    }

    private void collectParams(String prefix, Map<String, Parameter> out, IdentityHashMap<Tensor, Boolean> seen) {
        for (var e : params.entrySet()) {
            if (seen.put(e.getValue(), Boolean.TRUE) == null) out.put(prefix + e.getKey(), e.getValue());
        }
        for (var e : children.entrySet()) e.getValue().collectParams(prefix + e.getKey() + ".", out, seen);
    }

    public List<Tensor> buffers() {
        return new ArrayList<>(namedBuffers().values());
    }

    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectBuffers("", out, false);
        return out;
    }

    private void collectBuffers(String prefix, Map<String, Tensor> out, boolean persistentOnly) {
        for (var e : buffers.entrySet()) {
            if (!persistentOnly || persistent.get(e.getKey())) out.put(prefix + e.getKey(), e.getValue());
        }
        for (var e : children.entrySet()) e.getValue().collectBuffers(prefix + e.getKey() + ".", out, persistentOnly);
    }

    /** Direct children in registration order. */
    public List<Module> children() {
        return new ArrayList<>(children.values());
    }

    public Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /** This module and all descendants, depth first, each once. */
    public List<Module> modules() {
        return new ArrayList<>(namedModules().values());
    }

    /** Descendants by dotted name; this module is "". */
    public Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", out, new IdentityHashMap<>());
        return out;
    }

    private void collectModules(String name, Map<String, Module> out, IdentityHashMap<Module, Boolean> seen) {
        if (seen.put(this, Boolean.TRUE) != null) return;
        out.put(name, this);
        for (var e : children.entrySet()) {
            e.getValue().collectModules(name.isEmpty() ? e.getKey() : name + "." + e.getKey(), out, seen);
        }
    }

    // ------------------------------------------------------------------ modes and utilities

    /** Training mode (dropout active, batch norm updating its statistics), recursively. */
    public Module train(boolean mode) {
        training = mode;
        for (Module c : children.values()) c.train(mode);
        return this;
    }

    public Module train() {
        return train(true);
    }

    /** Evaluation mode, recursively. */
    public Module eval() {
        return train(false);
    }

    public boolean isTraining() {
        return training;
    }

    /** Clears every parameter's gradient (set to null, as PyTorch 2's default). */
    public void zeroGrad() {
        for (Parameter p : parameters()) p.setGrad(null);
    }

    /** Calls {@code fn} on every descendant, children before parents, then on this module. */
    public Module apply(Consumer<Module> fn) {
        for (Module c : children.values()) c.apply(fn);
        fn.accept(this);
        return this;
    }

    /** Converts floating-point parameters and buffers to {@code dtype} in place (the objects stay the same). */
    public Module to(DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("Module.to only accepts floating point dtypes, got " + dtype);
        }
        try (var g = GradMode.noGrad()) {
            for (Module m : modules()) {
                for (Parameter p : m.params.values()) {
                    if (p.isFloatingPoint() && p.dtype() != dtype) {
                        p.setData(p.to(dtype));
                        p.setGrad(null);
                    }
                }
                for (var e : m.buffers.entrySet()) {
                    Tensor b = e.getValue();
                    if (b.isFloatingPoint() && b.dtype() != dtype) e.setValue(b.to(dtype));
                }
            }
        }
        return this;
    }

    /** Number of elements in all parameters. */
    public long numParameters() {
        long n = 0;
        for (Parameter p : parameters()) n += p.numel();
        return n;
    }

    // ------------------------------------------------------------------ state dict

    /** Parameters and persistent buffers by dotted name, detached, in registration order. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        for (var e : params.entrySet()) out.put(prefix + e.getKey(), e.getValue().detach());
        for (var e : buffers.entrySet()) {
            if (persistent.get(e.getKey())) out.put(prefix + e.getKey(), e.getValue().detach());
        }
        for (var e : children.entrySet()) e.getValue().collectState(prefix + e.getKey() + ".", out);
    }

    /** Keys that did not match in {@link #loadStateDict(Map, boolean)}. */
    public record IncompatibleKeys(List<String> missingKeys, List<String> unexpectedKeys) {}

    /**
     * Copies values into the parameters and buffers with the same dotted names. With
     * {@code strict}, missing or unexpected keys are an error listing them; a shape mismatch is
     * always an error naming the key and both shapes.
     */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = new LinkedHashMap<>();
        Map<String, Module> owners = new LinkedHashMap<>();
        collectTargets("", own, owners);
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (String k : own.keySet()) if (!state.containsKey(k)) missing.add(k);
        for (String k : state.keySet()) if (!own.containsKey(k)) unexpected.add(k);
        for (var e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) continue;
            int[] want = e.getValue().shape().toArray();
            int[] got = src.shape().toArray();
            if (!Arrays.equals(want, got)) {
                mismatched.add("size mismatch for " + e.getKey() + ": copying a param with shape " + src.shape()
                        + " from checkpoint, the shape in current model is " + e.getValue().shape() + ".");
            }
        }
        if (!mismatched.isEmpty() || strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
            StringBuilder sb = new StringBuilder("Error(s) in loading state_dict for " + getClass().getSimpleName() + ":");
            if (strict && !missing.isEmpty()) sb.append("\n\tMissing key(s) in state_dict: ").append(quoted(missing)).append('.');
            if (strict && !unexpected.isEmpty()) {
                sb.append("\n\tUnexpected key(s) in state_dict: ").append(quoted(unexpected)).append('.');
            }
            for (String m : mismatched) sb.append("\n\t").append(m);
            throw new IllegalArgumentException(sb.toString());
        }
        try (var g = GradMode.noGrad()) {
            for (var e : own.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src != null) e.getValue().copy_(src);
            }
        }
        return new IncompatibleKeys(missing, unexpected);
    }

    /** {@link #loadStateDict(Map, boolean)} with strict = true. */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> state) {
        return loadStateDict(state, true);
    }

    private static String quoted(List<String> keys) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append('"').append(keys.get(i)).append('"');
        }
        return sb.toString();
    }

    private void collectTargets(String prefix, Map<String, Tensor> out, Map<String, Module> owners) {
        for (var e : params.entrySet()) {
            out.put(prefix + e.getKey(), e.getValue());
            owners.put(prefix + e.getKey(), this);
        }
        for (var e : buffers.entrySet()) {
            if (persistent.get(e.getKey())) {
                out.put(prefix + e.getKey(), e.getValue());
                owners.put(prefix + e.getKey(), this);
            }
        }
        for (var e : children.entrySet()) e.getValue().collectTargets(prefix + e.getKey() + ".", out, owners);
    }

    // ------------------------------------------------------------------ printing

    /** Extra text between the parentheses of this module's line, e.g. {@code in_features=4, out_features=2, bias=True}. */
    public String extraRepr() {
        return "";
    }

    /** PyTorch's module tree printout. */
    @Override
    public String toString() {
        String extra = extraRepr();
        if (children.isEmpty()) return getClass().getSimpleName() + "(" + extra + ")";
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append("(");
        if (!extra.isEmpty()) sb.append("\n  ").append(extra.replace("\n", "\n  "));
        for (var e : children.entrySet()) {
            sb.append("\n  (").append(e.getKey()).append("): ").append(e.getValue().toString().replace("\n", "\n  "));
        }
        return sb.append("\n)").toString();
    }
}
