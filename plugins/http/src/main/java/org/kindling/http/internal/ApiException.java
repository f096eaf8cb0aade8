package org.kindling.http.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request that cannot be served, with the HTTP status and the one-line message the client sees
 * as {@code {"error": message}}. Never carries a stack trace to the client.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public ApiException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
