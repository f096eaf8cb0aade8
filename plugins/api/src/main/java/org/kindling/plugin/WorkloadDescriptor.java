package org.kindling.plugin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Everything a client needs to know about a workload before running it, read from the service properties of the
 * {@link Workload} plus the plugin that provides it.
 *
 * <pre>
 * WorkloadDescriptor d = runner.describe("demo.mlp").orElseThrow();
 * Map&lt;String, Object&gt; typed = d.resolveOptions(Map.of("epochs", "5"));  // {epochs=5, lr=0.05, ...}
 * </pre>
 *
 * @param id unique id
 * @param title one-line title (the id when the workload gives none)
 * @param description longer description, possibly empty
 * @param tags tags
 * @param options typed options in declaration order
 * @param plugin symbolic name of the bundle that registered the workload
 * @param pluginVersion version of that bundle
 */
public record WorkloadDescriptor(String id, String title, String description, List<String> tags,
                                 List<WorkloadOption> options, String plugin, String pluginVersion) {

    /** Copies the lists; fills an empty title with the id. */
    public WorkloadDescriptor {
        Objects.requireNonNull(id, "id");
        title = title == null || title.isBlank() ? id : title;
        description = description == null ? "" : description;
        tags = List.copyOf(tags);
        options = List.copyOf(options);
        plugin = plugin == null ? "" : plugin;
        pluginVersion = pluginVersion == null ? "" : pluginVersion;
    }

    /**
     * Reads a descriptor from a workload's service properties.
     *
     * @param properties the service properties ({@link Workload#ID} required)
     * @param plugin the providing bundle's symbolic name
     * @param pluginVersion the providing bundle's version
     * @return the descriptor
     * @throws IllegalArgumentException when the id is missing or an option spec is malformed
     */
    public static WorkloadDescriptor fromProperties(Map<String, ?> properties, String plugin, String pluginVersion) {
        Object id = properties.get(Workload.ID);
        if (!(id instanceof String) || ((String) id).isBlank()) {
            throw new IllegalArgumentException("workload service has no '" + Workload.ID + "' property; found " + id);
        }
        List<WorkloadOption> options = new ArrayList<>();
        for (String spec : strings(properties.get(Workload.OPTIONS))) {
            options.add(WorkloadOption.parse(spec));
        }
        return new WorkloadDescriptor((String) id, string(properties.get(Workload.TITLE)),
                string(properties.get(Workload.DESCRIPTION)), strings(properties.get(Workload.TAGS)), options,
                plugin, pluginVersion);
    }

    /**
     * Checks the options a client gives against the declared ones and types them, adding defaults.
     *
     * @param given option name to value as text
     * @return option name to typed value (Integer, Long, Double, Boolean, String or Path), in declaration order
     * @throws HubException of kind {@link HubException.Kind#BAD_REQUEST} for an unknown option (the message lists
     *         the known ones), a missing required option, or a value of the wrong type
     */
    public Map<String, Object> resolveOptions(Map<String, String> given) {
        Map<String, WorkloadOption> byName = new LinkedHashMap<>();
        for (WorkloadOption o : options) {
            byName.put(o.name(), o);
        }
        for (String name : given.keySet()) {
            if (!byName.containsKey(name)) {
                throw new HubException(HubException.Kind.BAD_REQUEST, "workload '" + id + "' has no option '" + name
                        + "'; its options are: " + (byName.isEmpty() ? "(none)" : String.join(", ", byName.keySet())));
            }
        }
        Map<String, Object> typed = new LinkedHashMap<>();
        for (WorkloadOption o : options) {
            String text = given.containsKey(o.name()) ? given.get(o.name()) : o.defaultValue();
            if (text == null) {
                throw new HubException(HubException.Kind.BAD_REQUEST,
                        "workload '" + id + "' needs option '" + o.name() + "' (" + o.help() + ")");
            }
            typed.put(o.name(), o.type().parse(o.name(), text));
        }
        return typed;
    }

    private static String string(Object value) {
        return value == null ? "" : value.toString();
    }

    private static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String[]) {
            return List.of((String[]) value);
        }
        if (value instanceof Collection) {
            return ((Collection<?>) value).stream().map(String::valueOf).collect(Collectors.toList());
        }
        return List.of(value.toString());
    }
}
