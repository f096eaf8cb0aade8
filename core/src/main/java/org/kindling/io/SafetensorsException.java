package org.kindling.io;

import java.io.IOException;

/**
 * A safetensors file that is malformed, truncated, unsupported or larger than the
 * {@link Safetensors.Limits} allow. The message names the file, the tensor when there is one, and
 * the problem, for example
 * {@code model.safetensors: tensor 'fc.weight': data_offsets [0, 40] span 40 bytes but dtype F32 with shape [3, 4] needs 48}.
 *
 * <pre>
 * try {
 *     StateDict sd = Safetensors.load(path);
 * } catch (SafetensorsException e) {
 *     log.warn("rejected " + e.tensor() + ": " + e.getMessage());
 * }
 * </pre>
 */
public class SafetensorsException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String tensor;

    /** An error not tied to one tensor. */
    public SafetensorsException(String message) {
        this(message, null);
    }

    /** An error about the tensor called {@code tensor} (may be null). */
    public SafetensorsException(String message, String tensor) {
        super(message);
        this.tensor = tensor;
    }

    /** The name of the tensor the error is about, or null when it is about the file as a whole. */
    public String tensor() {
        return tensor;
    }
}
