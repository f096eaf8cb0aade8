package org.kindling.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One request and its response, with the JSON and text writers every handler uses. */
public final class Exchange {
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final ObjectMapper mapper;
    private int status = 200;

    public Exchange(HttpServletRequest request, HttpServletResponse response, ObjectMapper mapper) {
        this.request = request;
        this.response = response;
        this.mapper = mapper;
    }

    public HttpServletRequest request() {
        return request;
    }

    public HttpServletResponse response() {
        return response;
    }

    /** The status sent (or about to be sent); 200 until a writer sets another. */
    public int status() {
        return status;
    }

    public ObjectNode object() {
        return mapper.createObjectNode();
    }

    public void json(int status, JsonNode body) throws IOException {
        send(status, "application/json", mapper.writeValueAsBytes(body));
    }

    public void text(int status, String contentType, String body) throws IOException {
        send(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public void noContent() {
        status = 204;
        response.setStatus(204);
    }

    public void error(int status, String message, Map<String, String> headers) throws IOException {
        headers.forEach(response::setHeader);
        ObjectNode body = mapper.createObjectNode();
        body.put("error", message);
        body.put("status", status);
        json(status, body);
    }

    /** Writes an error unless the response is already committed, in which case the status is only recorded. */
    public void errorIfOpen(int status, String message) throws IOException {
        if (response.isCommitted()) {
            this.status = status;
            return;
        }
        response.reset();
        error(status, message, Map.of());
    }

    private void send(int status, String contentType, byte[] bytes) throws IOException {
        this.status = status;
        response.setStatus(status);
        response.setContentType(contentType.contains("charset") ? contentType : contentType + "; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(bytes.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(bytes);
        }
    }
}
