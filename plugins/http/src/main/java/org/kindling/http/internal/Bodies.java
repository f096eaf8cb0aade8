package org.kindling.http.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.kindling.plugin.TensorData;

/**
 * Reads request bodies under a byte budget and parses JSON with explicit limits: bodies are
 * untrusted, so a declared {@code Content-Length} over the budget is refused before anything is
 * read, and a chunked body is counted as it arrives.
 */
public final class Bodies {
    /** At most this many bytes beyond a limit are read and dropped so that the client can read the 413. */
    static final long SWALLOW_BYTES = 2L << 20;

    private final long maxBytes;
    private final ObjectMapper mapper;

    public Bodies(long maxBytes) {
        this.maxBytes = maxBytes;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64)
                        .maxNumberLength(64)
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxBytes))
                        .build())
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The whole body, or 413 when it is (or says it is) larger than the budget. */
    public byte[] read(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 && declared <= maxBytes ? (int) declared : 256);
        transfer(request, out, maxBytes);
        return out.toByteArray();
    }

    /**
     * Streams the body to {@code target} (replacing it), refusing with 413 beyond {@code limit} bytes.
     *
     * @return the number of bytes written
     */
    public long copyTo(HttpServletRequest request, Path target, long limit) throws IOException {
        try (OutputStream out = Files.newOutputStream(target)) {
            return transfer(request, out, limit);
        }
    }

    private static long transfer(HttpServletRequest request, OutputStream out, long limit) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(request, declared + " bytes declared", limit);
        }
        long total = 0;
        byte[] chunk = new byte[65536];
        InputStream in = request.getInputStream();
        int n;
        while ((n = in.read(chunk)) > 0) {
            total += n;
            if (total > limit) {
                throw tooLarge(request, "more than " + limit + " bytes sent", limit);
            }
            out.write(chunk, 0, n);
        }
        return total;
    }

    /**
     * The body parsed as a JSON object; an empty body reads as {@code {}}.
     *
     * @throws ApiException 400 naming the problem and where it is, 413 when too large
     */
    public JsonNode readObject(HttpServletRequest request) throws IOException {
        byte[] body = read(request);
        if (body.length == 0) {
            return mapper.createObjectNode();
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON: " + describe(e));
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("expected a JSON object as the body, found "
                    + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        }
        return node;
    }

    /**
     * The body parsed as a prediction request {@code {"inputs": {...}}}, streamed into tensors.
     *
     * @throws ApiException 400 naming the problem and where it is, 413 when too large
     */
    public Map<String, TensorData> readTensors(HttpServletRequest request) throws IOException {
        byte[] body = read(request);
        try (JsonParser parser = mapper.getFactory().createParser(body)) {
            return TensorJson.readInputs(parser);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON: " + describe(e));
        }
    }

    /** A short description of a JSON value for error messages: its type and its first 40 characters. */
    static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.toString();
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " "
                + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }

    /**
     * The 413 for a body over {@code limit}. A client that is still sending reads no response once the server
     * closes the connection on unread bytes, so up to {@link #SWALLOW_BYTES} more are read and dropped first (as
     * servlet containers do); beyond that the connection is simply closed.
     */
    private static ApiException tooLarge(HttpServletRequest request, String found, long limit) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared < 0 || declared - limit <= SWALLOW_BYTES) {
            InputStream in = request.getInputStream();
            byte[] sink = new byte[65536];
            long dropped = 0;
            int n;
            while (dropped <= SWALLOW_BYTES && (n = in.read(sink)) > 0) {
                dropped += n;
            }
        }
        return new ApiException(413, "request body too large: " + found + ", the limit is " + limit + " bytes");
    }

    static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        JsonLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            message += " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        }
        return message;
    }
}
