package org.kindling.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.hub.Hub;
import org.kindling.plugin.HubException;
import org.kindling.plugin.ModelInfo;
import org.kindling.plugin.Prediction;
import org.kindling.plugin.PredictionInput;
import org.kindling.plugin.RunRequest;
import org.kindling.plugin.RunStatus;
import org.kindling.plugin.TensorData;
import org.kindling.plugin.WorkloadResult;
import org.kindling.plugin.WorkloadRun;

/** The embedding API end to end: start, the demo workload, the model store across restarts, predictions, stop. */
class HubTest {

    @TempDir
    Path home;

    @Test
    void demoTrainsStoresAndPredictsAndTheStoreSurvivesARestart() throws Exception {
        ModelInfo stored;
        try (Hub hub = Hubs.start(home)) {
            System.out.println("hub start-up: " + hub.startupMillis() + " ms");
            assertTrue(hub.startupMillis() < 10_000, "start-up took " + hub.startupMillis() + " ms");
            WorkloadRun run = hub.workloads().start("demo.mlp",
                    RunRequest.of(Map.of("epochs", "150", "points", "100")).withSeed(7));
            WorkloadResult result = run.await(Duration.ofSeconds(60));
            assertEquals(RunStatus.SUCCEEDED, result.status(), result.message());
            assertEquals(1.0, run.progress());
            assertTrue(result.metrics().get("test_accuracy") > 0.9, result.metrics().toString());
            assertEquals(1.0, result.metrics().get("reload_agreement"));
            assertTrue(result.message().startsWith("stored model demo-mlp:1 "), result.message());
            assertTrue(Files.isRegularFile(result.artifacts().get(0)));
            stored = hub.models().get("demo-mlp").orElseThrow();
            assertEquals(1, stored.version());
            assertEquals("demo.mlp", stored.workload());
            assertEquals("safetensors", stored.format());
            assertEquals(result.metrics().get("test_accuracy"), stored.metrics().get("test_accuracy"));
            assertEquals(List.of("onnx", "safetensors"), hub.models().formats());
            assertEquals(run, hub.workloads().run(run.id()).orElseThrow());
        }
        try (Hub hub = Hubs.start(home)) {
            ModelInfo again = hub.models().get("demo-mlp").orElseThrow();
            assertEquals(stored, again, "the model store survives a restart unchanged");
            // The training points lie on three arms; the arm starting at angle 0 (class 0) passes through (0, r).
            Prediction p = hub.predictions().predict("demo-mlp", PredictionInput.tensors(Map.of("x",
                    TensorData.float32(new int[] {2, 2}, 0.0f, 0.3f, 0.0f, 0.3f))));
            TensorData probabilities = p.outputs().get("probabilities");
            assertEquals(List.of(2, 3), List.of(probabilities.shape()[0], probabilities.shape()[1]));
            double rowSum = probabilities.get(0) + probabilities.get(1) + probabilities.get(2);
            assertEquals(1.0, rowSum, 1e-5);
            assertEquals(p.outputs().get("class").get(0), p.outputs().get("class").get(1));
            assertEquals("2 points classified", p.summary());
            Prediction text = hub.predictions().predict("demo-mlp:1",
                    PredictionInput.bytes("0.0, 0.3\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/plain"));
            assertEquals(p.outputs().get("class").get(0), text.outputs().get("class").get(0));

            HubException wrongShape = assertThrows(HubException.class, () -> hub.predictions().predict("demo-mlp",
                    PredictionInput.tensors(Map.of("x", TensorData.float32(new int[] {3}, 1, 2, 3)))));
            assertEquals(HubException.Kind.BAD_REQUEST, wrongShape.kind());
            assertEquals("demo.mlp models take an input of shape [2] or [n, 2], got [3]", wrongShape.getMessage());
            assertEquals(HubException.Kind.NOT_FOUND, assertThrows(HubException.class,
                    () -> hub.predictions().predict("nope", PredictionInput.bytes(new byte[0], null))).kind());

            Path exported = hub.models().export("demo-mlp", "safetensors", home.resolve("out"));
            assertEquals(home.resolve("out").resolve("demo-mlp-v1.safetensors").toAbsolutePath(), exported);
            assertEquals(Files.size(hub.models().file(again)), Files.size(exported));
            ModelInfo imported = hub.models().importFile(exported, "copy", null);
            assertEquals(again.sha256(), imported.sha256());
            assertEquals("6", imported.properties().get("tensors"), "3 Linear layers: weight and bias each");
            assertEquals(Integer.toString(2 * 32 + 32 + 32 * 32 + 32 + 32 * 3 + 3), imported.properties().get("parameters"));
            assertEquals("", imported.workload());
            assertTrue(hub.models().delete("copy"));

            // ONNX: the export is checked by the onnx bundle's executor inside write(); import inspects the graph.
            Path onnx = hub.models().export("demo-mlp:1", "onnx", home.resolve("out"));
            assertEquals("demo-mlp-v1.onnx", onnx.getFileName().toString());
            ModelInfo fromOnnx = hub.models().importFile(onnx, "from-onnx", null);
            assertEquals("onnx", fromOnnx.format());
            assertEquals("x: float[batch, 2]", fromOnnx.properties().get("inputs"), "exported with a dynamic batch");
            assertTrue(fromOnnx.properties().get("outputs").startsWith("logits: float[batch, 3]"),
                    fromOnnx.properties().get("outputs"));
            assertEquals(imported.properties().get("parameters"), fromOnnx.properties().get("parameters"));
            HubException notOnnx = assertThrows(HubException.class,
                    () -> hub.models().importFile(exported, "bad", "onnx"));
            assertEquals(HubException.Kind.BAD_REQUEST, notOnnx.kind());
            assertTrue(notOnnx.getMessage().startsWith("not a valid onnx file: "), notOnnx.getMessage());
            assertTrue(hub.models().delete("from-onnx"));
            assertTrue(hub.models().get("copy").isEmpty());
            try (Stream<Path> leftovers = Files.walk(hub.home().resolve("models"))) {
                List<Path> hidden = leftovers.filter(f -> f.getFileName().toString().startsWith("."))
                        .collect(Collectors.toList());
                assertEquals(List.of(), hidden, "no temporary files left in the store");
            }
            assertEquals(HubException.Kind.BAD_REQUEST, assertThrows(HubException.class,
                    () -> hub.models().get("../escape")).kind());
        }
        try (Stream<Path> caches = Files.list(home.resolve("cache"))) {
            assertEquals(0, caches.count(), "stopped hubs delete their framework cache");
        }
    }
}
