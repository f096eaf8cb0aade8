package org.kindling.plugin;

import java.util.List;

/**
 * The state of one plugin: an installed bundle, or a file in the deploy folder that could not be installed.
 *
 * <pre>
 * hub.plugins().list().stream().filter(p -&gt; !p.failure().isEmpty())
 *         .forEach(p -&gt; System.out.println(p.symbolicName() + ": " + p.failure()));
 * </pre>
 *
 * @param bundleId the framework's bundle id, or -1 for a file that is not installed
 * @param symbolicName the bundle's symbolic name, or the file name when it is not installed
 * @param version the bundle's version, or empty
 * @param state INSTALLED, RESOLVED, STARTING, ACTIVE, STOPPING, or FAILED for a file that is not installed
 * @param location where it was installed from (a file path or URL)
 * @param workloads ids of the workloads it registers now
 * @param failure why it does not work (corrupt jar, unresolved imports listed, activation exception), or empty
 */
public record PluginInfo(long bundleId, String symbolicName, String version, String state, String location,
                         List<String> workloads, String failure) {

    /** Copies the list and turns null strings into empty ones. */
    public PluginInfo {
        version = version == null ? "" : version;
        location = location == null ? "" : location;
        workloads = List.copyOf(workloads);
        failure = failure == null ? "" : failure;
    }

    /** @return the id the CLI and HTTP API accept for this plugin: the symbolic name */
    public String id() {
        return symbolicName;
    }
}
