package org.kindling.http.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.kindling.plugin.ElementType;
import org.kindling.plugin.TensorData;

class TensorJsonTest {
    private static final JsonFactory FACTORY = new JsonFactory();

    private static TensorData read(String json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return TensorJson.read(p, p.nextToken(), "x");
        }
    }

    private static String error(String json) {
        return assertThrows(ApiException.class, () -> read(json), json).getMessage();
    }

    @Test
    void readsTheObjectFormWithDtypeInAnyFieldOrder() throws Exception {
        TensorData t = read("{\"data\": [3, -4], \"dtype\": \"int64\", \"shape\": [2, 1]}");
        assertEquals(ElementType.INT64, t.type());
        assertArrayEquals(new int[] {2, 1}, t.shape());
        assertArrayEquals(new double[] {3, -4}, t.values());
        assertArrayEquals(new int[] {3}, read("{\"data\": [1, 2.5, true]}").shape());
    }

    @Test
    void nestedArraysGiveTheirShape() throws Exception {
        TensorData t = read("[[[1, 2, 3]], [[4, 5, 6]]]");
        assertArrayEquals(new int[] {2, 1, 3}, t.shape());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, t.values());
        assertArrayEquals(new int[] {0}, read("[]").shape());
        assertArrayEquals(new int[] {2, 0}, read("[[], []]").shape());
        double[] many = read("[" + "0.5,".repeat(99_999) + "0.5]").values();
        assertEquals(100_000, many.length);
        assertEquals(0.5, many[99_999]);
    }

    @Test
    void errorsNameTheFieldAndTheProblem() {
        assertEquals("'x[1]' is not rectangular: expected an array of 2 at depth 1, found an array of 1",
                error("[[1, 2], [3]]"));
        assertEquals("'x[0][1]' is not rectangular: expected a number, found an array", error("[[1, [2]]]"));
        assertEquals("'x[1]' is not rectangular: expected an array, found a number", error("[[[]], 1]"));
        assertEquals("'x[1]' is not rectangular: expected an array of 1 at depth 1, found an array of 0",
                error("[[[1]], []]"));
        assertEquals("'x[1]' must be a number, found string \"a\"", error("[1, \"a\"]"));
        assertEquals("'x.dtype' must be one of float32, float64, int32, int64, bool; found string \"half\"",
                error("{\"data\": [1], \"dtype\": \"half\"}"));
        assertEquals("'x.shape' must hold integers >= 0, found -1", error("{\"shape\": [-1], \"data\": []}"));
        assertEquals("'x' has an unknown field 'values'; a tensor has shape, data and dtype", error("{\"values\": [1]}"));
        assertEquals("'x': shape [2147483647, 2147483647, 2147483647] holds more than 9223372036854775807 values,"
                + " but data has 1", error("{\"shape\": [2147483647, 2147483647, 2147483647], \"data\": [1]}"));
        assertEquals("'x': shape [3, 0] holds 0 values, but data has 1", error("{\"shape\": [3, 0], \"data\": [1]}"));
    }

    @Test
    void inputsAreANonEmptyObjectOfNamedTensors() throws Exception {
        try (JsonParser p = FACTORY.createParser("{\"id\": 1, \"inputs\": {\"a\": [1], \"b\": {\"data\": [2]}}}")) {
            Map<String, TensorData> inputs = TensorJson.readInputs(p);
            assertEquals(List.of("a", "b"), List.copyOf(inputs.keySet()));
            assertEquals(2, inputs.get("b").get(0));
        }
        for (String[] c : new String[][] {
                {"[1]", "expected a JSON object as the body, found an array"},
                {"{\"input\": {}}", "expected {\"inputs\": {\"<name>\": {\"shape\": [...], \"data\": [...]}}}, found fields input"},
                {"{\"inputs\": {}}", "'inputs' must be a non-empty object of name -> tensor, found {}"},
                {"{\"inputs\": {\"x\": [1]}} 7", "malformed JSON: trailing content after the body's object (line 1, column 25)"}}) {
            try (JsonParser p = FACTORY.createParser(c[0])) {
                assertEquals(c[1], assertThrows(ApiException.class, () -> TensorJson.readInputs(p), c[0]).getMessage());
            }
        }
    }

    @Test
    void writesIntegersWithoutFractionsAndFloatsAsFloat32() {
        assertEquals("{\"dtype\":\"int32\",\"shape\":[2],\"data\":[7,-1]}",
                TensorJson.write(new TensorData(ElementType.INT32, new int[] {2}, new double[] {7, -1})).toString());
        assertEquals("{\"dtype\":\"float32\",\"shape\":[1],\"data\":[0.1]}",
                TensorJson.write(TensorData.float32(new int[] {1}, 0.1f)).toString());
    }
}
