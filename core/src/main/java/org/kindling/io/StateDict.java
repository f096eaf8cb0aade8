package org.kindling.io;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.kindling.tensor.Tensor;

/**
 * An ordered map from parameter names to tensors, PyTorch's {@code state_dict}: names are dotted
 * paths such as {@code features.0.weight}, iteration follows insertion order. Beside the tensors a
 * state dict carries optional string metadata, written as the {@code __metadata__} entry of a
 * safetensors file.
 *
 * <p>The map holds tensors, it does not copy them: saving reads their current values. Equality is
 * {@link Map} equality over the tensors (metadata is not compared), so a state dict equals a
 * {@code LinkedHashMap} with the same entries. Not thread-safe.
 *
 * <pre>
 * StateDict sd = new StateDict();
 * sd.put("fc.weight", Kindling.randn(10, 784));
 * sd.put("fc.bias", Kindling.zeros(10));
 * sd.putMetadata("format", "pt");
 * Safetensors.save(sd, Path.of("fc.safetensors"));
 * </pre>
 */
public final class StateDict extends AbstractMap<String, Tensor> {
    /** The header key safetensors reserves for metadata; not allowed as a tensor name. */
    public static final String METADATA_KEY = "__metadata__";

    private final LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    private final LinkedHashMap<String, String> metadata = new LinkedHashMap<>();

    /** An empty state dict. */
    public StateDict() {}

    /**
     * A state dict with the entries of {@code tensors} in their iteration order; when
     * {@code tensors} is a StateDict its metadata is copied too.
     *
     * @throws IllegalArgumentException if a name is {@code __metadata__}
     * @throws NullPointerException if a name or tensor is null
     */
    public StateDict(Map<String, Tensor> tensors) {
        Objects.requireNonNull(tensors, "tensors");
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) put(e.getKey(), e.getValue());
        if (tensors instanceof StateDict other) metadata.putAll(other.metadata);
    }

    /**
     * Adds or replaces the tensor called {@code name}.
     *
     * @return the tensor previously under that name, or null
     * @throws IllegalArgumentException if {@code name} is {@code __metadata__}
     * @throws NullPointerException if {@code name} or {@code tensor} is null
     */
    @Override
    public Tensor put(String name, Tensor tensor) {
        checkName(name);
        Objects.requireNonNull(tensor, () -> "tensor for '" + name + "' is null");
        return tensors.put(name, tensor);
    }

    static void checkName(String name) {
        Objects.requireNonNull(name, "tensor name is null");
        if (name.equals(METADATA_KEY)) {
            throw new IllegalArgumentException("'" + METADATA_KEY + "' is reserved for metadata and cannot name a tensor");
        }
    }

    @Override
    public Tensor get(Object name) {
        return tensors.get(name);
    }

    @Override
    public boolean containsKey(Object name) {
        return tensors.containsKey(name);
    }

    @Override
    public Tensor remove(Object name) {
        return tensors.remove(name);
    }

    @Override
    public int size() {
        return tensors.size();
    }

    @Override
    public void clear() {
        tensors.clear();
    }

    @Override
    public Set<String> keySet() {
        return tensors.keySet();
    }

    /**
     * The entries in order. Removal through the set or its iterator works; {@code setValue} is not
     * checked here, so a null set that way is reported when the state dict is saved.
     */
    @Override
    public Set<Map.Entry<String, Tensor>> entrySet() {
        return tensors.entrySet();
    }

    /** The metadata, in insertion order, as a read-only view. */
    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /**
     * Sets a metadata entry (safetensors {@code __metadata__}, string to string).
     *
     * @return this state dict, for chaining
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    public StateDict putMetadata(String key, String value) {
        Objects.requireNonNull(key, "metadata key is null");
        Objects.requireNonNull(value, () -> "metadata value for '" + key + "' is null");
        metadata.put(key, value);
        return this;
    }

    /** Removes a metadata entry; returns its value or null. */
    public String removeMetadata(String key) {
        return metadata.remove(key);
    }

    /** A short summary: names with dtype and shape, not the values. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("StateDict(");
        int shown = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (shown > 0) sb.append(", ");
            if (shown == 20) {
                sb.append("... ").append(tensors.size() - shown).append(" more");
                break;
            }
            Tensor t = e.getValue();
            sb.append(e.getKey()).append(": ");
            if (t == null) {
                sb.append("null");
            } else {
                sb.append(t.dtype().pytorchName()).append(t.shape());
            }
            shown++;
        }
        if (!metadata.isEmpty()) sb.append(tensors.isEmpty() ? "" : "; ").append("metadata=").append(metadata);
        return sb.append(')').toString();
    }
}
