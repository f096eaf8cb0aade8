package org.kindling.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class WorkloadDescriptorTest {

    @Test
    void optionSpecsParseNameTypeDefaultAndHelp() {
        WorkloadOption epochs = WorkloadOption.parse("epochs:int=3 Passes over the training data");
        assertEquals("epochs", epochs.name());
        assertEquals(OptionType.INT, epochs.type());
        assertEquals("3", epochs.defaultValue());
        assertEquals("Passes over the training data", epochs.help());
        assertEquals("epochs:int=3 Passes over the training data", epochs.spec());

        WorkloadOption data = WorkloadOption.parse("data:path");
        assertTrue(data.required());
        assertNull(data.defaultValue());
        assertEquals("", data.help());
        assertEquals("", WorkloadOption.parse("prefix:string= Empty default").defaultValue());

        assertEquals("option spec 'x:float=1': unknown type 'float', expected one of string, int, long, double, boolean, path",
                assertThrows(IllegalArgumentException.class, () -> WorkloadOption.parse("x:float=1")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> WorkloadOption.parse("no-colon"));
        HubException badDefault = assertThrows(HubException.class, () -> WorkloadOption.parse("n:int=ten"));
        assertEquals("option 'n' expects int, got 'ten'", badDefault.getMessage());
    }

    @Test
    void descriptorFromPropertiesResolvesAndTypesOptions() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(Workload.ID, "demo.x");
        props.put(Workload.TAGS, new String[] {"demo", "train"});
        props.put(Workload.OPTIONS, new String[] {"epochs:int=3", "lr:double=0.1", "fast:boolean=false", "out:path"});
        WorkloadDescriptor d = WorkloadDescriptor.fromProperties(props, "org.example", "1.2.0");
        assertEquals("demo.x", d.title(), "an empty title falls back to the id");
        assertEquals(List.of("demo", "train"), d.tags());
        assertEquals("org.example", d.plugin());

        Map<String, Object> typed = d.resolveOptions(Map.of("lr", "1e-3", "out", "/tmp/o", "fast", "TRUE"));
        assertEquals(List.of("epochs", "lr", "fast", "out"), List.copyOf(typed.keySet()));
        assertEquals(3, typed.get("epochs"));
        assertEquals(0.001, typed.get("lr"));
        assertEquals(Boolean.TRUE, typed.get("fast"));
        assertEquals(Path.of("/tmp/o"), typed.get("out"));

        HubException unknown = assertThrows(HubException.class, () -> d.resolveOptions(Map.of("out", "x", "epoch", "2")));
        assertEquals(HubException.Kind.BAD_REQUEST, unknown.kind());
        assertEquals("workload 'demo.x' has no option 'epoch'; its options are: epochs, lr, fast, out", unknown.getMessage());
        assertEquals("workload 'demo.x' needs option 'out' ()",
                assertThrows(HubException.class, () -> d.resolveOptions(Map.of())).getMessage());
        assertEquals("option 'fast' expects boolean, got 'yes'",
                assertThrows(HubException.class, () -> d.resolveOptions(Map.of("out", "o", "fast", "yes"))).getMessage());

        assertThrows(IllegalArgumentException.class, () -> WorkloadDescriptor.fromProperties(Map.of(), "p", "1"));
    }

    @Test
    void valueTypesCheckTheirInvariants() {
        TensorData t = TensorData.float32(new int[] {2, 2}, 1, 2, 3, 4);
        assertEquals(4, t.numel());
        assertEquals(3.0, t.get(2));
        assertEquals("shape [2, 2] holds 4 values, got 3", assertThrows(IllegalArgumentException.class,
                () -> new TensorData(ElementType.FLOAT32, new int[] {2, 2}, new double[3])).getMessage());
        int[] shape = t.shape();
        shape[0] = 9;
        assertEquals(2, t.shape()[0], "the shape is copied out");
        assertEquals(t, TensorData.float32(new int[] {2, 2}, 1, 2, 3, 4));

        assertThrows(IllegalArgumentException.class, () -> new WorkloadResult(RunStatus.RUNNING, "", Map.of(), List.of()));
        assertEquals(HubException.Kind.BAD_REQUEST, assertThrows(HubException.class, () -> ModelInfo.checkName("../x")).kind());
        assertEquals(HubException.Kind.BAD_REQUEST, assertThrows(HubException.class, () -> ModelInfo.checkName(".hidden")).kind());
        assertEquals("ok-name_1.v2", ModelInfo.checkName("ok-name_1.v2"));
        assertThrows(IllegalArgumentException.class, () -> RunRequest.defaults().withTimeout(java.time.Duration.ZERO));
    }
}
