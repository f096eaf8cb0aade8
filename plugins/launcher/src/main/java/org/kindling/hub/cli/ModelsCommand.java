package org.kindling.hub.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.kindling.hub.Hub;
import org.kindling.plugin.HubException;
import org.kindling.plugin.ModelInfo;
import org.kindling.plugin.RunRequest;
import org.kindling.plugin.RunStatus;
import org.kindling.plugin.WorkloadResult;
import org.kindling.plugin.WorkloadRun;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kindling models list|show|delete|import|export}. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "Manage the model store.",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Show.class, ModelsCommand.Delete.class,
                ModelsCommand.Import.class, ModelsCommand.Export.class})
final class ModelsCommand implements Callable<Integer> {

    @ParentCommand
    KindlingCommand root;

    @Override
    public Integer call() {
        new picocli.CommandLine(this).usage(root.out);
        return Main.USAGE;
    }

    static HubException notFound(String name) {
        return new HubException(HubException.Kind.NOT_FOUND, "no model named '" + name + "'; see 'kindling models list'");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List stored models (every version).")
    static final class ListModels implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;

        @Override
        public Integer call() {
            try (Hub hub = parent.root.startHub(false)) {
                Tables t = new Tables("MODEL", "FORMAT", "WORKLOAD", "SIZE", "CREATED", "METRICS");
                for (ModelInfo m : hub.models().list()) {
                    StringBuilder metrics = new StringBuilder();
                    m.metrics().forEach((k, v) -> metrics.append(metrics.length() == 0 ? "" : " ")
                            .append(k).append('=').append(String.format("%.4g", v)));
                    t.row(m.reference(), m.format(), m.workload(), m.sizeBytes(), m.created().toString().substring(0, 19),
                            metrics);
                }
                t.print(parent.root.out);
                return 0;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a model's metadata.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;

        @Parameters(paramLabel = "MODEL", description = "name (latest version) or name:version")
        String name;

        @Override
        public Integer call() {
            try (Hub hub = parent.root.startHub(false)) {
                ModelInfo m = hub.models().get(name).orElseThrow(() -> notFound(name));
                var out = parent.root.out;
                out.println("model    " + m.reference());
                out.println("format   " + m.format());
                out.println("workload " + (m.workload().isEmpty() ? "(imported)" : m.workload()));
                out.println("file     " + hub.models().file(m));
                out.println("size     " + m.sizeBytes() + " bytes");
                out.println("sha256   " + m.sha256());
                out.println("created  " + m.created());
                for (Map.Entry<String, Double> e : m.metrics().entrySet()) {
                    out.println("metric   " + e.getKey() + " = " + e.getValue());
                }
                for (Map.Entry<String, String> e : m.properties().entrySet()) {
                    out.println("property " + e.getKey() + " = " + e.getValue());
                }
                out.flush();
                return 0;
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a model (every version, or name:version).")
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;

        @Parameters(paramLabel = "MODEL", description = "name or name:version")
        String name;

        @Override
        public Integer call() {
            try (Hub hub = parent.root.startHub(false)) {
                if (!hub.models().delete(name)) {
                    throw notFound(name);
                }
                parent.root.out.println("deleted " + name);
                return 0;
            }
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true, description = {
            "Check a model file and add it to the store.",
            "With --labels, FILE is an ONNX image classifier (input [N, C, H, W], output [N, classes] logits) "
                    + "stored for predictions, vision.evaluate and 'run vision.train --init-from NAME' (needs the "
                    + "vision and onnx plugins)."})
    static final class Import implements Callable<Integer> {

        /** The vision plugin's workload that imports an image classifier. */
        static final String IMAGE_CLASSIFIER_IMPORT = "vision.import";

        @ParentCommand
        ModelsCommand parent;

        @Parameters(paramLabel = "FILE", description = "The model file.")
        Path file;

        @Option(names = "--name", description = "Name to store it under (default: the file name without extension).")
        String name;

        @Option(names = "--format", description = "Format name (default: from the file extension).")
        String format;

        @Option(names = "--labels", paramLabel = "FILE",
                description = "Class labels, one per line in output order: import FILE as an ONNX image classifier.")
        Path labels;

        @Option(names = "--mean", paramLabel = "M", description = "With --labels: the input normalisation the model "
                + "was trained with, (pixel/255 - M) / S (default 0).")
        Double mean;

        @Option(names = "--std", paramLabel = "S", description = "With --labels: see --mean (default 1, so the "
                + "model gets pixel/255).")
        Double std;

        @Override
        public Integer call() throws InterruptedException {
            if (labels != null) {
                return importImageClassifier();
            }
            if (mean != null || std != null) {
                throw new Main.UsageException("--mean and --std describe an image classifier's input; give them with "
                        + "--labels");
            }
            String fileName = file.getFileName().toString();
            String n = name != null ? name : (fileName.contains(".") ? fileName.substring(0, fileName.indexOf('.')) : fileName);
            try (Hub hub = parent.root.startHub(false)) {
                ModelInfo m = hub.models().importFile(file, n, format);
                parent.root.out.println("imported " + m.reference() + " (" + m.format() + ", " + m.sizeBytes()
                        + " bytes, " + m.properties() + ")");
                return 0;
            }
        }

        private int importImageClassifier() throws InterruptedException {
            if (format != null && !format.equals("onnx")) {
                throw new Main.UsageException("--labels imports an ONNX image classifier; --format " + format
                        + " does not fit");
            }
            for (Path given : new Path[] {file, labels}) {
                if (!Files.isRegularFile(given)) {
                    throw new Main.UsageException("no such file: " + given);
                }
            }
            Map<String, String> options = new LinkedHashMap<>();
            options.put("file", file.toAbsolutePath().toString());
            options.put("labels", labels.toAbsolutePath().toString());
            if (name != null) {
                options.put("name", name);
            }
            if (mean != null) {
                options.put("mean", mean.toString());
            }
            if (std != null) {
                options.put("std", std.toString());
            }
            try (Hub hub = parent.root.startHub(false)) {
                if (hub.workloads().describe(IMAGE_CLASSIFIER_IMPORT).isEmpty()) {
                    throw new HubException(HubException.Kind.UNAVAILABLE, "--labels imports an image classifier "
                            + "with the vision plugin's workload " + IMAGE_CLASSIFIER_IMPORT + ", which is not "
                            + "installed; see 'kindling plugins list'");
                }
                WorkloadRun run = hub.workloads().start(IMAGE_CLASSIFIER_IMPORT, RunRequest.of(options));
                WorkloadResult result = Progress.follow(run, parent.root.err);
                if (result.status() != RunStatus.SUCCEEDED) {
                    throw new Main.WorkFailedException("import failed: " + result.message());
                }
                parent.root.out.println(result.message());
                parent.root.out.flush();
                return 0;
            }
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Write a stored model in a format.")
    static final class Export implements Callable<Integer> {
        @ParentCommand
        ModelsCommand parent;

        @Parameters(paramLabel = "MODEL", description = "name or name:version")
        String name;

        @Option(names = "--format", required = true, description = "Target format, such as safetensors or onnx.")
        String format;

        @Option(names = "--output", paramLabel = "DIR", description = "Folder to write into (default: current folder).")
        Path output = Path.of(".");

        @Override
        public Integer call() {
            try (Hub hub = parent.root.startHub(false)) {
                Path written = hub.models().export(name, format, output);
                parent.root.out.println("wrote " + written);
                return 0;
            }
        }
    }
}
