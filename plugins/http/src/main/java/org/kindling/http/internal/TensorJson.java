package org.kindling.http.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.kindling.plugin.ElementType;
import org.kindling.plugin.TensorData;

/**
 * Tensors in JSON. A tensor is either {@code {"shape": [1, 2], "data": [0.5, -1], "dtype": "float32"}} (dtype
 * optional, float32 by default; shape optional for a vector) or a nested array such as {@code [[0.5, -1]]}, whose
 * nesting gives the shape. Outputs are always written in the first form.
 *
 * <p>Inputs are read with the streaming parser straight into {@code double[]}: a tree of JSON nodes would take tens
 * of bytes per number, so a body at the size limit could cost hundreds of megabytes per request.
 */
public final class TensorJson {
    private TensorJson() {
    }

    /**
     * Reads a prediction body {@code {"inputs": {"<name>": tensor, ...}}}; other top-level fields are ignored.
     *
     * @param p a parser before the body's first token
     * @throws ApiException 400 naming the field and the problem
     * @throws IOException for malformed JSON (the caller names it) or a broken stream
     */
    public static Map<String, TensorData> readInputs(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw ApiException.badRequest("expected a JSON object as the body, found " + describe(first, p));
        }
        Map<String, TensorData> inputs = null;
        List<String> fields = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            fields.add(field);
            JsonToken value = p.nextToken();
            if (field.equals("inputs")) {
                inputs = readNamed(p, value, "inputs");
            } else {
                p.skipChildren();
            }
        }
        if (p.nextToken() != null) {
            throw ApiException.badRequest("malformed JSON: trailing content after the body's object ("
                    + location(p) + ")");
        }
        if (inputs == null) {
            throw ApiException.badRequest("expected {\"inputs\": {\"<name>\": {\"shape\": [...], \"data\": [...]}}},"
                    + " found fields " + (fields.isEmpty() ? "(none)" : String.join(", ", fields)));
        }
        return inputs;
    }

    private static Map<String, TensorData> readNamed(JsonParser p, JsonToken token, String where) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            throw ApiException.badRequest("'" + where + "' must be a non-empty object of name -> tensor, found "
                    + describe(token, p));
        }
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            tensors.put(name, read(p, p.nextToken(), where + "." + name));
        }
        if (tensors.isEmpty()) {
            throw ApiException.badRequest("'" + where + "' must be a non-empty object of name -> tensor, found {}");
        }
        return tensors;
    }

    /** Reads one tensor in either form; {@code token} is the parser's current token. */
    static TensorData read(JsonParser p, JsonToken token, String where) throws IOException {
        if (token == JsonToken.START_ARRAY) {
            return readNested(p, where);
        }
        if (token != JsonToken.START_OBJECT) {
            throw ApiException.badRequest("'" + where + "' must be a tensor ({\"shape\": [...], \"data\": [...]} or a"
                    + " nested array of numbers), found " + describe(token, p));
        }
        ElementType type = ElementType.FLOAT32;
        int[] shape = null;
        Values data = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "dtype" -> type = dtype(p, value, where);
                case "shape" -> shape = shape(p, value, where);
                case "data" -> {
                    if (value != JsonToken.START_ARRAY) {
                        throw ApiException.badRequest("'" + where + ".data' must be an array of numbers, found "
                                + describe(value, p));
                    }
                    data = new Values();
                    int i = 0;
                    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                        data.add(number(p, t, where + ".data[" + i++ + "]"));
                    }
                }
                default -> throw ApiException.badRequest("'" + where + "' has an unknown field '" + field
                        + "'; a tensor has shape, data and dtype");
            }
        }
        if (data == null) {
            throw ApiException.badRequest("'" + where + ".data' must be an array of numbers, found nothing");
        }
        if (shape == null) {
            shape = new int[] {data.size};
        }
        checkCount(shape, data.size, where);
        return new TensorData(type, shape, data.toArray());
    }

    private static void checkCount(int[] shape, int count, String where) {
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
        if (saturated || expected != count) {
            throw ApiException.badRequest("'" + where + "': shape " + Arrays.toString(shape) + " holds "
                    + (saturated ? "more than " + Long.MAX_VALUE : Long.toString(expected))
                    + " values, but data has " + count);
        }
    }

    /**
     * A nested array: the sizes seen at each depth must agree (checked as each array closes) and every number
     * must sit at the same depth.
     */
    private static TensorData readNested(JsonParser p, String where) throws IOException {
        List<Integer> dims = new ArrayList<>();
        Values values = new Values();
        int[] leafDepth = {-1};
        nested(p, 0, dims, leafDepth, values, where);
        int rank = leafDepth[0] >= 0 ? leafDepth[0] : dims.size();
        int[] shape = dims.subList(0, rank).stream().mapToInt(Integer::intValue).toArray();
        checkCount(shape, values.size, where);
        return new TensorData(ElementType.FLOAT32, shape, values.toArray());
    }

    private static void nested(JsonParser p, int depth, List<Integer> dims, int[] leafDepth, Values values,
                               String where) throws IOException {
        while (dims.size() <= depth) {
            dims.add(-1); // the size at this depth, known once the first array at it closes
        }
        int count = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            String at = where + "[" + count + "]";
            if (t == JsonToken.START_ARRAY) {
                if (leafDepth[0] >= 0 && leafDepth[0] <= depth + 1) {
                    throw notRectangular(at, "a number", "an array");
                }
                nested(p, depth + 1, dims, leafDepth, values, at);
            } else {
                double v = number(p, t, at);
                if (leafDepth[0] < 0) {
                    if (dims.size() > depth + 1) {
                        throw notRectangular(at, "an array", "a number");
                    }
                    leafDepth[0] = depth + 1;
                } else if (leafDepth[0] != depth + 1) {
                    throw notRectangular(at, "an array", "a number");
                }
                values.add(v);
            }
            count++;
        }
        if (dims.get(depth) < 0) {
            dims.set(depth, count);
        } else if (dims.get(depth) != count) {
            throw ApiException.badRequest("'" + where + "' is not rectangular: expected an array of " + dims.get(depth)
                    + " at depth " + depth + ", found an array of " + count);
        }
    }

    private static ApiException notRectangular(String where, String expected, String found) {
        return ApiException.badRequest("'" + where + "' is not rectangular: expected " + expected + ", found " + found);
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

    private static int[] shape(JsonParser p, JsonToken token, String where) throws IOException {
        if (token != JsonToken.START_ARRAY) {
            throw ApiException.badRequest("'" + where + ".shape' must be an array of integers, found " + describe(token, p));
        }
        List<Integer> dims = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT || p.getIntValue() < 0) {
                throw ApiException.badRequest("'" + where + ".shape' must hold integers >= 0, found " + describe(t, p));
            }
            dims.add(p.getIntValue());
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    private static ElementType dtype(JsonParser p, JsonToken token, String where) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return ElementType.FLOAT32;
        }
        String text = token == JsonToken.VALUE_STRING ? p.getText() : "";
        try {
            return ElementType.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'" + where + ".dtype' must be one of float32, float64, int32, int64, bool;"
                    + " found " + describe(token, p));
        }
    }

    private static double number(JsonParser p, JsonToken token, String where) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
            return token == JsonToken.VALUE_TRUE ? 1 : 0;
        }
        throw ApiException.badRequest("'" + where + "' must be a number, found " + describe(token, p));
    }

    private static String describe(JsonToken token, JsonParser p) throws IOException {
        if (token == null) {
            return "nothing";
        }
        switch (token) {
            case START_OBJECT: return "an object";
            case START_ARRAY: return "an array";
            case VALUE_STRING:
                String text = p.getText();
                return "string \"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
            case VALUE_NULL: return "null";
            default: return p.getText();
        }
    }

    private static String location(JsonParser p) {
        return "line " + p.currentLocation().getLineNr() + ", column " + p.currentLocation().getColumnNr();
    }

    /** A growable double[]: 8 bytes per number, whatever the body holds. */
    private static final class Values {
        double[] data = new double[16];
        int size;

        void add(double v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = v;
        }

        double[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
