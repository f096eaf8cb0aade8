package org.kindling.http.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.kindling.plugin.ElementType;
import org.kindling.plugin.TensorData;

class TensorJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    @Test
    void readsTheObjectFormWithDtype() throws Exception {
        TensorData t = TensorJson.read(json("{\"shape\": [2, 1], \"data\": [3, -4], \"dtype\": \"int64\"}"), "x");
        assertEquals(ElementType.INT64, t.type());
        assertArrayEquals(new int[] {2, 1}, t.shape());
        assertArrayEquals(new double[] {3, -4}, t.values());
    }

    @Test
    void nestedArraysGiveTheirShape() throws Exception {
        TensorData t = TensorJson.read(json("[[[1, 2, 3]], [[4, 5, 6]]]"), "x");
        assertArrayEquals(new int[] {2, 1, 3}, t.shape());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, t.values());
        assertArrayEquals(new int[] {0}, TensorJson.read(json("[]"), "x").shape());
    }

    @Test
    void errorsNameTheFieldAndTheProblem() throws Exception {
        ApiException ragged = assertThrows(ApiException.class, () -> TensorJson.read(json("[[1, 2], [3]]"), "inputs.x"));
        assertEquals(400, ragged.status());
        assertEquals("'inputs.x[1]' is not rectangular: expected an array of 2 at depth 1, found an array of 1",
                ragged.getMessage());
        ApiException text = assertThrows(ApiException.class, () -> TensorJson.read(json("[1, \"a\"]"), "x"));
        assertEquals("'x[1]' must be a number, found string \"a\"", text.getMessage());
        ApiException dtype = assertThrows(ApiException.class,
                () -> TensorJson.read(json("{\"data\": [1], \"dtype\": \"half\"}"), "x"));
        assertEquals("'x.dtype' must be one of float32, float64, int32, int64, bool; found \"half\"", dtype.getMessage());
        ApiException overflow = assertThrows(ApiException.class, () -> TensorJson.read(
                json("{\"shape\": [2147483647, 2147483647, 2147483647], \"data\": [1]}"), "x"));
        assertEquals("'x': shape [2147483647, 2147483647, 2147483647] holds more than 9223372036854775807 values,"
                + " but data has 1", overflow.getMessage());
        ApiException zero = assertThrows(ApiException.class,
                () -> TensorJson.read(json("{\"shape\": [3, 0], \"data\": [1]}"), "x"));
        assertEquals("'x': shape [3, 0] holds 0 values, but data has 1", zero.getMessage());
    }

    @Test
    void writesIntegersWithoutFractionsAndFloatsAsFloat32() {
        assertEquals("{\"dtype\":\"int32\",\"shape\":[2],\"data\":[7,-1]}",
                TensorJson.write(new TensorData(ElementType.INT32, new int[] {2}, new double[] {7, -1})).toString());
        assertEquals("{\"dtype\":\"float32\",\"shape\":[1],\"data\":[0.1]}",
                TensorJson.write(TensorData.float32(new int[] {1}, 0.1f)).toString());
    }
}
