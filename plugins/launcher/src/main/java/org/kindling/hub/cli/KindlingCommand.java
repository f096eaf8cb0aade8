package org.kindling.hub.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.kindling.hub.Hub;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The root {@code kindling} command: global options and the subcommands. */
@Command(name = "kindling", mixinStandardHelpOptions = true, versionProvider = KindlingCommand.Version.class,
        description = "Kindling hub: plugins, workloads, models, predictions and the HTTP API.",
        subcommands = {PluginsCommand.class, WorkloadsCommand.class, RunCommand.class, ModelsCommand.class,
                ServeCommand.class, ShellCommand.class, DataCommand.class, DemoCommand.class},
        footer = {"", "Exit codes: 0 success, 1 the work failed, 2 bad usage.",
                "Environment: KINDLING_HOME (home folder), KINDLING_DATA (data sets)."})
final class KindlingCommand implements Callable<Integer> {

    final PrintWriter out;
    final PrintWriter err;
    boolean verbose;
    private Path home;
    private Path deploy;

    @Spec
    CommandSpec spec;

    KindlingCommand(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Log the framework's messages and print stack traces.")
    void setVerbose(boolean verbose) {
        this.verbose = verbose;
    }

    @Option(names = "--home", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Home folder (models/, runs/, deploy/). Default: $KINDLING_HOME, else the distribution folder, else ~/.kindling.")
    void setHome(Path home) {
        this.home = home;
    }

    @Option(names = "--deploy", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Plugin folder watched for jars. Default: <home>/deploy.")
    void setDeploy(Path deploy) {
        this.deploy = deploy;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(out);
        return 0;
    }

    Path home() {
        if (home != null) {
            return home;
        }
        String env = System.getenv("KINDLING_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String dist = System.getProperty("kindling.dist");
        if (dist != null) {
            return Path.of(dist);
        }
        return Path.of(System.getProperty("user.home"), ".kindling");
    }

    Path deployDir() {
        return deploy != null ? deploy : home().resolve("deploy");
    }

    /** Starts a hub for one command. */
    Hub startHub(boolean shell) {
        Hub.Builder b = Hub.builder().home(home()).deployDir(deployDir()).verbose(verbose).shell(shell);
        String bundles = System.getProperty("kindling.bundles.dir");
        if (bundles != null && Files.isDirectory(Path.of(bundles))) {
            b.bundlesDir(Path.of(bundles));
        }
        Hub hub = b.start();
        if (verbose) {
            err.println("kindling: hub ready in " + hub.startupMillis() + " ms (home " + hub.home() + ")");
        }
        return hub;
    }

    /** The version line. */
    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = KindlingCommand.class.getPackage().getImplementationVersion();
            return new String[] {"kindling " + (v == null ? "(development build)" : v)
                    + ", Java " + System.getProperty("java.version")};
        }
    }
}
