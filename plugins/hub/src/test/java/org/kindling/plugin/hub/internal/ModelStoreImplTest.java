package org.kindling.plugin.hub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.plugin.HubException;
import org.kindling.plugin.ModelInfo;
import org.kindling.plugin.NewModel;

class ModelStoreImplTest {

    @TempDir
    Path dir;

    private Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void versionsChecksumsMetadataAndDeletion() throws Exception {
        ModelStoreImpl store = new ModelStoreImpl(dir.resolve("models"));
        Path a = file("a.bin", "first");
        Map<String, Double> metrics = new java.util.LinkedHashMap<>();
        metrics.put("acc", 0.5);
        metrics.put("loss", 1.25);
        ModelInfo v1 = store.put(new NewModel("m", "raw", a, "w.x", metrics, Map.of("k", "v")));
        ModelInfo v2 = store.put(new NewModel("m", "raw", file("b.bin", "second"), "w.x", Map.of(), Map.of()));
        assertEquals(1, v1.version());
        assertEquals(2, v2.version());
        assertEquals("a7937b64b8caa58f03721bb6bacf5c78cb235febe0e70b1b84cd99541461a08e", v1.sha256(), "sha256 of 'first'");
        assertEquals(5, v1.sizeBytes());
        assertEquals("first", Files.readString(store.file(v1)));
        assertEquals(v2, store.get("m").orElseThrow(), "get(name) is the latest version");
        assertEquals(v1, store.get("m:1").orElseThrow());
        assertEquals(v1, store.get("m", 1).orElseThrow());
        assertEquals(List.of("acc", "loss"), List.copyOf(v1.metrics().keySet()), "metric order kept");
        assertEquals(List.of(v1, v2), store.list());
        String json = Files.readString(store.root().resolve("m/1/model.json"));
        assertTrue(json.startsWith("{\n  \"name\": \"m\",\n  \"version\": 1,\n  \"format\": \"raw\",\n"), json);

        // The metadata round-trips through a fresh store on the same folder (a hub restart).
        assertEquals(List.of(v1, v2), new ModelStoreImpl(dir.resolve("models")).list());

        assertTrue(store.delete("m:1"));
        assertEquals(List.of(v2), store.list());
        assertFalse(store.delete("m:1"));
        assertTrue(store.delete("m"));
        assertEquals(List.of(), store.list());
        assertFalse(Files.exists(store.root().resolve("m")));
    }

    @Test
    void concurrentWritersGetDistinctVersionsAndLeaveNoTemporaryFiles() throws Exception {
        ModelStoreImpl store = new ModelStoreImpl(dir.resolve("models"));
        Path src = file("src.bin", "x".repeat(10_000));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<ModelInfo>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(pool.submit(() -> store.put(new NewModel("race", "raw", src, "", Map.of(), Map.of()))));
        }
        Set<Integer> versions = new TreeSet<>();
        for (Future<ModelInfo> f : futures) {
            versions.add(f.get().version());
        }
        pool.shutdown();
        assertEquals(20, versions.size());
        assertEquals(1, (int) ((TreeSet<Integer>) versions).first());
        assertEquals(20, (int) ((TreeSet<Integer>) versions).last());
        try (Stream<Path> s = Files.walk(store.root())) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".")).collect(Collectors.toList()));
        }
    }

    @Test
    void damagedMetadataIsSkippedAndBadNamesAreRejected() throws Exception {
        ModelStoreImpl store = new ModelStoreImpl(dir.resolve("models"));
        ModelInfo ok = store.put(new NewModel("good", "raw", file("g.bin", "g"), "", Map.of(), Map.of()));
        Path broken = store.root().resolve("bad/1");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("model.json"), "{\"name\": \"bad\", ");
        Path escaping = store.root().resolve("evil/1");
        Files.createDirectories(escaping);
        Files.writeString(escaping.resolve("model.json"), Json.write(Map.of("name", "evil", "version", 1, "format", "raw",
                "file", "../../g.bin", "sha256", "0", "sizeBytes", 1, "created", "2026-01-01T00:00:00Z")));
        assertEquals(List.of(ok), store.list());
        assertEquals(HubException.Kind.BAD_REQUEST, assertThrows(HubException.class, () -> store.get("../good")).kind());
        assertEquals(HubException.Kind.BAD_REQUEST, assertThrows(HubException.class, () -> store.get("good:zero")).kind());
        HubException missing = assertThrows(HubException.class,
                () -> store.put(new NewModel("m", "raw", dir.resolve("absent.bin"), "", Map.of(), Map.of())));
        assertEquals(HubException.Kind.BAD_REQUEST, missing.kind());
        assertEquals(HubException.Kind.NOT_FOUND, assertThrows(HubException.class,
                () -> store.export("good", "onnx", dir)).kind());
    }
}
