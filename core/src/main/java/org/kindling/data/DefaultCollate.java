package org.kindling.data;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kindling.Kindling;
import org.kindling.tensor.Tensor;

/** {@link Collate#defaultCollate()}: splits each item into named fields and stacks every field. */
final class DefaultCollate implements Collate<Object, Batch> {
    static final DefaultCollate INSTANCE = new DefaultCollate();

    private static final String HINT = "; the default collate stacks Tensors, numbers, booleans and primitive arrays,"
            + " alone or as the fields of an Example, List, Map or record. Pass a custom Collate to the"
            + " DataLoader builder for anything else";

    private DefaultCollate() {}

    /** An item split into fields; {@code kind} must agree across the items of a batch. */
    private record Fields(String kind, List<String> names, List<Object> values, Map<?, ?> map) {}

    @Override
    public Batch collate(List<?> items) {
        if (items.isEmpty()) throw new IllegalArgumentException("collate: expected at least one item, got an empty list");
        Fields first = fields(items.get(0), 0);
        int width = first.names().size();
        List<List<Object>> columns = new ArrayList<>(width);
        for (int j = 0; j < width; j++) columns.add(new ArrayList<>(items.size()));
        for (int i = 0; i < items.size(); i++) {
            Fields f = i == 0 ? first : fields(items.get(i), i);
            if (!f.kind().equals(first.kind())) {
                throw new IllegalArgumentException("collate: item " + i + " is " + f.kind() + " but item 0 is " + first.kind());
            }
            List<Object> values = f.values();
            if (first.map() != null) { // a map: the same keys, read in item 0's order
                if (!f.map().keySet().equals(first.map().keySet())) {
                    throw new IllegalArgumentException("collate: item " + i + " has keys " + f.map().keySet()
                            + " but item 0 has " + first.map().keySet());
                }
                values = new ArrayList<>(width);
                for (Object key : first.map().keySet()) values.add(f.map().get(key));
            } else if (values.size() != width) {
                throw new IllegalArgumentException("collate: item " + i + " has " + values.size()
                        + " fields but item 0 has " + width);
            }
            for (int j = 0; j < width; j++) columns.get(j).add(values.get(j));
        }
        List<Tensor> tensors = new ArrayList<>(width);
        for (int j = 0; j < width; j++) tensors.add(stackField(columns.get(j), first.names().get(j)));
        return new Batch(first.names(), tensors);
    }

    private static Fields fields(Object item, int i) {
        if (item == null) throw new IllegalArgumentException("collate: item " + i + " is null");
        if (isLeaf(item)) return new Fields("a single value", List.of("0"), List.of(item), null);
        if (item instanceof Example e) return positional("an Example", new ArrayList<>(e.tensors()));
        if (item instanceof List<?> l) return positional("a List", new ArrayList<>(l));
        if (item instanceof Map<?, ?> m) {
            List<String> names = new ArrayList<>(m.size());
            List<Object> values = new ArrayList<>(m.size());
            for (Map.Entry<?, ?> en : m.entrySet()) {
                names.add(String.valueOf(en.getKey()));
                values.add(en.getValue());
            }
            return new Fields("a Map", names, values, m);
        }
        if (item.getClass().isRecord()) {
            RecordComponent[] rc = item.getClass().getRecordComponents();
            List<String> names = new ArrayList<>(rc.length);
            List<Object> values = new ArrayList<>(rc.length);
            for (RecordComponent c : rc) {
                names.add(c.getName());
                values.add(read(item, c.getAccessor()));
            }
            return new Fields("a " + item.getClass().getName(), names, values, null);
        }
        throw new IllegalArgumentException("collate: cannot collate item " + i + " of type " + item.getClass().getName() + HINT);
    }

    private static Fields positional(String kind, List<Object> values) {
        List<String> names = new ArrayList<>(values.size());
        for (int j = 0; j < values.size(); j++) names.add(Integer.toString(j));
        return new Fields(kind, names, values, null);
    }

    private static Object read(Object record, Method accessor) {
        try {
            if (!accessor.canAccess(record)) accessor.trySetAccessible();
            return accessor.invoke(record);
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("collate: cannot read component " + accessor.getName() + " of "
                    + record.getClass().getName() + " (" + e.getMessage() + "); make the record public or pass a custom Collate", e);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("collate: reading component " + accessor.getName() + " of "
                    + record.getClass().getName() + " failed: " + e.getCause(), e.getCause());
        }
    }

    private static boolean isLeaf(Object v) {
        return v instanceof Tensor || v instanceof Number || v instanceof Boolean || v.getClass().isArray();
    }

    private static Tensor stackField(List<Object> column, String name) {
        Object v0 = column.get(0);
        String group0 = group(v0);
        for (int i = 1; i < column.size(); i++) {
            Object v = column.get(i);
            String g = group(v);
            if (!g.equals(group0)) {
                throw new IllegalArgumentException("collate: field '" + name + "' is " + describe(v0) + " in item 0 but "
                        + describe(v) + " in item " + i);
            }
        }
        int n = column.size();
        switch (group0) {
            case "tensor", "array" -> {
                List<Tensor> ts = new ArrayList<>(n);
                for (Object v : column) ts.add(v instanceof Tensor t ? t : Kindling.tensor(v));
                for (int i = 1; i < n; i++) {
                    if (!ts.get(i).shape().equals(ts.get(0).shape())) {
                        throw new IllegalArgumentException("collate: field '" + name + "' must have the same shape in every item,"
                                + " but item 0 has " + ts.get(0).shape() + " and item " + i + " has " + ts.get(i).shape());
                    }
                }
                return Kindling.stack(ts, 0);
            }
            case "integer" -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) a[i] = ((Number) column.get(i)).longValue();
                return Kindling.tensor(a);
            }
            case "float" -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) a[i] = (Float) column.get(i);
                return Kindling.tensor(a);
            }
            case "double" -> {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) a[i] = (Double) column.get(i);
                return Kindling.tensor(a);
            }
            case "boolean" -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) a[i] = (Boolean) column.get(i);
                return Kindling.tensor(a);
            }
            default -> throw new IllegalArgumentException("collate: cannot collate field '" + name + "' of type "
                    + (v0 == null ? "null" : v0.getClass().getName()) + HINT);
        }
    }

    /** Values of one group stack together. */
    private static String group(Object v) {
        if (v instanceof Tensor) return "tensor";
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) return "integer";
        if (v instanceof Float) return "float";
        if (v instanceof Double) return "double";
        if (v instanceof Boolean) return "boolean";
        if (v != null && v.getClass().isArray()) return "array";
        return "other";
    }

    private static String describe(Object v) {
        if (v == null) return "null";
        if (v instanceof Tensor) return "a Tensor";
        String n = v.getClass().getSimpleName();
        return ("AEIOU".indexOf(n.isEmpty() ? 'x' : n.charAt(0)) >= 0 ? "an " : "a ") + n;
    }
}
