package org.kindling.plugin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A model file format a plugin provides as a service ("safetensors" from the hub over core, "onnx" from the onnx
 * plugin). The model store uses it to check files it imports and to write stored models in this format.
 *
 * <pre>
 * &#64;Component(property = ModelFormat.NAME + "=safetensors")
 * public class SafetensorsFormat implements ModelFormat { ... }
 * </pre>
 */
@ConsumerType
public interface ModelFormat {

    /** Service property: the format's name (String). */
    String NAME = "model.format";

    /** @return the format's name, such as "safetensors"; equal to the {@link #NAME} property */
    String name();

    /** @return the usual file extension with its dot, such as ".safetensors" */
    String fileExtension();

    /**
     * Checks an untrusted file of this format (sizes checked against limits before anything is allocated) and
     * describes it.
     *
     * @param file the file
     * @return properties describing it, such as {@code tensors=4}
     * @throws IOException with a message naming what was expected and found when the file is not valid
     */
    Map<String, String> inspect(Path file) throws IOException;

    /**
     * @param source a stored model
     * @return true if {@link #write} can produce this format from it
     */
    boolean canWrite(ModelInfo source);

    /**
     * Writes a stored model in this format.
     *
     * @param source the stored model's metadata
     * @param sourceFile its file
     * @param target the file to write (the store writes it atomically around this call)
     * @throws IOException when reading or writing fails
     */
    void write(ModelInfo source, Path sourceFile, Path target) throws IOException;
}
