package org.kindling.plugin;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The hub's folder of trained models. Each version is a file plus a JSON metadata file; writes go to a temporary
 * file and are renamed into place, so a crash never leaves a half-written model under its real name. The store
 * belongs to the hub, not to a plugin, so models survive plugin updates and hub restarts.
 *
 * <pre>
 * ModelStore models = hub.models();
 * ModelInfo latest = models.get("demo-mlp").orElseThrow();
 * Path exported = models.export("demo-mlp", "safetensors", Path.of("out"));
 * </pre>
 */
@ProviderType
public interface ModelStore {

    /** @return every stored version, sorted by name then version */
    List<ModelInfo> list();

    /**
     * @param name a model name
     * @return its latest version, or empty
     */
    Optional<ModelInfo> get(String name);

    /**
     * @param name a model name
     * @param version a version number
     * @return that version, or empty
     */
    Optional<ModelInfo> get(String name, int version);

    /**
     * @param model a stored model
     * @return the path of its file inside the store; read it, never write it
     */
    Path file(ModelInfo model);

    /**
     * Copies a model file into the store as the next version of its name.
     *
     * @param model the file and metadata
     * @return the stored version's metadata
     * @throws HubException FAILED naming the file when it cannot be read or the store cannot be written
     */
    ModelInfo put(NewModel model);

    /**
     * Imports an external model file after its {@link ModelFormat} checked it.
     *
     * @param file the file
     * @param name the name to store it under
     * @param format a format name, or null to choose by the file's extension
     * @return the stored version
     * @throws HubException NOT_FOUND for an unknown format, BAD_REQUEST when the file is not valid in that format
     */
    ModelInfo importFile(Path file, String name, String format);

    /**
     * Writes the latest version of a model in a format, converting it if needed.
     *
     * @param name the model name, or {@code name:version}
     * @param format the target format name
     * @param targetDir the folder to write into (created if missing); nothing is written outside it
     * @return the file written
     * @throws HubException NOT_FOUND for an unknown model or format, BAD_REQUEST when the format cannot convert it
     */
    Path export(String name, String format, Path targetDir);

    /**
     * Deletes every version of a model.
     *
     * @param name the model name, or {@code name:version} to delete one version
     * @return true if something was deleted
     */
    boolean delete(String name);

    /** @return the names of the formats the installed plugins provide, sorted */
    List<String> formats();
}
