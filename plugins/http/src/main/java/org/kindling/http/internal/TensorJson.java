package org.kindling.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.kindling.plugin.ElementType;
import org.kindling.plugin.TensorData;

/**
 * Tensors in JSON. A tensor is either {@code {"shape": [1, 2], "data": [0.5, -1], "dtype": "float32"}} (dtype
 * optional, float32 by default) or a nested array such as {@code [[0.5, -1]]}, whose nesting gives the shape.
 * Outputs are always written in the first form.
 */
public final class TensorJson {
    private TensorJson() {
    }

    /** Reads {@code {"name": tensor, ...}}; {@code where} names the field in error messages. */
    public static Map<String, TensorData> readAll(JsonNode node, String where) {
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw ApiException.badRequest("'" + where + "' must be a non-empty object of name -> tensor, found "
                    + kind(node));
        }
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            tensors.put(f.getKey(), read(f.getValue(), where + "." + f.getKey()));
        }
        return tensors;
    }

    /** Reads one tensor in either form. */
    public static TensorData read(JsonNode node, String where) {
        if (node != null && node.isArray()) {
            return readNested((ArrayNode) node, where);
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("'" + where + "' must be a tensor ({\"shape\": [...], \"data\": [...]} or a"
                    + " nested array of numbers), found " + kind(node));
        }
        ElementType type = dtype(node.get("dtype"), where);
        JsonNode shapeNode = node.get("shape");
        JsonNode dataNode = node.get("data");
        if (dataNode == null || !dataNode.isArray()) {
            throw ApiException.badRequest("'" + where + ".data' must be an array of numbers, found " + kind(dataNode));
        }
        int[] shape;
        if (shapeNode == null) {
            shape = new int[] {dataNode.size()};
        } else if (shapeNode.isArray()) {
            shape = new int[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                JsonNode d = shapeNode.get(i);
                if (!d.canConvertToInt() || !d.isIntegralNumber() || d.intValue() < 0) {
                    throw ApiException.badRequest("'" + where + ".shape' must hold integers >= 0, found " + d);
                }
                shape[i] = d.intValue();
            }
        } else {
            throw ApiException.badRequest("'" + where + ".shape' must be an array of integers, found " + kind(shapeNode));
        }
        long expected = 1;
        boolean saturated = false;
        for (int d : shape) {
            if (d == 0) {
                expected = 0;
                saturated = false;
                break;
            }
            if (expected > Long.MAX_VALUE / d) {
                saturated = true;
            } else {
                expected *= d;
            }
        }
        if (saturated || expected != dataNode.size()) {
            throw ApiException.badRequest("'" + where + "': shape " + Arrays.toString(shape) + " holds "
                    + (saturated ? "more than " + Long.MAX_VALUE : Long.toString(expected))
                    + " values, but data has " + dataNode.size());
        }
        double[] values = new double[dataNode.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = number(dataNode.get(i), where + ".data[" + i + "]");
        }
        return new TensorData(type, shape, values);
    }

    private static TensorData readNested(ArrayNode root, String where) {
        List<Integer> shape = new ArrayList<>();
        JsonNode probe = root;
        while (probe.isArray()) {
            shape.add(probe.size());
            if (probe.isEmpty()) {
                break;
            }
            probe = probe.get(0);
        }
        int[] dims = shape.stream().mapToInt(Integer::intValue).toArray();
        // Walk first: the leaf count of a rectangular array is the product of dims, and walking costs only what
        // the client sent, whereas allocating the product of the first row's sizes could be huge.
        int leaves = countRectangular(root, 0, dims, where);
        double[] values = new double[leaves];
        int[] filled = {0};
        flatten(root, 0, dims, values, filled, where);
        return new TensorData(ElementType.FLOAT32, dims, values);
    }

    private static int countRectangular(JsonNode node, int depth, int[] dims, String where) {
        if (depth == dims.length) {
            return 1;
        }
        if (!node.isArray() || node.size() != dims[depth]) {
            throw ApiException.badRequest("'" + where + "' is not rectangular: expected an array of " + dims[depth]
                    + " at depth " + depth + ", found " + (node.isArray() ? "an array of " + node.size() : kind(node)));
        }
        int total = 0;
        for (int i = 0; i < node.size(); i++) {
            total += countRectangular(node.get(i), depth + 1, dims, where + "[" + i + "]");
        }
        return total;
    }

    private static void flatten(JsonNode node, int depth, int[] dims, double[] out, int[] filled, String where) {
        if (depth == dims.length) {
            out[filled[0]++] = number(node, where);
            return;
        }
        for (int i = 0; i < node.size(); i++) {
            flatten(node.get(i), depth + 1, dims, out, filled, where + "[" + i + "]");
        }
    }

    /** Writes {@code {"name": {"dtype", "shape", "data"}, ...}}. */
    public static ObjectNode writeAll(Map<String, TensorData> tensors) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        tensors.forEach((name, t) -> out.set(name, write(t)));
        return out;
    }

    public static ObjectNode write(TensorData t) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("dtype", t.type().name().toLowerCase(Locale.ROOT));
        ArrayNode shape = node.putArray("shape");
        for (int d : t.shape()) {
            shape.add(d);
        }
        ArrayNode data = node.putArray("data");
        boolean integral = t.type() != ElementType.FLOAT32 && t.type() != ElementType.FLOAT64;
        for (int i = 0; i < t.numel(); i++) {
            double v = t.get(i);
            if (integral) {
                data.add((long) v);
            } else if (t.type() == ElementType.FLOAT32) {
                data.add((float) v);
            } else {
                data.add(v);
            }
        }
        return node;
    }

    private static ElementType dtype(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return ElementType.FLOAT32;
        }
        try {
            return ElementType.valueOf(node.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'" + where + ".dtype' must be one of float32, float64, int32, int64, bool;"
                    + " found " + node);
        }
    }

    private static double number(JsonNode node, String where) {
        if (node != null && node.isNumber()) {
            return node.doubleValue();
        }
        if (node != null && node.isBoolean()) {
            return node.booleanValue() ? 1 : 0;
        }
        throw ApiException.badRequest("'" + where + "' must be a number, found " + kind(node));
    }

    static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.toString();
        return node.getNodeType().name().toLowerCase(Locale.ROOT) + " "
                + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }
}
