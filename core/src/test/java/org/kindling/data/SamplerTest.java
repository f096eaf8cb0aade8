package org.kindling.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.tensor.Generator;

class SamplerTest {

    static Dataset<Integer> range(int n) {
        return Datasets.of(IntStream.range(0, n).boxed().toList());
    }

    static <E> List<E> drain(Iterable<E> it) {
        List<E> out = new ArrayList<>();
        it.forEach(out::add);
        return out;
    }

    static List<Integer> sorted(List<Integer> xs) {
        List<Integer> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s;
    }

    @Test
    void sequentialSamplerYieldsEveryIndexInOrder() {
        var s = new SequentialSampler(range(5));
        assertEquals(List.of(0, 1, 2, 3, 4), drain(s));
        assertEquals(5, s.size());
        assertEquals(List.of(), drain(new SequentialSampler(range(0))));
    }

    @Test
    void batchSamplerGroupsTenItemsByThreeAsItsJavadocSays() {
        var seq = new SequentialSampler(range(10));
        var keep = new BatchSampler(seq, 3, false);
        assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6, 7, 8), List.of(9)), drain(keep));
        assertEquals(4, keep.size());
        var drop = new BatchSampler(seq, 3, true);
        assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6, 7, 8)), drain(drop));
        assertEquals(3, drop.size());
    }

    @Test
    void batchSamplerEdgeSizes() {
        assertEquals(List.of(List.of(0, 1, 2, 3)), drain(new BatchSampler(new SequentialSampler(range(4)), 100, false)));
        assertEquals(List.of(), drain(new BatchSampler(new SequentialSampler(range(4)), 100, true)));
        assertEquals(0, new BatchSampler(new SequentialSampler(range(4)), 100, true).size());
        assertEquals(List.of(List.of(0, 1), List.of(2, 3)), drain(new BatchSampler(new SequentialSampler(range(4)), 2, true)));
        assertEquals(0, new BatchSampler(new SequentialSampler(range(0)), 3, false).size());
        var e = assertThrows(IllegalArgumentException.class, () -> new BatchSampler(new SequentialSampler(range(4)), 0, false));
        assertEquals("BatchSampler: batchSize must be >= 1, got 0", e.getMessage());
    }

    @Test
    void randomSamplerIsAPermutationPerEpochReproducibleFromTheSeed() {
        var a = new RandomSampler(range(20), new Generator(11));
        var b = new RandomSampler(range(20), new Generator(11));
        List<Integer> a1 = drain(a);
        List<Integer> a2 = drain(a);
        assertEquals(IntStream.range(0, 20).boxed().toList(), sorted(a1));
        assertEquals(IntStream.range(0, 20).boxed().toList(), sorted(a2));
        assertNotEquals(a1, a2, "each epoch draws a new permutation");
        assertEquals(a1, drain(b), "same seed, same first epoch");
        assertEquals(a2, drain(b), "same seed, same second epoch");
        // the permutation is Kindling.randperm's
        long[] expected = Kindling.randperm(20, new Generator(11)).toLongArray();
        for (int i = 0; i < 20; i++) assertEquals(expected[i], (long) a1.get(i));
    }

    @Test
    void randomSamplerNumSamplesWithoutReplacementChainsPermutations() {
        var s = new RandomSampler(range(4), false, 10, new Generator(3));
        List<Integer> xs = drain(s);
        assertEquals(10, xs.size());
        assertEquals(10, s.size());
        assertEquals(List.of(0, 1, 2, 3), sorted(xs.subList(0, 4)));
        assertEquals(List.of(0, 1, 2, 3), sorted(xs.subList(4, 8)));
        assertEquals(2, new HashSet<>(xs.subList(8, 10)).size());
    }

    @Test
    void randomSamplerWithReplacementDrawsUniformIndices() {
        var s = new RandomSampler(range(5), true, 5000, new Generator(5));
        int[] counts = new int[5];
        for (int i : s) counts[i]++;
        for (int c : counts) assertEquals(1000, c, 120);
        var e = assertThrows(IllegalArgumentException.class, () -> new RandomSampler(range(5), true, 0, null));
        assertEquals("RandomSampler: numSamples must be >= 1, got 0", e.getMessage());
        var empty = assertThrows(IllegalStateException.class, () -> new RandomSampler(range(0), true, 3, null).iterator());
        assertEquals("RandomSampler: cannot draw 3 samples from an empty dataset", empty.getMessage());
    }

    @Test
    void subsetRandomSamplerShufflesOnlyTheGivenIndices() {
        int[] idx = {10, 20, 30, 40, 50};
        var s = new SubsetRandomSampler(idx, new Generator(1));
        List<Integer> e1 = drain(s);
        List<Integer> e2 = drain(s);
        assertEquals(List.of(10, 20, 30, 40, 50), sorted(e1));
        assertEquals(List.of(10, 20, 30, 40, 50), sorted(e2));
        assertNotEquals(e1, e2);
        assertEquals(e1, drain(new SubsetRandomSampler(idx, new Generator(1))));
    }

    @Test
    void weightedSamplerWithReplacementMatchesTheWeights() {
        double[] w = {1, 0, 3, 6};
        var s = new WeightedRandomSampler(w, 100_000, true, new Generator(9));
        int[] counts = new int[4];
        for (int i : s) counts[i]++;
        assertEquals(0, counts[1], "weight 0 is never drawn");
        assertEquals(0.1, counts[0] / 100_000.0, 0.01);
        assertEquals(0.3, counts[2] / 100_000.0, 0.01);
        assertEquals(0.6, counts[3] / 100_000.0, 0.01);
        assertEquals(drain(s).size(), s.size());
    }

    @Test
    void weightedSamplerWithoutReplacementDrawsDistinctIndicesHeavyFirst() {
        double[] w = {1, 0, 1, 8};
        int firstIsHeavy = 0;
        var s = new WeightedRandomSampler(w, 3, false, new Generator(2));
        for (int epoch = 0; epoch < 2000; epoch++) {
            List<Integer> xs = drain(s);
            assertEquals(List.of(0, 2, 3), sorted(xs), "distinct, never the zero weight");
            if (xs.get(0) == 3) firstIsHeavy++;
        }
        assertEquals(0.8, firstIsHeavy / 2000.0, 0.04, "the first draw is proportional to the weights");
    }

    @Test
    void weightedSamplerValidatesItsArguments() {
        assertEquals("WeightedRandomSampler: weights must be finite and >= 0, got -1.0 at index 2",
                assertThrows(IllegalArgumentException.class,
                        () -> new WeightedRandomSampler(new double[] {1, 2, -1}, 3)).getMessage());
        assertEquals("WeightedRandomSampler: all 2 weights are 0",
                assertThrows(IllegalArgumentException.class,
                        () -> new WeightedRandomSampler(new double[] {0, 0}, 3)).getMessage());
        assertEquals("WeightedRandomSampler: cannot draw 3 samples without replacement from 2 non-zero weights",
                assertThrows(IllegalArgumentException.class,
                        () -> new WeightedRandomSampler(new double[] {1, 0, 1}, 3, false, null)).getMessage());
        assertEquals("WeightedRandomSampler: numSamples must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class,
                        () -> new WeightedRandomSampler(new double[] {1}, 0)).getMessage());
    }
}
