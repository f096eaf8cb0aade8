package org.kindling.hub.cli;

import java.util.concurrent.Callable;

import org.kindling.hub.Hub;
import org.kindling.plugin.HubException;
import org.kindling.plugin.WorkloadDescriptor;
import org.kindling.plugin.WorkloadOption;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kindling workloads list|describe}. */
@Command(name = "workloads", mixinStandardHelpOptions = true, description = "List and describe workloads.",
        subcommands = {WorkloadsCommand.ListWorkloads.class, WorkloadsCommand.Describe.class})
final class WorkloadsCommand implements Callable<Integer> {

    @ParentCommand
    KindlingCommand root;

    @Override
    public Integer call() {
        new picocli.CommandLine(this).usage(root.out);
        return Main.USAGE;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the workloads the plugins offer.")
    static final class ListWorkloads implements Callable<Integer> {
        @ParentCommand
        WorkloadsCommand parent;

        @Override
        public Integer call() {
            try (Hub hub = parent.root.startHub(false)) {
                Tables t = new Tables("ID", "PLUGIN", "TAGS", "TITLE");
                for (WorkloadDescriptor d : hub.workloads().list()) {
                    t.row(d.id(), d.plugin() + " " + d.pluginVersion(), String.join(",", d.tags()), d.title());
                }
                t.print(parent.root.out);
                return 0;
            }
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, description = "Show a workload's options.")
    static final class Describe implements Callable<Integer> {
        @ParentCommand
        WorkloadsCommand parent;

        @Parameters(paramLabel = "WORKLOAD", description = "Workload id, as listed by 'workloads list'.")
        String id;

        @Override
        public Integer call() {
            try (Hub hub = parent.root.startHub(false)) {
                WorkloadDescriptor d = hub.workloads().describe(id).orElseThrow(() -> new HubException(
                        HubException.Kind.NOT_FOUND, "unknown workload '" + id + "'; see 'kindling workloads list'"));
                var out = parent.root.out;
                out.println(d.id() + ": " + d.title());
                if (!d.description().isEmpty()) {
                    out.println("  " + d.description());
                }
                out.println("  plugin: " + d.plugin() + " " + d.pluginVersion());
                out.println("  tags:   " + String.join(", ", d.tags()));
                out.println("Options:");
                Tables t = new Tables("  OPTION", "TYPE", "DEFAULT", "HELP");
                for (WorkloadOption o : d.options()) {
                    t.row("  --" + o.name(), o.type().name().toLowerCase(), o.required() ? "(required)" : o.defaultValue(),
                            o.help());
                }
                t.print(out);
                return 0;
            }
        }
    }
}
