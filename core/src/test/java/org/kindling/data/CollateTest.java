package org.kindling.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

class CollateTest {
    private static final Collate<Object, Batch> COLLATE = Collate.defaultCollate();

    record Sample(Tensor image, int label) {}

    private record Hidden(Tensor v, double w) {}

    @Test
    void tensorsAreStackedAlongANewFirstDim() {
        Batch b = COLLATE.collate(List.of(Kindling.tensor(new float[] {1, 2}), Kindling.tensor(new float[] {3, 4})));
        assertEquals(List.of("0"), b.names());
        assertArrayEquals(new int[] {2, 2}, b.x().shape().toArray());
        assertArrayEquals(new float[] {1, 2, 3, 4}, b.x().toFloatArray());
        assertEquals(2, b.batchSize());
        assertEquals("Batch[0: [2, 2] float32]", b.toString());
    }

    @Test
    void examplesAreStackedFieldByField() {
        var data = new TensorDataset(Kindling.arange(6).view(3, 2).to(DType.FLOAT32), Kindling.tensor(new long[] {7, 8, 9}));
        Batch b = COLLATE.collate(List.of(data.get(2), data.get(0)));
        assertArrayEquals(new float[] {4, 5, 0, 1}, b.x().toFloatArray());
        assertArrayEquals(new int[] {2, 2}, b.x().shape().toArray());
        assertArrayEquals(new long[] {9, 7}, b.y().toLongArray());
        assertEquals(DType.INT64, b.y().dtype());
        assertEquals("Batch[0: [2, 2] float32, 1: [2] int64]", b.toString());
    }

    @Test
    void numbersBecomeOneDimTensorsWithPyTorchDtypes() {
        Batch ints = COLLATE.collate(List.of(3, 5, 7));
        assertEquals(DType.INT64, ints.x().dtype());
        assertArrayEquals(new long[] {3, 5, 7}, ints.x().toLongArray());
        Batch doubles = COLLATE.collate(List.of(0.5, 1.5));
        assertEquals(DType.FLOAT64, doubles.x().dtype());
        assertArrayEquals(new double[] {0.5, 1.5}, doubles.x().toDoubleArray());
        assertEquals(DType.FLOAT32, COLLATE.collate(List.of(1f, 2f)).x().dtype());
        assertEquals(DType.BOOL, COLLATE.collate(List.of(true, false)).x().dtype());
        assertArrayEquals(new long[] {1, 2}, COLLATE.collate(List.of(1, 2L)).x().toLongArray(), "integral types mix");
    }

    @Test
    void recordsListsAndMapsGiveNamedFields() {
        Batch r = COLLATE.collate(List.of(new Sample(Kindling.zeros(2, 2), 3), new Sample(Kindling.ones(2, 2), 5)));
        assertEquals(List.of("image", "label"), r.names());
        assertArrayEquals(new int[] {2, 2, 2}, r.get("image").shape().toArray());
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1, 1}, r.get("image").toFloatArray());
        assertArrayEquals(new long[] {3, 5}, r.get("label").toLongArray());
        assertEquals(r.get("label"), r.y());

        Batch h = COLLATE.collate(List.of(new Hidden(Kindling.zeros(1), 0.25)));
        assertArrayEquals(new double[] {0.25}, h.get("w").toDoubleArray(), "non-public records are read too");

        Batch l = COLLATE.collate(List.of(List.of(Kindling.zeros(3), 1), List.of(Kindling.ones(3), 0)));
        assertArrayEquals(new int[] {2, 3}, l.x().shape().toArray());
        assertArrayEquals(new long[] {1, 0}, l.y().toLongArray());

        Map<String, Object> m1 = new LinkedHashMap<>();
        m1.put("ids", new int[] {1, 2});
        m1.put("score", 0.5);
        Map<String, Object> m2 = new LinkedHashMap<>();
        m2.put("score", 1.5); // other insertion order: fields follow item 0
        m2.put("ids", new int[] {3, 4});
        Batch m = COLLATE.collate(List.of(m1, m2));
        assertEquals(List.of("ids", "score"), m.names());
        assertEquals(DType.INT32, m.get("ids").dtype());
        assertArrayEquals(new int[] {1, 2, 3, 4}, m.get("ids").toIntArray());
        assertArrayEquals(new double[] {0.5, 1.5}, m.get("score").toDoubleArray());
        assertEquals("Batch: no field 'label'; fields are [ids, score]",
                assertThrows(IllegalArgumentException.class, () -> m.get("label")).getMessage());
    }

    @Test
    void mismatchedItemsAreReportedWithTheirPositions() {
        var shape = assertThrows(IllegalArgumentException.class,
                () -> COLLATE.collate(List.of(Kindling.zeros(3), Kindling.zeros(3), Kindling.zeros(4))));
        assertEquals("collate: field '0' must have the same shape in every item, but item 0 has [3] and item 2 has [4]",
                shape.getMessage());
        var kind = assertThrows(IllegalArgumentException.class,
                () -> COLLATE.collate(List.of(Kindling.zeros(3), 4)));
        assertEquals("collate: field '0' is a Tensor in item 0 but an Integer in item 1", kind.getMessage());
        var width = assertThrows(IllegalArgumentException.class,
                () -> COLLATE.collate(List.of(List.of(1, 2), List.of(1))));
        assertEquals("collate: item 1 has 1 fields but item 0 has 2", width.getMessage());
        var str = assertThrows(IllegalArgumentException.class, () -> COLLATE.collate(List.of("a", "b")));
        assertTrue(str.getMessage().startsWith("collate: cannot collate item 0 of type java.lang.String;"), str.getMessage());
        assertTrue(str.getMessage().contains("custom Collate"), str.getMessage());
        assertThrows(IllegalArgumentException.class, () -> COLLATE.collate(List.of()));
    }

    @Test
    void batchValidatesItsFields() {
        var e = assertThrows(IllegalArgumentException.class, () -> Batch.of(Kindling.zeros(3), Kindling.zeros(4)));
        assertEquals("Batch: all fields must have the same size in dim 0, but field '0' has 3 and field '1' has 4", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Batch(List.of("a", "a"), List.of(Kindling.zeros(1), Kindling.zeros(1))));
        assertEquals("Batch: field 1 out of range for a batch of 1 field [0]",
                assertThrows(IndexOutOfBoundsException.class, () -> Batch.of(Kindling.zeros(2)).y()).getMessage());
    }
}
