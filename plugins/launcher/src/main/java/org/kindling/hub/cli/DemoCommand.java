package org.kindling.hub.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.kindling.hub.Hub;
import org.kindling.plugin.Prediction;
import org.kindling.plugin.PredictionInput;
import org.kindling.plugin.RunRequest;
import org.kindling.plugin.RunStatus;
import org.kindling.plugin.TensorData;
import org.kindling.plugin.WorkloadResult;
import org.kindling.plugin.WorkloadRun;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code kindling demo}: the built-in demo end to end. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start the hub, train the built-in demo MLP (demo.mlp) on generated spiral data, store it,",
                "and predict with the stored model through the hub's prediction service."})
final class DemoCommand implements Callable<Integer> {

    @ParentCommand
    KindlingCommand root;

    @Option(names = "--epochs", description = "Training steps (default ${DEFAULT-VALUE}).", defaultValue = "300")
    int epochs;

    @Option(names = "--seed", description = "Random seed (default ${DEFAULT-VALUE}).", defaultValue = "0")
    long seed;

    @Override
    public Integer call() throws Exception {
        try (Hub hub = root.startHub(false)) {
            root.err.println("kindling: hub ready in " + hub.startupMillis() + " ms; " + hub.workloads().list().size()
                    + " workloads, " + hub.plugins().list().size() + " bundles");
            Map<String, String> options = new LinkedHashMap<>();
            options.put("epochs", Integer.toString(epochs));
            WorkloadRun run = hub.workloads().start("demo.mlp", RunRequest.of(options).withSeed(seed));
            root.err.println("training demo.mlp (run " + run.id() + ")");
            WorkloadResult result = Progress.follow(run, root.err);
            Progress.printResult(result, root.out);
            if (result.status() != RunStatus.SUCCEEDED) {
                throw new Main.WorkFailedException(result.status() + ": " + result.message());
            }
            float[][] points = {{0f, 0.5f}, {-0.43f, -0.25f}, {0.43f, -0.25f}};
            root.out.println("predictions with the stored model demo-mlp:");
            for (float[] p : points) {
                Prediction prediction = hub.predictions().predict("demo-mlp",
                        PredictionInput.tensors(Map.of("x", TensorData.float32(new int[] {1, 2}, p))));
                root.out.printf("  (%5.2f, %5.2f) -> %s%n", p[0], p[1], prediction.summary());
            }
            root.out.flush();
            return 0;
        }
    }
}
