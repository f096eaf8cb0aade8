package org.kindling.plugin.hub.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.kindling.plugin.ModelInfo;
import org.kindling.plugin.ModelStore;
import org.kindling.plugin.PluginInfo;
import org.kindling.plugin.PluginManager;
import org.kindling.plugin.RunRequest;
import org.kindling.plugin.WorkloadDescriptor;
import org.kindling.plugin.WorkloadResult;
import org.kindling.plugin.WorkloadRunner;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Commands for the Gogo shell ({@code kindling shell}), in scope {@code kindling}: {@code workloads}, {@code plugins},
 * {@code models} and {@code run <id> [name=value ...]}. Gogo finds them by the service properties alone, so this
 * bundle does not import Gogo.
 */
@Component(service = GogoCommands.class, property = {"osgi.command.scope=kindling",
        "osgi.command.function=workloads", "osgi.command.function=plugins", "osgi.command.function=models",
        "osgi.command.function=run"})
public class GogoCommands {

    @Reference
    private WorkloadRunner runner;

    @Reference
    private PluginManager pluginManager;

    @Reference
    private ModelStore store;

    /** @return one line per workload: id, plugin, title */
    public String workloads() {
        StringBuilder s = new StringBuilder();
        for (WorkloadDescriptor d : runner.list()) {
            s.append(d.id()).append("  ").append(d.plugin()).append(' ').append(d.pluginVersion()).append("  ")
                    .append(d.title()).append('\n');
        }
        return s.toString();
    }

    /** @return one line per plugin: id, bundle, version, state, problem */
    public String plugins() {
        StringBuilder s = new StringBuilder();
        for (PluginInfo p : pluginManager.list()) {
            s.append(p.symbolicName()).append("  ").append(p.bundleId()).append("  ").append(p.version()).append("  ")
                    .append(p.state()).append(p.failure().isEmpty() ? "" : "  " + p.failure()).append('\n');
        }
        return s.toString();
    }

    /** @return one line per stored model version */
    public String models() {
        StringBuilder s = new StringBuilder();
        for (ModelInfo m : store.list()) {
            s.append(m.reference()).append("  ").append(m.format()).append("  ").append(m.workload()).append("  ")
                    .append(m.metrics()).append('\n');
        }
        return s.toString();
    }

    /**
     * Runs a workload and waits for it.
     *
     * @param id the workload id
     * @param options {@code name=value} pairs
     * @return the result's status, message and metrics
     * @throws Exception if interrupted or the run outlasts an hour
     */
    public String run(String id, String... options) throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        for (String o : options) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                return "options are name=value, got '" + o + "'";
            }
            values.put(o.substring(0, eq), o.substring(eq + 1));
        }
        WorkloadResult r = runner.start(id, RunRequest.of(values)).await(Duration.ofHours(1));
        return r.status() + (r.message().isEmpty() ? "" : ": " + r.message()) + "\n" + r.metrics();
    }
}
