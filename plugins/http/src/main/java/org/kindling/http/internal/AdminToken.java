package org.kindling.http.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The bearer token that admin calls must present. Compared in constant time
 * ({@link MessageDigest#isEqual}) over SHA-256 digests, so neither the content nor the length of
 * the expected token leaks through response timing.
 */
public final class AdminToken {
    private static final String BEARER = "Bearer ";

    private final byte[] expectedDigest;

    public AdminToken(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("admin token must not be blank");
        }
        this.expectedDigest = sha256(token);
    }

    /** 32 random bytes from {@link SecureRandom}, URL-safe base64 without padding (43 characters). */
    public static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Checks an {@code Authorization} header value.
     *
     * @throws ApiException 401 with {@code WWW-Authenticate: Bearer} when the header is missing,
     *     not a bearer token, or the token does not match
     */
    public void check(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw unauthorized("this call needs the admin token: send 'Authorization: Bearer <token>'");
        }
        String presented = authorization.substring(BEARER.length()).trim();
        if (!MessageDigest.isEqual(expectedDigest, sha256(presented))) {
            throw unauthorized("the admin token does not match");
        }
    }

    private static ApiException unauthorized(String message) {
        return new ApiException(401, message).header("WWW-Authenticate", "Bearer realm=\"kindling\"");
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
