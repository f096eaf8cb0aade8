package org.kindling.hub.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.kindling.hub.Hub;
import org.kindling.plugin.PluginInfo;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kindling plugins list|install|update|uninstall}. */
@Command(name = "plugins", mixinStandardHelpOptions = true, description = "List, install, update and uninstall plugins.",
        subcommands = {PluginsCommand.ListPlugins.class, PluginsCommand.Install.class, PluginsCommand.Update.class,
                PluginsCommand.Uninstall.class})
final class PluginsCommand implements Callable<Integer> {

    @ParentCommand
    KindlingCommand root;

    @Override
    public Integer call() {
        new picocli.CommandLine(this).usage(root.out);
        return Main.USAGE;
    }

    static int report(KindlingCommand root, PluginInfo p, String verb) {
        if (p.failure().isEmpty() && p.state().equals("ACTIVE")) {
            root.out.println(verb + " " + p.symbolicName() + " " + p.version() + " (bundle " + p.bundleId() + ", ACTIVE)"
                    + (p.workloads().isEmpty() ? "" : "; workloads: " + String.join(", ", p.workloads())));
            return 0;
        }
        throw new Main.WorkFailedException(p.symbolicName() + " " + p.version() + " is " + p.state()
                + (p.failure().isEmpty() ? "" : ": " + p.failure()));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List installed plugins and failed deploys.")
    static final class ListPlugins implements Callable<Integer> {
        @ParentCommand
        PluginsCommand parent;

        @Override
        public Integer call() {
            try (Hub hub = parent.root.startHub(false)) {
                Tables t = new Tables("ID", "BUNDLE", "VERSION", "STATE", "WORKLOADS", "PROBLEM");
                for (PluginInfo p : hub.plugins().list()) {
                    t.row(p.symbolicName(), p.bundleId() < 0 ? "-" : p.bundleId(), p.version(), p.state(),
                            String.join(",", p.workloads()), p.failure());
                }
                t.print(parent.root.out);
                return 0;
            }
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Copy a plugin jar into the deploy folder and wait until it is active (or report why not).")
    static final class Install implements Callable<Integer> {
        @ParentCommand
        PluginsCommand parent;

        @Parameters(paramLabel = "JAR", description = "The plugin bundle jar.")
        Path jar;

        @Override
        public Integer call() {
            try (Hub hub = parent.root.startHub(false)) {
                return report(parent.root, hub.plugins().install(jar), "installed");
            }
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Replace a deployed plugin with a new jar of the same bundle.")
    static final class Update implements Callable<Integer> {
        @ParentCommand
        PluginsCommand parent;

        @Parameters(index = "0", paramLabel = "ID", description = "The plugin's symbolic name (see 'plugins list').")
        String id;

        @Parameters(index = "1", paramLabel = "JAR", description = "The new jar.")
        Path jar;

        @Override
        public Integer call() {
            try (Hub hub = parent.root.startHub(false)) {
                return report(parent.root, hub.plugins().update(id, jar), "updated");
            }
        }
    }

    @Command(name = "uninstall", mixinStandardHelpOptions = true,
            description = "Delete a plugin's jar from the deploy folder and wait until it is gone.")
    static final class Uninstall implements Callable<Integer> {
        @ParentCommand
        PluginsCommand parent;

        @Parameters(paramLabel = "ID", description = "The plugin's symbolic name (see 'plugins list').")
        String id;

        @Override
        public Integer call() {
            try (Hub hub = parent.root.startHub(false)) {
                hub.plugins().uninstall(id);
                parent.root.out.println("uninstalled " + id);
                return 0;
            }
        }
    }
}
