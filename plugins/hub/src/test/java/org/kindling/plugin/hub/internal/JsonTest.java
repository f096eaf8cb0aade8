package org.kindling.plugin.hub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void roundTripsObjectsArraysStringsAndNumbers() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a \"quoted\"\n\ttab \u0001");
        m.put("n", 3L);
        m.put("d", 0.25);
        m.put("b", true);
        m.put("z", null);
        m.put("l", List.of(1L, "x"));
        m.put("o", Map.of());
        assertEquals(m, Json.parse(Json.write(m)));
        assertEquals("{\n  \"a\": [1, 2]\n}\n", Json.write(Map.of("a", List.of(1, 2))));
        assertEquals("null\n", Json.write(Double.NaN), "non-finite numbers are not JSON");
    }

    @Test
    void rejectsMalformedInputNamingTheOffset() {
        assertEquals("malformed JSON at offset 11: expected no duplicate key 'a', found '1'",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1,\"a\":1}")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{} trailing"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[".repeat(100) + "]".repeat(100)));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"\\x\""));
    }
}
