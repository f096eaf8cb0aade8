package org.kindling.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kindling.data.SamplerTest.range;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.tensor.Generator;
import org.kindling.tensor.Tensor;

class DatasetTest {

    @Test
    void tensorDatasetReturnsTheSlicesOfEveryTensor() {
        Tensor x = Kindling.arange(12).view(4, 3);
        Tensor y = Kindling.tensor(new long[] {0, 1, 1, 0});
        var data = new TensorDataset(x, y);
        assertEquals(4, data.size());
        Example e = data.get(2);
        assertEquals(2, e.size());
        assertArrayEquals(new long[] {6, 7, 8}, e.x().toLongArray());
        assertEquals(1, e.y().itemLong());
        assertEquals(0, e.y().dim());
        assertTrue(e.x().sharesStorageWith(x), "items are views");
        assertEquals("index 4 out of range for dataset of size 4",
                assertThrows(IndexOutOfBoundsException.class, () -> data.get(4)).getMessage());
        assertEquals("index -1 out of range for dataset of size 4",
                assertThrows(IndexOutOfBoundsException.class, () -> data.get(-1)).getMessage());
        assertEquals("TensorDataset(size=4, shapes=[[4, 3], [4]])", data.toString());
    }

    @Test
    void tensorDatasetRejectsMismatchedTensors() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new TensorDataset(Kindling.zeros(10, 2), Kindling.zeros(9)));
        assertEquals("TensorDataset: all tensors must have the same size in dim 0, but tensor 0 has 10 and tensor 1 has 9",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TensorDataset());
        assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Kindling.scalar(1.0)));
        assertEquals("Example: field 1 out of range for an example of 1 tensor",
                assertThrows(IndexOutOfBoundsException.class,
                        () -> new TensorDataset(Kindling.zeros(3)).get(0).y()).getMessage());
    }

    @Test
    void subsetMapsIndicesThroughTheParent() {
        var s = new Subset<>(range(10), new int[] {9, 3, 3, 0});
        assertEquals(4, s.size());
        assertEquals(List.of(9, 3, 3, 0), List.of(s.get(0), s.get(1), s.get(2), s.get(3)));
        assertEquals("index 4 out of range for dataset of size 4",
                assertThrows(IndexOutOfBoundsException.class, () -> s.get(4)).getMessage());
        assertEquals("index 12 out of range for dataset of size 10",
                assertThrows(IndexOutOfBoundsException.class,
                        () -> new Subset<>(range(10), new int[] {12}).get(0)).getMessage());
    }

    @Test
    void concatDatasetIndexesAcrossBoundaries() {
        Dataset<String> a = Datasets.of(List.of("a0", "a1", "a2"));
        Dataset<String> empty = Datasets.of(List.of());
        Dataset<String> b = Datasets.of(List.of("b0"));
        Dataset<String> c = Datasets.of(List.of("c0", "c1"));
        var all = new ConcatDataset<String>(List.of(a, empty, b, c));
        assertEquals(6, all.size());
        List<String> got = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) got.add(all.get(i));
        assertEquals(List.of("a0", "a1", "a2", "b0", "c0", "c1"), got);
        assertArrayEquals(new int[] {3, 3, 4, 6}, all.cumulativeSizes());
        assertEquals("index 6 out of range for dataset of size 6",
                assertThrows(IndexOutOfBoundsException.class, () -> all.get(6)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConcatDataset<String>(List.of()));
    }

    @Test
    void randomSplitByLengthsIsDisjointCoveringAndReproducible() {
        var data = range(10);
        List<Subset<Integer>> parts = Datasets.randomSplit(data, new int[] {7, 3}, new Generator(0));
        assertEquals(7, parts.get(0).size());
        assertEquals(3, parts.get(1).size());
        Set<Integer> seen = new HashSet<>();
        for (Subset<Integer> p : parts) {
            for (int i = 0; i < p.size(); i++) assertTrue(seen.add(p.get(i)), "item " + p.get(i) + " appears twice");
        }
        assertEquals(10, seen.size());
        List<Subset<Integer>> again = Datasets.randomSplit(data, new int[] {7, 3}, new Generator(0));
        assertArrayEquals(parts.get(0).indices(), again.get(0).indices());
        assertArrayEquals(parts.get(1).indices(), again.get(1).indices());
        // PyTorch: one randperm of all indices, cut in order
        long[] perm = Kindling.randperm(10, new Generator(0)).toLongArray();
        int[] expectedFirst = Arrays.stream(perm).limit(7).mapToInt(v -> (int) v).toArray();
        assertArrayEquals(expectedFirst, parts.get(0).indices());
        assertNotEquals(Arrays.toString(parts.get(0).indices()),
                Arrays.toString(Datasets.randomSplit(data, new int[] {7, 3}, new Generator(1)).get(0).indices()));
    }

    @Test
    void randomSplitRejectsLengthsThatDoNotSumToTheSize() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.randomSplit(range(10), new int[] {3, 3}, new Generator(0)));
        assertEquals("randomSplit: lengths [3, 3] sum to 6, but the dataset has size 10", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Datasets.randomSplit(range(10), new int[] {11, -1}));
    }

    @Test
    void randomSplitByFractionsDistributesTheRemainderLikePyTorch() {
        assertArrayEquals(new int[] {8, 2}, Datasets.lengthsOf(new double[] {0.8, 0.2}, 10));
        // floors 3, 3, 3; the one left over goes to split 0
        assertArrayEquals(new int[] {4, 3, 3}, Datasets.lengthsOf(new double[] {0.33, 0.33, 0.34}, 10));
        // floors 0, 0, 0 for 2 items; remainder 2 goes to splits 0 and 1
        assertArrayEquals(new int[] {1, 1, 0}, Datasets.lengthsOf(new double[] {0.3, 0.3, 0.4}, 2));
        assertArrayEquals(new int[] {34, 33, 33}, Datasets.lengthsOf(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, 100));
        assertArrayEquals(new int[] {7, 2, 1}, Datasets.lengthsOf(new double[] {0.7, 0.2, 0.1}, 10));
        List<Subset<Integer>> parts = Datasets.randomSplit(range(10), new double[] {0.5, 0.5}, new Generator(4));
        assertEquals(5, parts.get(0).size());
        assertEquals(5, parts.get(1).size());
        assertEquals("randomSplit: fractions [0.5, 0.3] sum to 0.8, expected 1",
                assertThrows(IllegalArgumentException.class,
                        () -> Datasets.randomSplit(range(10), new double[] {0.5, 0.3})).getMessage());
        assertEquals("randomSplit: fraction at index 0 is 1.5, expected a value in [0, 1]",
                assertThrows(IllegalArgumentException.class,
                        () -> Datasets.randomSplit(range(10), new double[] {1.5, -0.5})).getMessage());
    }

    @Test
    void listDatasetChecksIndices() {
        var d = Datasets.of(List.of("a", "b"));
        assertEquals("b", d.get(1));
        assertEquals("index 2 out of range for dataset of size 2",
                assertThrows(IndexOutOfBoundsException.class, () -> d.get(2)).getMessage());
    }
}
