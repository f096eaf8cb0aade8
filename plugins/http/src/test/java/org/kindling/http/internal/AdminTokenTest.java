package org.kindling.http.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdminTokenTest {
    @Test
    void acceptsOnlyTheBearerToken() {
        AdminToken token = new AdminToken("s3cret");
        assertDoesNotThrow(() -> token.check("Bearer s3cret"));
        assertDoesNotThrow(() -> token.check("bearer  s3cret "));
        for (String wrong : new String[] {null, "", "s3cret", "Basic s3cret", "Bearer s3cre", "Bearer s3cret2"}) {
            ApiException e = assertThrows(ApiException.class, () -> token.check(wrong), String.valueOf(wrong));
            assertEquals(401, e.status());
            assertTrue(e.headers().get("WWW-Authenticate").startsWith("Bearer"));
        }
        assertThrows(IllegalArgumentException.class, () -> new AdminToken(" "));
    }

    @Test
    void generatedTokensAre43UrlSafeCharactersAndDiffer() {
        String a = AdminToken.generate();
        assertTrue(a.matches("[A-Za-z0-9_-]{43}"), a);
        assertNotEquals(a, AdminToken.generate());
    }
}
