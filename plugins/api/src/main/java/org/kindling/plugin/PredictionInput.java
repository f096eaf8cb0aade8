package org.kindling.plugin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a client sends to a {@link Predictor}: named tensors, or raw bytes (an image, UTF-8 text) with their media
 * type, for predictors that decode such input themselves.
 *
 * <pre>
 * PredictionInput.tensors(Map.of("x", TensorData.float32(new int[] {1, 2}, 0.3f, -0.7f)));
 * PredictionInput.bytes(Files.readAllBytes(Path.of("cat.png")), "image/png");
 * </pre>
 */
public final class PredictionInput {

    private final Map<String, TensorData> tensors;
    private final byte[] bytes;
    private final String mediaType;

    private PredictionInput(Map<String, TensorData> tensors, byte[] bytes, String mediaType) {
        this.tensors = tensors;
        this.bytes = bytes;
        this.mediaType = mediaType;
    }

    /** @param tensors input name to tensor @return a tensor input */
    public static PredictionInput tensors(Map<String, TensorData> tensors) {
        return new PredictionInput(Collections.unmodifiableMap(new LinkedHashMap<>(tensors)), null, null);
    }

    /** @param bytes raw content @param mediaType its media type, such as "image/png" or "text/plain" @return a raw input */
    public static PredictionInput bytes(byte[] bytes, String mediaType) {
        return new PredictionInput(Map.of(), bytes.clone(), mediaType == null ? "application/octet-stream" : mediaType);
    }

    /** @return true for raw bytes, false for tensors */
    public boolean isRaw() {
        return bytes != null;
    }

    /** @return the named tensors (empty for raw input) */
    public Map<String, TensorData> tensors() {
        return tensors;
    }

    /** @return a copy of the raw bytes, or null for tensor input */
    public byte[] bytes() {
        return bytes == null ? null : bytes.clone();
    }

    /** @return the raw bytes' media type, or null for tensor input */
    public String mediaType() {
        return mediaType;
    }
}
