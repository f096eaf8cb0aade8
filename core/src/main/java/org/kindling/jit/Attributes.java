package org.kindling.jit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kindling.tensor.Tensor;

/**
 * The typed, immutable attributes of a {@link Node}, with ONNX's attribute kinds. Getters take the
 * spec's default for an absent attribute and fail with a message naming the attribute when the kind
 * is wrong.
 *
 * <pre>
 * Attributes a = Attributes.builder().put("axis", 1).put("perm", new long[] {0, 2, 1}).build();
 * long axis = a.getInt("axis", -1);       // 1
 * float alpha = a.getFloat("alpha", 0.2f); // 0.2 (absent)
 * </pre>
 */
public final class Attributes {

    /** ONNX attribute kinds. */
    public enum Kind { FLOAT, INT, STRING, TENSOR, GRAPH, FLOATS, INTS, STRINGS, TENSORS, GRAPHS }

    private static final Attributes EMPTY = new Attributes(Map.of(), Map.of());

    private final Map<String, Object> values;
    private final Map<String, Kind> kinds;

    private Attributes(Map<String, Object> values, Map<String, Kind> kinds) {
        this.values = values;
        this.kinds = kinds;
    }

    public static Attributes empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these attributes. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.values.putAll(values);
        b.kinds.putAll(kinds);
        return b;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(values.keySet());
    }

    public int size() {
        return values.size();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The kind of an attribute, or null when absent. */
    public Kind kind(String name) {
        return kinds.get(name);
    }

    /** The raw value (Float, Long, String, Tensor, Graph, float[], long[], List) or null; arrays are copies. */
    public Object get(String name) {
        Object v = values.get(name);
        if (v instanceof float[] f) return f.clone();
        if (v instanceof long[] l) return l.clone();
        return v;
    }

    public long getInt(String name) {
        return (Long) require(name, Kind.INT);
    }

    public long getInt(String name, long defaultValue) {
        return has(name) ? getInt(name) : defaultValue;
    }

    public float getFloat(String name) {
        return (Float) require(name, Kind.FLOAT);
    }

    public float getFloat(String name, float defaultValue) {
        return has(name) ? getFloat(name) : defaultValue;
    }

    public String getString(String name) {
        return (String) require(name, Kind.STRING);
    }

    public String getString(String name, String defaultValue) {
        return has(name) ? getString(name) : defaultValue;
    }

    public long[] getInts(String name) {
        return ((long[]) require(name, Kind.INTS)).clone();
    }

    /** The ints, or {@code defaultValue} (may be null) when absent. */
    public long[] getInts(String name, long[] defaultValue) {
        return has(name) ? getInts(name) : defaultValue;
    }

    public float[] getFloats(String name) {
        return ((float[]) require(name, Kind.FLOATS)).clone();
    }

    public float[] getFloats(String name, float[] defaultValue) {
        return has(name) ? getFloats(name) : defaultValue;
    }

    @SuppressWarnings("unchecked")
    public List<String> getStrings(String name) {
        return (List<String>) require(name, Kind.STRINGS);
    }

    public List<String> getStrings(String name, List<String> defaultValue) {
        return has(name) ? getStrings(name) : defaultValue;
    }

    public Tensor getTensor(String name) {
        return (Tensor) require(name, Kind.TENSOR);
    }

    public Tensor getTensor(String name, Tensor defaultValue) {
        return has(name) ? getTensor(name) : defaultValue;
    }

    @SuppressWarnings("unchecked")
    public List<Tensor> getTensors(String name) {
        return (List<Tensor>) require(name, Kind.TENSORS);
    }

    public Graph getGraph(String name) {
        return (Graph) require(name, Kind.GRAPH);
    }

    @SuppressWarnings("unchecked")
    public List<Graph> getGraphs(String name) {
        return (List<Graph>) require(name, Kind.GRAPHS);
    }

    private Object require(String name, Kind kind) {
        Kind actual = kinds.get(name);
        if (actual == null) throw new IllegalArgumentException("attribute '" + name + "' is required but absent");
        if (actual != kind) {
            throw new IllegalArgumentException("attribute '" + name + "': expected " + kind + " but found " + actual);
        }
        return values.get(name);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Attributes a) || !a.kinds.equals(kinds)) return false;
        for (var e : values.entrySet()) {
            Object x = e.getValue(), y = a.values.get(e.getKey());
            boolean same = x instanceof float[] f ? java.util.Arrays.equals(f, (float[]) y)
                    : x instanceof long[] l ? java.util.Arrays.equals(l, (long[]) y)
                    : x.equals(y);
            if (!same) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        return kinds.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (var e : values.entrySet()) {
            if (sb.length() > 1) sb.append(", ");
            Object v = e.getValue();
            String text = v instanceof float[] f ? java.util.Arrays.toString(f)
                    : v instanceof long[] l ? java.util.Arrays.toString(l)
                    : v instanceof Tensor t ? "tensor" + t.shape()
                    : v instanceof Graph g ? "graph " + g.name()
                    : v instanceof String s ? "'" + s + "'"
                    : String.valueOf(v);
            sb.append(e.getKey()).append('=').append(text);
        }
        return sb.append('}').toString();
    }

    /** Collects attributes; {@link #build()} freezes them. */
    public static final class Builder {
        private final Map<String, Object> values = new LinkedHashMap<>();
        private final Map<String, Kind> kinds = new LinkedHashMap<>();

        private Builder set(String name, Kind kind, Object value) {
            if (name == null || name.isEmpty()) throw new IllegalArgumentException("attribute name must not be empty");
            if (value == null) throw new NullPointerException("attribute '" + name + "' value is null");
            values.put(name, value);
            kinds.put(name, kind);
            return this;
        }

        public Builder put(String name, long value) {
            return set(name, Kind.INT, value);
        }

        public Builder put(String name, float value) {
            return set(name, Kind.FLOAT, value);
        }

        public Builder put(String name, double value) {
            return set(name, Kind.FLOAT, (float) value);
        }

        public Builder put(String name, String value) {
            return set(name, Kind.STRING, value);
        }

        public Builder put(String name, long[] value) {
            return set(name, Kind.INTS, value.clone());
        }

        public Builder put(String name, int[] value) {
            long[] l = new long[value.length];
            for (int i = 0; i < l.length; i++) l[i] = value[i];
            return set(name, Kind.INTS, l);
        }

        public Builder put(String name, float[] value) {
            return set(name, Kind.FLOATS, value.clone());
        }

        public Builder put(String name, Tensor value) {
            return set(name, Kind.TENSOR, value);
        }

        public Builder put(String name, Graph value) {
            return set(name, Kind.GRAPH, value);
        }

        public Builder putStrings(String name, List<String> value) {
            return set(name, Kind.STRINGS, List.copyOf(value));
        }

        public Builder putTensors(String name, List<Tensor> value) {
            return set(name, Kind.TENSORS, List.copyOf(value));
        }

        public Builder putGraphs(String name, List<Graph> value) {
            return set(name, Kind.GRAPHS, List.copyOf(value));
        }

        public Builder remove(String name) {
            values.remove(name);
            kinds.remove(name);
            return this;
        }

        public Attributes build() {
            if (values.isEmpty()) return EMPTY;
            return new Attributes(Collections.unmodifiableMap(new LinkedHashMap<>(values)),
                    Collections.unmodifiableMap(new LinkedHashMap<>(kinds)));
        }
    }
}
