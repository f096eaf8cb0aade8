package org.kindling.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kindling.data.SamplerTest.drain;
import static org.kindling.data.SamplerTest.range;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.tensor.Generator;
import org.kindling.tensor.Tensor;

/** The {@code <pre>} examples of the org.kindling.data javadoc, run as written. */
class DataExamplesTest {

    @Test
    void datasetJavadoc() {
        Dataset<Integer> squares = new Dataset<>() {
            @Override
            public Integer get(int index) {
                return Datasets.checkIndex(index, size()) * index;
            }

            @Override
            public int size() {
                return 10;
            }
        };
        assertEquals(9, squares.get(3));
    }

    @Test
    void exampleAndTensorDatasetJavadoc() {
        var data = new TensorDataset(Kindling.arange(6).view(3, 2), Kindling.tensor(new long[] {0, 1, 0}));
        Example e = data.get(1);
        assertEquals("tensor([2, 3])", e.x().toString());
        assertEquals("tensor(1)", e.y().toString());

        Tensor x = Kindling.arange(12).view(4, 3);
        Tensor y = Kindling.tensor(new long[] {0, 1, 1, 0});
        var d2 = new TensorDataset(x, y);
        assertEquals(4, d2.size());
        assertEquals("tensor([6, 7, 8])", d2.get(2).x().toString());
        assertEquals("tensor(1)", d2.get(2).y().toString());
    }

    @Test
    void iterableDatasetJavadoc() {
        IterableDataset<Integer> counts = () -> IntStream.range(0, 5).iterator();
        var loader = DataLoader.builder(counts).batchSize(2).build();
        List<String> got = new ArrayList<>();
        for (Batch b : loader) got.add(b.x().toString());
        assertEquals(List.of("tensor([0, 1])", "tensor([2, 3])", "tensor([4])"), got);
    }

    @Test
    void collateJavadoc() {
        record Sample(Tensor image, int label) {}
        Batch b = Collate.defaultCollate().collate(List.of(
                new Sample(Kindling.zeros(2, 2), 3), new Sample(Kindling.ones(2, 2), 5)));
        assertEquals("[2, 2, 2]", b.get("image").shape().toString());
        assertEquals("tensor([3, 5])", b.get("label").toString());
    }

    @Test
    void randomSplitAndConcatJavadoc() {
        var data = new TensorDataset(Kindling.arange(10));
        var parts = Datasets.randomSplit(data, new double[] {0.8, 0.2}, new Generator(42));
        assertEquals(8, parts.get(0).size());
        assertEquals(2, parts.get(1).size());
        var all = new ConcatDataset<Integer>(List.of(range(8), Datasets.of(List.of(100, 101, 102))));
        assertEquals(11, all.size());
        assertEquals(100, all.get(8));
        assertArrayEquals(new int[] {8, 11}, all.cumulativeSizes());
    }

    @Test
    void samplerJavadocs() {
        var data = range(5);
        var s = new RandomSampler(data, new Generator(7));
        List<Integer> epoch1 = new ArrayList<>();
        s.forEach(epoch1::add);
        assertEquals(List.of(0, 1, 2, 3, 4), epoch1.stream().sorted().toList());
        assertEquals(100, drain(new RandomSampler(data, true, 100, new Generator(7))).size());
        var train = new SubsetRandomSampler(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, new Generator(0));
        assertEquals(2, DataLoader.builder(range(10)).sampler(train).batchSize(4).build().size());
    }

    @Test
    void builderJavadoc() {
        var data = new TensorDataset(Kindling.randn(10, 3), Kindling.zeros(10));
        DataLoader<Example, Batch> loader = DataLoader.builder(data).batchSize(4).shuffle(true).build();
        assertEquals(3, loader.size());
        DataLoader<Example, Tensor> inputs = DataLoader.builder(data).batchSize(4)
                .collate(items -> Kindling.stack(items.stream().map(Example::x).toList(), 0))
                .build();
        List<String> shapes = new ArrayList<>();
        for (Tensor t : inputs) shapes.add(t.shape().toString());
        assertEquals(List.of("[4, 3]", "[4, 3]", "[2, 3]"), shapes);
    }
}
