package org.kindling.data;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A stream-style dataset ({@code torch.utils.data.IterableDataset}): items come from an iterator,
 * in order, without random access, e.g. lines of a file or an endless generator. A
 * {@link DataLoader} over it groups consecutive items into batches; it takes no sampler and no
 * shuffle. Each call to {@link #iterator()} should start a fresh pass (an epoch).
 *
 * <pre>
 * IterableDataset&lt;Integer&gt; counts = () -&gt; IntStream.range(0, 5).iterator();
 * var loader = DataLoader.builder(counts).batchSize(2).build();   // batches [0, 1], [2, 3], [4]
 * </pre>
 *
 * <p>With {@code numWorkers > 0} the items are still read by one thread at a time, in order; the
 * workers collate in parallel.
 *
 * @param <T> the item type
 */
@ConsumerType
@FunctionalInterface
public interface IterableDataset<T> extends Iterable<T> {}
