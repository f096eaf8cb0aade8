package org.kindling.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.kindling.tensor.Tensor;

/**
 * PyTorch-style names for saving and loading weights: the counterpart of {@code torch.save} /
 * {@code torch.load} for state dicts, in the safetensors format (see {@link Safetensors} for the
 * format, the atomic write and the checks made on files read).
 *
 * <pre>
 * Checkpoints.save(model.stateDict(), Path.of("model.safetensors"));
 * model.loadStateDict(Checkpoints.load(Path.of("model.safetensors")));
 * </pre>
 */
public final class Checkpoints {
    private Checkpoints() {}

    /**
     * Saves a state dict (its metadata too when it is a {@link StateDict}) atomically; same as
     * {@link Safetensors#save(Map, Path)}.
     */
    public static void save(Map<String, Tensor> stateDict, Path path) throws IOException {
        Safetensors.save(stateDict, path);
    }

    /** Loads a state dict with the default limits; same as {@link Safetensors#load(Path)}. */
    public static StateDict load(Path path) throws IOException {
        return Safetensors.load(path);
    }

    /** Loads a state dict within {@code limits}; same as {@link Safetensors#load(Path, Safetensors.Limits)}. */
    public static StateDict load(Path path, Safetensors.Limits limits) throws IOException {
        return Safetensors.load(path, limits);
    }
}
