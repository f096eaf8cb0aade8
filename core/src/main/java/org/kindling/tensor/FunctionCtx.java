package org.kindling.tensor;

import java.util.HashMap;
import java.util.Map;

/**
 * What a {@link Function}'s forward leaves for its backward: saved tensors (checked against
 * in-place modification), which inputs need a gradient, and any other values.
 *
 * <pre>
 * ctx.saveForBackward(x, weight);
 * ctx.put("dim", 1);
 * ...
 * Tensor[] saved = ctx.savedTensors();   // throws if x or weight was modified in place since
 * </pre>
 */
public final class FunctionCtx {
    private final String opName;
    private final boolean[] needsInputGrad;
    private Tensor[] saved = new Tensor[0];
    private int[] savedVersions = new int[0];
    private boolean released;
    private Map<String, Object> values;

    FunctionCtx(String opName, boolean[] needsInputGrad) {
        this.opName = opName;
        this.needsInputGrad = needsInputGrad;
    }

    /** Keeps tensors for backward; their version is recorded so that later in-place changes are caught. */
    public void saveForBackward(Tensor... tensors) {
        saved = tensors.clone();
        savedVersions = new int[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            savedVersions[i] = tensors[i] == null ? 0 : tensors[i].version();
        }
    }

    /**
     * The tensors saved in forward.
     *
     * @throws IllegalStateException if the graph was freed by an earlier backward, or a saved
     *     tensor was modified in place after it was saved
     */
    public Tensor[] savedTensors() {
        if (released) {
            throw new IllegalStateException("Trying to backward through the graph a second time (or directly access "
                    + "saved tensors after they have already been freed) in " + opName
                    + ". Specify retainGraph=true if you need to backward through the graph a second time.");
        }
        for (int i = 0; i < saved.length; i++) {
            if (saved[i] != null && saved[i].version() != savedVersions[i]) {
                throw new IllegalStateException("one of the variables needed for gradient computation has been "
                        + "modified by an inplace operation: input " + i + " of " + opName + " with shape "
                        + saved[i].shape() + " is at version " + saved[i].version() + "; expected version "
                        + savedVersions[i] + " instead.");
            }
        }
        return saved.clone();
    }

    /** True if input {@code i} of the forward call needs a gradient. */
    public boolean needsInputGrad(int i) {
        return needsInputGrad[i];
    }

    /** Stores a non-tensor value for backward. */
    public void put(String key, Object value) {
        if (values == null) values = new HashMap<>();
        values.put(key, value);
    }

    /** A value stored by {@link #put}. */
    @SuppressWarnings("unchecked")
    public <T> T get(String key) {
        if (released) savedTensors();
        if (values == null || !values.containsKey(key)) {
            throw new IllegalStateException(opName + ": no value saved under '" + key + "'");
        }
        return (T) values.get(key);
    }

    /** The name of the op, for messages. */
    public String opName() {
        return opName;
    }

    void release() {
        released = true;
        saved = new Tensor[0];
        values = null;
    }
}
