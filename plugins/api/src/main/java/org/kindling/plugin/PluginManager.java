package org.kindling.plugin;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Lists, installs, updates and uninstalls plugins. Installing copies the jar into the hub's deploy folder, so hot
 * deployment (FileInstall) does the rest and the plugin comes back after a restart; what this service adds is
 * checking the jar first and waiting until the plugin is active or has failed.
 *
 * <pre>
 * PluginInfo p = hub.plugins().install(Path.of("my-plugin.jar"));
 * if (!p.failure().isEmpty()) System.err.println(p.failure());  // e.g. "unresolved imports: com.example.missing"
 * </pre>
 */
@ProviderType
public interface PluginManager {

    /** @return every installed bundle and every deploy-folder file that failed to install, by symbolic name */
    List<PluginInfo> list();

    /**
     * @param id a symbolic name or a bundle id
     * @return the plugin, or empty
     */
    Optional<PluginInfo> get(String id);

    /**
     * Installs (or, when a plugin with the same symbolic name is deployed, replaces) a plugin jar.
     *
     * @param jar the bundle jar
     * @return its state once it is active, has failed, or 10 s passed
     * @throws HubException BAD_REQUEST when the file is not a readable bundle jar
     */
    PluginInfo install(Path jar);

    /**
     * Replaces a deployed plugin with a new jar of the same symbolic name.
     *
     * @param id the plugin's symbolic name or bundle id
     * @param jar the new jar
     * @return its state once the new version is active, has failed, or 10 s passed
     * @throws HubException NOT_FOUND for an unknown plugin, BAD_REQUEST when the jar is not a bundle or has another
     *         symbolic name, CONFLICT for a bundle that belongs to the hub itself
     */
    PluginInfo update(String id, Path jar);

    /**
     * Uninstalls a deployed plugin (deletes its jar from the deploy folder) and waits until it is gone.
     *
     * @param id the plugin's symbolic name or bundle id
     * @throws HubException NOT_FOUND for an unknown plugin, CONFLICT for a bundle that belongs to the hub itself
     */
    void uninstall(String id);
}
