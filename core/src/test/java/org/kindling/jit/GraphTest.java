package org.kindling.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.tensor.DType;

class GraphTest {

    private static Node node(String op, String name, List<Value> in, String... outs) {
        return new Node(op, "", name, in, java.util.Arrays.stream(outs).map(Value::of).toList(), Attributes.empty());
    }

    @Test
    void builderRecordsNodesConstantsOpsetsAndShapes() {
        GraphBuilder b = new GraphBuilder("mlp").opset("ai.onnx", 17).docString("test").metadata("producer", "kindling");
        Value x = b.input("x", DType.FLOAT32, Dim.symbolic("batch"), Dim.of(4));
        Value w = b.constant("fc.weight", Kindling.randn(3, 4));
        Value h = b.op("Gemm", Attributes.builder().put("transB", 1).build(), x, w);
        Value y = b.output(b.op("Relu", Attributes.empty(), h), "y");
        Graph g = b.build();

        assertEquals(17, g.opsetVersion(""));
        assertEquals(17, g.opsetVersion("ai.onnx"));
        assertEquals(-1, g.opsetVersion("com.microsoft"));
        assertEquals(List.of("Gemm", "Relu", "Identity"), g.nodes().stream().map(Node::opType).toList());
        assertEquals("y", g.outputs().get(0).name());
        assertEquals(y, g.outputs().get(0));
        assertEquals("batch", x.shape().orElseThrow().get(0).symbol());
        assertEquals(4, x.shape().orElseThrow().get(1).size());
        assertEquals(List.of(3, 4), List.of(g.constants().get("fc.weight").shape().toArray()[0], g.constants().get("fc.weight").shape().toArray()[1]));
        assertEquals(Map.of("producer", "kindling"), g.metadata());
        assertEquals(1, g.nodes().get(0).attributes().getInt("transB", 0));
        assertEquals(1.0f, g.nodes().get(0).attributes().getFloat("alpha", 1.0f));
        assertTrue(g.outerReferences().isEmpty());
        assertEquals(List.of(x), g.requiredInputs());
    }

    @Test
    void attributesAreTypedWithDefaultsAndCopies() {
        long[] perm = {0, 2, 1};
        Attributes a = Attributes.builder().put("axis", 1).put("perm", perm).put("mode", "linear").put("eps", 1e-5).build();
        perm[0] = 9;
        assertEquals(1, a.getInt("axis", -1));
        assertEquals(-1, a.getInt("keepdims_absent", -1));
        assertArrayEquals(new long[] {0, 2, 1}, a.getInts("perm"));
        a.getInts("perm")[0] = 7;
        assertArrayEquals(new long[] {0, 2, 1}, a.getInts("perm"));
        assertEquals("linear", a.getString("mode", "nearest"));
        assertEquals(1e-5f, a.getFloat("eps"));
        assertEquals(Attributes.Kind.INTS, a.kind("perm"));
        IllegalArgumentException wrongKind = assertThrows(IllegalArgumentException.class, () -> a.getFloat("axis"));
        assertTrue(wrongKind.getMessage().contains("'axis'") && wrongKind.getMessage().contains("FLOAT") && wrongKind.getMessage().contains("INT"),
                wrongKind.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.getInt("missing"));
    }

    @Test
    void absentOptionalInputs() {
        Node clip = new Node("Clip", "", "clip", List.of(Value.of("x"), Value.absent(), Value.of("max")), List.of(Value.of("y")), null);
        assertTrue(clip.hasInput(0));
        assertFalse(clip.hasInput(1));
        assertTrue(clip.hasInput(2));
        assertFalse(clip.hasInput(3));
        assertTrue(clip.input(7).isAbsent());
        assertEquals("[y] = Clip[x, _, max]  # clip", clip.toString());
    }

    @Test
    void buildSortsNodesGivenOutOfOrder() {
        GraphBuilder b = new GraphBuilder("g").opset("", 13);
        Value x = b.input("x", DType.FLOAT32);
        b.node(node("Relu", "second", List.of(Value.of("a")), "b"));
        b.node(node("Neg", "first", List.of(x), "a"));
        b.output(Value.of("b"));
        Graph g = b.build();
        assertEquals(List.of("first", "second"), g.nodes().stream().map(Node::name).toList());
    }

    @Test
    void cycleIsReportedWithTheNodes() {
        GraphBuilder b = new GraphBuilder("g");
        b.input("x", DType.FLOAT32);
        b.node(node("Add", "n1", List.of(Value.of("x"), Value.of("b")), "a"));
        b.node(node("Relu", "n2", List.of(Value.of("a")), "b"));
        b.output(Value.of("b"));
        GraphException e = assertThrows(GraphException.class, b::build);
        assertTrue(e.getMessage().contains("cycle") && e.getMessage().contains("'n1'") && e.getMessage().contains("'n2'"), e.getMessage());
    }

    @Test
    void unsortedNodeListIsRejectedByTheConstructor() {
        List<Node> nodes = List.of(node("Relu", "late", List.of(Value.of("a")), "b"), node("Neg", "early", List.of(Value.of("x")), "a"));
        GraphException e = assertThrows(GraphException.class, () -> new Graph("g", List.of(Value.of("x")), List.of(Value.of("b")), nodes,
                Map.of(), Map.of("", 13), "", Map.of(), false));
        assertEquals("late", e.nodeName());
        assertTrue(e.getMessage().contains("reads 'a' before Neg node 'early' produces it"), e.getMessage());
    }

    @Test
    void undefinedInputNamesTheNode() {
        GraphBuilder b = new GraphBuilder("g");
        b.input("x", DType.FLOAT32);
        b.node(node("Mul", "scale", List.of(Value.of("x"), Value.of("nowhere")), "y"));
        b.output(Value.of("y"));
        GraphException e = assertThrows(GraphException.class, b::build);
        assertEquals("scale", e.nodeName());
        assertTrue(e.getMessage().contains("Mul node 'scale' reads 'nowhere'"), e.getMessage());
    }

    @Test
    void duplicateOutputNamesBothDefinitions() {
        GraphBuilder b = new GraphBuilder("g");
        b.input("x", DType.FLOAT32);
        b.node(node("Neg", "a1", List.of(Value.of("x")), "y"));
        b.node(node("Abs", "a2", List.of(Value.of("x")), "y"));
        b.output(Value.of("y"));
        GraphException e = assertThrows(GraphException.class, b::build);
        assertTrue(e.getMessage().contains("Abs node 'a2' produces 'y', which is already defined by Neg node 'a1'"), e.getMessage());
    }

    @Test
    void subgraphMayReadOuterValuesWhichTheParentChecks() {
        GraphBuilder sub = new GraphBuilder("then");
        Value outerX = Value.of("x");
        sub.output(sub.op("Neg", Attributes.empty(), outerX));
        Graph thenBranch = sub.buildSubgraph();
        assertEquals(java.util.Set.of("x"), thenBranch.outerReferences());

        GraphBuilder b = new GraphBuilder("main");
        Value cond = b.input("cond", DType.BOOL);
        Attributes attrs = Attributes.builder().put("then_branch", thenBranch).put("else_branch", thenBranch).build();
        b.output(b.op("If", attrs, cond));
        GraphException e = assertThrows(GraphException.class, b::build);
        assertTrue(e.getMessage().contains("If node 'If' reads 'x'"), e.getMessage());

        b.input("x", DType.FLOAT32);
        assertEquals(1, b.build().nodes().size());
    }
}
