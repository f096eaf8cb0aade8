package org.kindling.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

class RouterTest {
    private final Router<String> router = new Router<String>()
            .add("GET", "/models", "list")
            .add("GET", "/models/{name}", "get")
            .add("DELETE", "/models/{name}", "delete")
            .add("POST", "/models/{name}/predict", "predict");

    @Test
    void bindsPathParametersAndIgnoresSlashesAtTheEnds() {
        Router.Match<String> m = router.match("POST", "/models/mnist:2/predict/");
        assertEquals("predict", m.handler());
        assertEquals("/models/{name}/predict", m.template());
        assertEquals(Map.of("name", "mnist:2"), m.params());
        assertEquals("list", router.match("GET", "models").handler());
    }

    @Test
    void unknownPathsAre404AndKnownPathsWithOtherMethods405() {
        ApiException missing = assertThrows(ApiException.class, () -> router.match("GET", "/models/a/b/c"));
        assertEquals(404, missing.status());
        assertEquals("no route for GET /models/a/b/c", missing.getMessage());
        ApiException method = assertThrows(ApiException.class, () -> router.match("PUT", "/models/x"));
        assertEquals(405, method.status());
        assertEquals("GET, DELETE", method.headers().get("Allow"));
        assertThrows(ApiException.class, () -> router.match("GET", "/models//predict"));
    }
}
