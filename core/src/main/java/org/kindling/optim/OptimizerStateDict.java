package org.kindling.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/**
 * A snapshot of an optimizer's state, PyTorch's {@code optimizer.state_dict()}: the per-parameter
 * state keyed by parameter index (parameters are numbered in order across all groups) and, for each
 * group, the indices of its parameters and its options. Values are tensors (copies, never the live
 * state), {@link Long} step counts, and the option values of {@link ParamGroup}.
 *
 * <p>{@link #toTensors()} flattens it into a name to tensor map that
 * {@code org.kindling.io.Checkpoints} can save; {@link #fromTensors} reads it back:
 *
 * <pre>
 * Checkpoints.save(opt.stateDict().toTensors(), Path.of("opt.safetensors"));
 * // later, with an optimizer built the same way over the same parameters:
 * opt.loadStateDict(OptimizerStateDict.fromTensors(Checkpoints.load(Path.of("opt.safetensors"))));
 * </pre>
 *
 * Flattened names are {@code state.<i>.<key>} (numbers become 0-dim tensors: int64 for step
 * counts), {@code param_groups.<g>.params} (int64) and {@code param_groups.<g>.<option>} (float64
 * scalars, float64 vectors for lists such as betas, bool for flags).
 *
 * @param state per-parameter state by parameter index, in index order (unmodifiable)
 * @param paramGroups the groups in order (unmodifiable)
 */
public record OptimizerStateDict(Map<Integer, Map<String, Object>> state, List<Group> paramGroups) {
    private static final String STATE = "state.";
    private static final String GROUPS = "param_groups.";

    /**
     * One parameter group: the indices of its parameters and its options.
     *
     * @param params parameter indices
     * @param options the group's options, without {@code params}
     */
    public record Group(List<Integer> params, Map<String, Object> options) {
        public Group {
            params = List.copyOf(params);
            options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        }
    }

    public OptimizerStateDict {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(paramGroups, "paramGroups");
        TreeMap<Integer, Map<String, Object>> s = new TreeMap<>();
        for (Map.Entry<Integer, Map<String, Object>> e : state.entrySet()) {
            s.put(e.getKey(), Collections.unmodifiableMap(new LinkedHashMap<>(e.getValue())));
        }
        state = Collections.unmodifiableMap(s);
        paramGroups = List.copyOf(paramGroups);
    }

    /**
     * This state dict as a flat name to tensor map (for checkpoint files). Tensors are included
     * as they are, not copied.
     *
     * @throws IllegalArgumentException if an option or state value cannot be written as a tensor
     *     (a string, say), or a name contains a '.'
     */
    public Map<String, Tensor> toTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<Integer, Map<String, Object>> e : state.entrySet()) {
            for (Map.Entry<String, Object> v : e.getValue().entrySet()) {
                String name = STATE + e.getKey() + "." + checkName(v.getKey());
                out.put(name, toTensor(name, v.getValue()));
            }
        }
        for (int g = 0; g < paramGroups.size(); g++) {
            Group group = paramGroups.get(g);
            long[] ids = group.params().stream().mapToLong(Integer::longValue).toArray();
            out.put(GROUPS + g + ".params", Kindling.fromArray(ids, ids.length));
            for (Map.Entry<String, Object> o : group.options().entrySet()) {
                String name = GROUPS + g + "." + checkName(o.getKey());
                out.put(name, toTensor(name, o.getValue()));
            }
        }
        return out;
    }

    /**
     * Reads the map written by {@link #toTensors()}. In the state, 0-dim int64 tensors become
     * {@link Long}s (step counts) and other tensors stay tensors; options become doubles, booleans
     * or lists of doubles.
     *
     * @throws IllegalArgumentException if a name is not one {@link #toTensors()} writes, or a group
     *     has no {@code params} entry
     */
    public static OptimizerStateDict fromTensors(Map<String, Tensor> tensors) {
        TreeMap<Integer, Map<String, Object>> state = new TreeMap<>();
        TreeMap<Integer, List<Integer>> groupParams = new TreeMap<>();
        TreeMap<Integer, Map<String, Object>> groupOptions = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            String[] parts = name.split("\\.", 3);
            if (parts.length != 3) throw new IllegalArgumentException("not an optimizer state entry: '" + name + "'");
            int index = parseIndex(name, parts[1]);
            if (name.startsWith(STATE)) {
                Object v = t.dim() == 0 && t.dtype() == DType.INT64 ? (Object) t.itemLong() : t;
                state.computeIfAbsent(index, k -> new LinkedHashMap<>()).put(parts[2], v);
            } else if (name.startsWith(GROUPS)) {
                groupOptions.computeIfAbsent(index, k -> new LinkedHashMap<>());
                if (parts[2].equals("params")) {
                    List<Integer> ids = new ArrayList<>();
                    for (long id : t.to(DType.INT64).toLongArray()) ids.add(Math.toIntExact(id));
                    groupParams.put(index, ids);
                } else {
                    groupOptions.get(index).put(parts[2], fromTensor(name, t));
                }
            } else {
                throw new IllegalArgumentException("not an optimizer state entry: '" + name + "'");
            }
        }
        List<Group> groups = new ArrayList<>();
        int expected = 0;
        for (Map.Entry<Integer, Map<String, Object>> e : groupOptions.entrySet()) {
            if (e.getKey() != expected) {
                throw new IllegalArgumentException("param_groups." + expected + " is missing");
            }
            List<Integer> ids = groupParams.get(e.getKey());
            if (ids == null) throw new IllegalArgumentException("param_groups." + e.getKey() + ".params is missing");
            groups.add(new Group(ids, e.getValue()));
            expected++;
        }
        return new OptimizerStateDict(state, groups);
    }

    private static String checkName(String key) {
        if (key.contains(".")) throw new IllegalArgumentException("name '" + key + "' contains a '.'");
        return key;
    }

    private static int parseIndex(String name, String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("not an optimizer state entry: '" + name + "'");
        }
    }

    private static Tensor toTensor(String name, Object v) {
        if (v instanceof Tensor t) return t;
        if (v instanceof Long || v instanceof Integer) return Kindling.scalar(((Number) v).longValue());
        if (v instanceof Number n) return Kindling.full(new int[0], n.doubleValue(), DType.FLOAT64);
        if (v instanceof Boolean b) return Kindling.full(new int[0], b ? 1 : 0, DType.BOOL);
        if (v instanceof List<?> l && l.stream().allMatch(x -> x instanceof Number)) {
            double[] d = new double[l.size()];
            for (int i = 0; i < d.length; i++) d[i] = ((Number) l.get(i)).doubleValue();
            return Kindling.fromArray(d, d.length).to(DType.FLOAT64);
        }
        throw new IllegalArgumentException("'" + name + "' of type " + v.getClass().getSimpleName()
                + " cannot be stored as a tensor");
    }

    private static Object fromTensor(String name, Tensor t) {
        if (t.dtype() == DType.BOOL && t.dim() == 0) return t.item() != 0;
        if (t.dim() == 0) return t.item();
        if (t.dim() == 1 && t.dtype() != DType.BOOL) {
            List<Double> l = new ArrayList<>();
            for (double d : t.toDoubleArray()) l.add(d);
            return Collections.unmodifiableList(l);
        }
        throw new IllegalArgumentException("'" + name + "' has shape " + t.shape() + "; options are scalars or vectors");
    }
}
