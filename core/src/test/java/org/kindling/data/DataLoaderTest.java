package org.kindling.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kindling.data.SamplerTest.range;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Generator;
import org.kindling.tensor.Tensor;

class DataLoaderTest {

    /** Ten samples: x[i] = [i, 10 i] (float32), y[i] = i % 3 (int64). */
    static TensorDataset tenSamples() {
        float[][] x = new float[10][];
        long[] y = new long[10];
        for (int i = 0; i < 10; i++) {
            x[i] = new float[] {i, 10 * i};
            y[i] = i % 3;
        }
        return new TensorDataset(Kindling.tensor(x), Kindling.tensor(y));
    }

    /** The first column of every batch's x, as the item indices of each batch. */
    static List<List<Integer>> indices(Iterable<Batch> loader) {
        List<List<Integer>> out = new ArrayList<>();
        for (Batch b : loader) {
            List<Integer> ids = new ArrayList<>();
            Tensor x = b.x();
            for (long v : (x.dim() == 1 ? x : x.select(1, 0)).to(DType.INT64).toLongArray()) ids.add((int) v);
            out.add(ids);
        }
        return out;
    }

    /** Workers alive before the test (from other test classes' abandoned loaders); not ours to count. */
    private static Set<Thread> before = Set.of();

    static Set<Thread> workers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("kindling-data-"))
                .collect(Collectors.toSet());
    }

    /** kindling-data threads started by this test and still alive. */
    static long liveWorkers() {
        return workers().stream().filter(t -> !before.contains(t)).count();
    }

    @BeforeEach
    void rememberForeignWorkers() {
        before = workers();
    }

    @AfterEach
    void noWorkerOutlivesATest() {
        assertEquals(0, liveWorkers(), "kindling-data threads still alive after the test");
    }

    @Test
    void sequentialLoadingGivesExactBatchContents() {
        DataLoader<Example, Batch> loader = DataLoader.builder(tenSamples()).batchSize(4).build();
        assertEquals(3, loader.size());
        List<Batch> batches = new ArrayList<>();
        loader.forEach(batches::add);
        assertEquals(3, batches.size());
        assertArrayEquals(new float[] {0, 0, 1, 10, 2, 20, 3, 30}, batches.get(0).x().toFloatArray());
        assertArrayEquals(new int[] {4, 2}, batches.get(0).x().shape().toArray());
        assertArrayEquals(new long[] {0, 1, 2, 0}, batches.get(0).y().toLongArray());
        assertArrayEquals(new float[] {4, 40, 5, 50, 6, 60, 7, 70}, batches.get(1).x().toFloatArray());
        assertArrayEquals(new long[] {1, 2, 0, 1}, batches.get(1).y().toLongArray());
        assertArrayEquals(new float[] {8, 80, 9, 90}, batches.get(2).x().toFloatArray());
        assertArrayEquals(new int[] {2, 2}, batches.get(2).x().shape().toArray());
        assertArrayEquals(new long[] {2, 0}, batches.get(2).y().toLongArray());
    }

    @Test
    void dropLastLeavesOutTheShortBatch() {
        var loader = DataLoader.builder(tenSamples()).batchSize(4).dropLast(true).build();
        assertEquals(2, loader.size());
        assertEquals(List.of(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7)), indices(loader));
        var three = DataLoader.builder(tenSamples()).batchSize(3).build();
        assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6, 7, 8), List.of(9)), indices(three));
        var threeDrop = DataLoader.builder(tenSamples()).batchSize(3).dropLast(true).build();
        assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6, 7, 8)), indices(threeDrop));
    }

    @Test
    void defaultBatchSizeIsOne() {
        var loader = DataLoader.builder(range(3)).build();
        assertEquals(3, loader.size());
        assertEquals(List.of(List.of(0), List.of(1), List.of(2)), indices(loader));
    }

    @Test
    void seededShuffleIsReproducibleAndChangesEveryEpoch() {
        var a = DataLoader.builder(range(50)).batchSize(8).shuffle(true).generator(new Generator(123)).build();
        var b = DataLoader.builder(range(50)).batchSize(8).shuffle(true).generator(new Generator(123)).build();
        List<List<Integer>> a1 = indices(a);
        List<List<Integer>> a2 = indices(a);
        assertNotEquals(a1, a2, "a new permutation each epoch");
        assertEquals(a1, indices(b), "epoch 1 reproducible from the seed");
        assertEquals(a2, indices(b), "epoch 2 reproducible from the seed");
        for (List<List<Integer>> epoch : List.of(a1, a2)) {
            assertEquals(7, epoch.size());
            assertEquals(2, epoch.get(6).size());
            List<Integer> all = epoch.stream().flatMap(List::stream).sorted().toList();
            assertEquals(IntStream.range(0, 50).boxed().toList(), all, "every index exactly once per epoch");
        }
        assertNotEquals(a1, indices(DataLoader.builder(range(50)).batchSize(8).shuffle(true).generator(new Generator(124)).build()));
    }

    @Test
    void shuffleWithoutAGeneratorFollowsManualSeed() {
        Kindling.manualSeed(77);
        List<List<Integer>> first = indices(DataLoader.builder(range(20)).batchSize(5).shuffle(true).build());
        Kindling.manualSeed(77);
        List<List<Integer>> second = indices(DataLoader.builder(range(20)).batchSize(5).shuffle(true).build());
        assertEquals(first, second);
    }

    @Test
    void workersGiveExactlyTheBatchesOfTheCallingThread() {
        // uneven fetch times so workers finish out of order
        Dataset<Integer> slow = new Dataset<>() {
            @Override
            public Integer get(int index) {
                if (index % 5 == 0) sleep(3);
                return Datasets.checkIndex(index, size());
            }

            @Override
            public int size() {
                return 61;
            }
        };
        for (boolean shuffle : new boolean[] {false, true}) {
            var serial = DataLoader.builder(slow).batchSize(4).shuffle(shuffle).generator(new Generator(5)).build();
            var parallel = DataLoader.builder(slow).batchSize(4).shuffle(shuffle).generator(new Generator(5))
                    .numWorkers(2).prefetch(2).build();
            for (int epoch = 0; epoch < 2; epoch++) {
                List<List<Integer>> expected = indices(serial);
                assertEquals(16, expected.size());
                assertEquals(expected, indices(parallel), "shuffle=" + shuffle + ", epoch " + epoch);
            }
        }
    }

    @Test
    void workersRunOnNamedDaemonThreads() {
        List<String> seen = new ArrayList<>();
        Collate<Integer, String> where = items -> Thread.currentThread().getName() + "," + Thread.currentThread().isDaemon();
        var loader = DataLoader.builder(range(6)).batchSize(2).collate(where).numWorkers(2).build();
        loader.forEach(seen::add);
        assertEquals(3, seen.size());
        for (String s : seen) assertTrue(s.matches("kindling-data-\\d+,true"), s);
    }

    @Test
    void aFailingFetchReportsTheBatchAndIndex() {
        Dataset<Integer> broken = new Dataset<>() {
            @Override
            public Integer get(int index) {
                if (index == 5) throw new IllegalStateException("corrupt record");
                return index;
            }

            @Override
            public int size() {
                return 10;
            }
        };
        for (int workers : new int[] {0, 2}) {
            var loader = DataLoader.builder(broken).batchSize(2).numWorkers(workers).build();
            List<List<Integer>> got = new ArrayList<>();
            var it = loader.iterator();
            got.add(ids(it.next()));
            got.add(ids(it.next()));
            assertEquals(List.of(List.of(0, 1), List.of(2, 3)), got, "batches before the failure arrive, in order");
            DataLoaderException e = assertThrows(DataLoaderException.class, it::next);
            assertEquals(2, e.batchIndex());
            assertInstanceOf(IllegalStateException.class, e.getCause());
            String where = workers == 0 ? "" : " in worker thread kindling-data-";
            assertTrue(e.getMessage().startsWith("DataLoader: batch 2 failed while fetching index 5" + where), e.getMessage());
            assertTrue(e.getMessage().endsWith(": java.lang.IllegalStateException: corrupt record"), e.getMessage());
            assertFalse(it.hasNext(), "the epoch ends at the failure");
            it.close();
        }
    }

    @Test
    void aFailingCollateIsReportedToo() {
        Collate<Integer, Integer> failAtThirdBatch = items -> {
            if (items.get(0) == 6) throw new ArithmeticException("bad batch");
            return items.get(0);
        };
        for (int workers : new int[] {0, 3}) {
            var loader = DataLoader.builder(range(10)).batchSize(3).collate(failAtThirdBatch).numWorkers(workers).build();
            List<Integer> firsts = new ArrayList<>();
            var e = assertThrows(DataLoaderException.class, () -> loader.forEach(firsts::add));
            assertEquals(List.of(0, 3), firsts);
            assertEquals(2, e.batchIndex());
            assertTrue(e.getMessage().startsWith("DataLoader: batch 2 failed in collate"), e.getMessage());
        }
    }

    @Test
    void closingTheIteratorEarlyStopsTheWorkers() {
        var loader = DataLoader.builder(range(500)).batchSize(5).numWorkers(2).prefetch(2).build();
        try (var it = loader.iterator()) {
            assertEquals(List.of(0, 1, 2, 3, 4), ids(it.next()));
            assertEquals(List.of(5, 6, 7, 8, 9), ids(it.next()));
            assertTrue(liveWorkers() > 0, "workers are prefetching");
        }
        assertEquals(0, liveWorkers(), "close() stops and joins the workers");
    }

    @Test
    void closingTheLoaderStopsEveryOpenEpoch() {
        var loader = DataLoader.builder(range(500)).batchSize(5).numWorkers(2).build();
        var first = loader.iterator();
        var second = loader.iterator();
        first.next();
        second.next();
        loader.close();
        assertEquals(0, liveWorkers());
        assertFalse(first.hasNext());
        assertThrows(java.util.NoSuchElementException.class, second::next);
        assertEquals(List.of(0, 1, 2, 3, 4), ids(loader.iterator().next()), "a closed loader can start a new epoch");
        loader.close();
    }

    @Test
    void anAbandonedIteratorStopsItsWorkersOnceCollected() throws InterruptedException {
        var loader = DataLoader.builder(range(500)).batchSize(5).numWorkers(2).build();
        takeOneAndAbandon(loader);
        for (int i = 0; i < 100 && liveWorkers() > 0; i++) {
            System.gc();
            Thread.sleep(20);
        }
        loader.close(); // the fallback, should the collector not have run
        assertEquals(0, liveWorkers());
    }

    private static void takeOneAndAbandon(DataLoader<Integer, Batch> loader) {
        for (Batch b : loader) {
            assertEquals(5, b.batchSize());
            break;
        }
    }

    @Test
    void prefetchBoundsTheWorkAhead() throws InterruptedException {
        AtomicInteger fetched = new AtomicInteger();
        Dataset<Integer> counting = new Dataset<>() {
            @Override
            public Integer get(int index) {
                fetched.incrementAndGet();
                return index;
            }

            @Override
            public int size() {
                return 100;
            }
        };
        var loader = DataLoader.builder(counting).batchSize(1).numWorkers(2).prefetch(1).build();
        try (var it = loader.iterator()) {
            it.next();
            Thread.sleep(100);
            assertTrue(fetched.get() <= 3, "at most numWorkers * prefetch batches ahead of the consumer, fetched " + fetched);
        }
    }

    @Test
    void iterableDatasetsAreBatchedInOrder() {
        IterableDataset<Integer> counts = () -> IntStream.range(0, 5).iterator();
        for (int workers : new int[] {0, 2}) {
            var loader = DataLoader.builder(counts).batchSize(2).numWorkers(workers).build();
            assertEquals(List.of(List.of(0, 1), List.of(2, 3), List.of(4)), indices(loader));
            assertEquals(List.of(List.of(0, 1), List.of(2, 3)),
                    indices(DataLoader.builder(counts).batchSize(2).dropLast(true).numWorkers(workers).build()));
            assertThrows(UnsupportedOperationException.class, loader::size);
        }
        IterableDataset<Integer> failing = () -> IntStream.range(0, 5).map(i -> 10 / (3 - i)).iterator();
        var e = assertThrows(DataLoaderException.class, () -> indices(DataLoader.builder(failing).batchSize(2).build()));
        assertEquals(1, e.batchIndex());
        assertTrue(e.getMessage().startsWith("DataLoader: batch 1 failed while reading item 3 of the IterableDataset"), e.getMessage());
    }

    @Test
    void customSamplerAndCollate() {
        Sampler reversed = new Sampler() {
            @Override
            public java.util.Iterator<Integer> iterator() {
                return List.of(4, 3, 2, 1, 0).iterator();
            }

            @Override
            public int size() {
                return 5;
            }
        };
        DataLoader<Integer, String> loader = DataLoader.builder(range(5)).sampler(reversed).batchSize(2)
                .collate(items -> items.toString()).build();
        List<String> got = new ArrayList<>();
        for (String s : loader) got.add(s);
        assertEquals(List.of("[4, 3]", "[2, 1]", "[0]"), got);
        var weighted = DataLoader.builder(range(4)).sampler(new WeightedRandomSampler(new double[] {0, 0, 1, 0}, 6))
                .batchSize(3).build();
        assertEquals(List.of(List.of(2, 2, 2), List.of(2, 2, 2)), indices(weighted));
    }

    @Test
    void buildValidatesTheConfiguration() {
        assertEquals("batchSize must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(range(3)).batchSize(0).build()).getMessage());
        assertEquals("numWorkers must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(range(3)).numWorkers(-1).build()).getMessage());
        assertEquals("prefetch must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(range(3)).prefetch(0).build()).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> DataLoader.builder(range(3)).shuffle(true).sampler(new SequentialSampler(range(3))).build());
        IterableDataset<Integer> it = () -> List.of(1, 2).iterator();
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(it).shuffle(true).build());
        assertThrows(NullPointerException.class, () -> DataLoader.builder((Dataset<Integer>) null));
    }

    @Test
    void trainingLoopShapeFromTheReadme() {
        var loader = DataLoader.builder(tenSamples()).batchSize(4).shuffle(true).generator(new Generator(0))
                .numWorkers(2).build();
        int seen = 0;
        for (var batch : loader) {
            Tensor x = batch.x();
            Tensor y = batch.y();
            assertEquals(batch.batchSize(), x.size(0));
            assertEquals(x.size(0), y.size(0));
            // the pairing of x and y survives shuffling: y == x[:, 0] % 3
            long[] xs = x.select(1, 0).to(DType.INT64).toLongArray();
            long[] ys = y.toLongArray();
            for (int i = 0; i < xs.length; i++) assertEquals(xs[i] % 3, ys[i]);
            seen += x.size(0);
        }
        assertEquals(10, seen);
    }

    private static List<Integer> ids(Batch b) {
        return Arrays.stream(b.x().toLongArray()).mapToObj(v -> (int) v).toList();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
