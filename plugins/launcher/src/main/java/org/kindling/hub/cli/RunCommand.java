package org.kindling.hub.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.kindling.hub.Hub;
import org.kindling.plugin.RunRequest;
import org.kindling.plugin.RunStatus;
import org.kindling.plugin.WorkloadResult;
import org.kindling.plugin.WorkloadRun;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Unmatched;

/** {@code kindling run <workload> [--option value ...]}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a workload with a live progress bar; Ctrl-C cancels it.",
                "Workload options go after the id as --name value or --name=value (see 'workloads describe')."})
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    KindlingCommand root;

    @Parameters(index = "0", paramLabel = "WORKLOAD", description = "Workload id.")
    String workload;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default 0).")
    Long seed;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Time limit such as 90s, 10m, 1h (default: the hub's, 1h).")
    String timeout;

    @Option(names = "--output", paramLabel = "DIR", description = "Folder for the run's files (default <home>/runs/<run id>).")
    Path output;

    @Unmatched
    List<String> workloadOptions = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        RunRequest request = new RunRequest(parseOptions(workloadOptions), seed, parseDuration(timeout), output);
        try (Hub hub = root.startHub(false)) {
            WorkloadRun run = hub.workloads().start(workload, request);
            root.err.println("run " + run.id() + " of " + workload);
            WorkloadResult result = Progress.follow(run, root.err);
            Progress.printResult(result, root.out);
            if (result.status() != RunStatus.SUCCEEDED) {
                throw new Main.WorkFailedException(result.status() + ": " + result.message());
            }
            return 0;
        }
    }

    static Map<String, String> parseOptions(List<String> args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--") || a.length() == 2) {
                throw new Main.UsageException("expected a workload option such as --epochs 5, got '" + a + "'");
            }
            int eq = a.indexOf('=');
            if (eq > 0) {
                options.put(a.substring(2, eq), a.substring(eq + 1));
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                options.put(a.substring(2), args.get(++i));
            } else {
                options.put(a.substring(2), "true"); // a bare flag: boolean options
            }
        }
        return options;
    }

    static Duration parseDuration(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim().toLowerCase();
        try {
            if (t.matches("\\d+(ms|s|m|h)")) {
                long n = Long.parseLong(t.replaceAll("[a-z]", ""));
                switch (t.replaceAll("\\d", "")) {
                    case "ms": return Duration.ofMillis(n);
                    case "s": return Duration.ofSeconds(n);
                    case "m": return Duration.ofMinutes(n);
                    default: return Duration.ofHours(n);
                }
            }
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new Main.UsageException("--timeout expects a duration such as 90s, 10m, 1h or PT2M, got '" + text + "'");
        }
    }
}
