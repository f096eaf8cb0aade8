package org.kindling.data;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.kindling.tensor.Generator;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Batches from a dataset ({@code torch.utils.data.DataLoader}), one epoch per {@link #iterator()}:
 * a {@link Sampler} orders the indices, a {@link BatchSampler} groups them, each group is fetched
 * with {@link Dataset#get} and the items are turned into a batch by a {@link Collate} (by default
 * {@link Collate#defaultCollate()}, which stacks them into a {@link Batch}).
 *
 * <pre>
 * var loader = DataLoader.builder(new TensorDataset(x, y))   // x: [N, 3], y: [N]
 *         .batchSize(64).shuffle(true).generator(new Generator(0)).dropLast(true)
 *         .numWorkers(2).prefetch(2)
 *         .build();
 * for (int epoch = 0; epoch &lt; 10; epoch++) {
 *     for (Batch batch : loader) {            // a new permutation each epoch
 *         Tensor out = model.forward(batch.x());
 *         Tensor loss = lossFn.forward(out, batch.y());
 *     }
 * }
 * </pre>
 *
 * <p><b>Shuffling.</b> {@code shuffle(true)} uses a {@link RandomSampler} over the loader's
 * generator ({@link Generator#global()} unless one is given): every {@code iterator()} draws a new
 * permutation from it, so the sequence of epochs is reproducible from the seed.
 *
 * <p><b>Workers.</b> With {@code numWorkers(0)} (the default) batches are fetched and collated on
 * the calling thread when {@code next()} asks for them. With {@code numWorkers(n > 0)}, {@code n}
 * daemon threads named {@code kindling-data-<k>} fetch and collate ahead, at most
 * {@code n * prefetch} batches in flight or waiting, and the iterator hands them out in sampler
 * order: the batches are exactly those of {@code numWorkers(0)}. The dataset and the collate
 * function must then allow concurrent calls. An exception while producing a batch reaches the
 * consumer as a {@link DataLoaderException} naming the batch, at its place in the order, and ends
 * the epoch. The workers stop when the epoch ends, when the iterator is {@linkplain
 * BatchIterator#close() closed} or when the loader is {@linkplain #close() closed}; a loop that
 * leaves early should close the iterator:
 *
 * <pre>
 * try (var it = loader.iterator()) {
 *     while (it.hasNext()) {
 *         Batch b = it.next();
 *         if (done(b)) break;                  // close() stops the workers
 *     }
 * }
 * </pre>
 *
 * An abandoned iterator that was not closed stops its workers once it is garbage-collected.
 *
 * <p>Over an {@link IterableDataset} the loader groups consecutive items of one pass into batches;
 * there is no sampler, no shuffle and no known {@link #size()}.
 *
 * @param <T> the item type of the dataset
 * @param <B> the batch type the collate function returns
 */
public final class DataLoader<T, B> implements Iterable<B>, AutoCloseable {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final long JOIN_MILLIS = 2_000;

    private final Dataset<T> dataset;
    private final IterableDataset<T> iterable;
    private final BatchSampler batchSampler;
    private final int batchSize;
    private final boolean dropLast;
    private final boolean shuffle;
    private final Collate<? super T, ? extends B> collate;
    private final int numWorkers;
    private final int prefetch;
    private final Set<Prefetcher> open = ConcurrentHashMap.newKeySet();

    private DataLoader(Builder<T, B> b, Sampler sampler) {
        this.dataset = b.dataset;
        this.iterable = b.iterable;
        this.batchSampler = sampler == null ? null : new BatchSampler(sampler, b.batchSize, b.dropLast);
        this.batchSize = b.batchSize;
        this.dropLast = b.dropLast;
        this.shuffle = b.shuffle;
        this.collate = b.collate;
        this.numWorkers = b.numWorkers;
        this.prefetch = b.prefetch;
    }

    /**
     * A builder for a loader over {@code dataset}; defaults: batch size 1, no shuffle, no drop-last,
     * the default collate (batches are {@link Batch}es), no workers, prefetch 2.
     */
    public static <T> Builder<T, Batch> builder(Dataset<T> dataset) {
        if (dataset == null) throw new NullPointerException("DataLoader.builder: dataset is null");
        return new Builder<>(dataset, null);
    }

    /** A builder for a loader over the items of one pass of {@code dataset}, grouped in order. */
    public static <T> Builder<T, Batch> builder(IterableDataset<T> dataset) {
        if (dataset == null) throw new NullPointerException("DataLoader.builder: dataset is null");
        return new Builder<>(null, dataset);
    }

    /**
     * Starts an epoch: draws the sampler's order now and, with workers, starts them. Close the
     * iterator if the epoch is left before its end.
     */
    @Override
    public BatchIterator<B> iterator() {
        Source<T> source = batchSampler != null ? new IndexSource(batchSampler.iterator()) : new StreamSource(iterable.iterator());
        if (numWorkers == 0) return new SerialIterator(source);
        Prefetcher state = new Prefetcher(source);
        state.start();
        open.add(state);
        return new PrefetchIterator<>(state);
    }

    /** Runs {@code action} on every batch of one epoch and closes the iterator, also on an exception. */
    @Override
    public void forEach(Consumer<? super B> action) {
        try (BatchIterator<B> it = iterator()) {
            while (it.hasNext()) action.accept(it.next());
        }
    }

    /**
     * The number of batches per epoch ({@code len(loader)}).
     *
     * @throws UnsupportedOperationException over an {@link IterableDataset}, whose length is unknown
     */
    public int size() {
        if (batchSampler == null) {
            throw new UnsupportedOperationException("DataLoader: the number of batches of an IterableDataset is unknown");
        }
        return batchSampler.size();
    }

    /** Stops the workers of every epoch still running; the loader can start new epochs afterwards. */
    @Override
    public void close() {
        for (Prefetcher p : List.copyOf(open)) p.close();
    }

    /** Items per batch (the last batch may be shorter unless {@link #dropLast()}). */
    public int batchSize() {
        return batchSize;
    }

    /** Whether a final short batch is left out. */
    public boolean dropLast() {
        return dropLast;
    }

    /** The number of worker threads per epoch; 0 produces batches on the calling thread. */
    public int numWorkers() {
        return numWorkers;
    }

    /** Batches each worker may hold ready in advance. */
    public int prefetch() {
        return prefetch;
    }

    /** The batch sampler, or {@code null} over an {@link IterableDataset}. */
    public BatchSampler batchSampler() {
        return batchSampler;
    }

    @Override
    public String toString() {
        return "DataLoader(batchSize=" + batchSize + ", shuffle=" + shuffle + ", dropLast=" + dropLast
                + ", numWorkers=" + numWorkers + (batchSampler != null ? ", batches=" + batchSampler.size() : "") + ")";
    }

    // ------------------------------------------------------------------ fetch and collate

    /** The work for one batch: its index in the epoch and how to fetch its items. */
    private interface Work<T> {
        int index();

        /** The items; a failure is reported as a {@link FetchException}. */
        List<T> fetch();
    }

    /** One epoch of work, in order; {@code null} at the end. Not thread-safe. */
    private interface Source<T> {
        Work<T> next();
    }

    /** A fetch failure, with the stage ("while fetching index 5") for the message. */
    private static final class FetchException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FetchException(String stage, Throwable cause) {
            super(stage, cause, false, false);
        }
    }

    /** Map-style: the batch sampler's index lists, fetched with {@code dataset.get}. */
    private final class IndexSource implements Source<T> {
        private final Iterator<List<Integer>> batches;
        private int count;

        IndexSource(Iterator<List<Integer>> batches) {
            this.batches = batches;
        }

        @Override
        public Work<T> next() {
            List<Integer> indices;
            try {
                if (!batches.hasNext()) return null;
                indices = batches.next();
            } catch (RuntimeException e) {
                throw new FetchException("in the sampler", e);
            }
            int k = count++;
            return new Work<>() {
                @Override
                public int index() {
                    return k;
                }

                @Override
                public List<T> fetch() {
                    List<T> items = new ArrayList<>(indices.size());
                    for (int i : indices) {
                        try {
                            items.add(dataset.get(i));
                        } catch (RuntimeException e) {
                            throw new FetchException("while fetching index " + i, e);
                        }
                    }
                    return items;
                }
            };
        }
    }

    /** Iterable-style: consecutive items of one pass, read when the work is handed out. */
    private final class StreamSource implements Source<T> {
        private final Iterator<T> items;
        private int count;
        private int read;
        private boolean ended;

        StreamSource(Iterator<T> items) {
            this.items = items;
        }

        @Override
        public Work<T> next() {
            if (ended) return null;
            int k = count;
            List<T> batch = new ArrayList<>(Math.min(batchSize, 1024));
            RuntimeException failure = null;
            try {
                while (batch.size() < batchSize && items.hasNext()) {
                    batch.add(items.next());
                    read++;
                }
            } catch (RuntimeException e) {
                failure = new FetchException("while reading item " + read + " of the IterableDataset", e);
            }
            if (failure == null && (batch.isEmpty() || (batch.size() < batchSize && dropLast))) {
                ended = true;
                return null;
            }
            if (failure != null || batch.size() < batchSize) ended = true;
            count++;
            RuntimeException f = failure;
            return new Work<>() {
                @Override
                public int index() {
                    return k;
                }

                @Override
                public List<T> fetch() {
                    if (f != null) throw f;
                    return batch;
                }
            };
        }
    }

    /**
     * Fetches and collates one batch; a failure becomes a {@link DataLoaderException} naming the
     * batch, the stage and, if not null, the worker thread.
     */
    private B produce(Work<T> work, String thread) {
        List<T> items;
        try {
            items = work.fetch();
        } catch (FetchException e) {
            throw failure(work.index(), e.getMessage(), thread, e.getCause());
        }
        try {
            return collate.collate(items);
        } catch (RuntimeException e) {
            throw failure(work.index(), "in collate", thread, e);
        }
    }

    private static DataLoaderException failure(int batch, String stage, String thread, Throwable cause) {
        return new DataLoaderException(batch, message(batch, stage, thread, cause), cause);
    }

    private static String message(int batch, String stage, String thread, Throwable cause) {
        return "DataLoader: batch " + batch + " failed " + stage + (thread == null ? "" : " in worker thread " + thread)
                + ": " + cause;
    }

    // ------------------------------------------------------------------ iterators

    /**
     * One epoch of batches ({@code iter(loader)}); {@link #close()} stops its workers and ends it.
     * After a {@link DataLoaderException} the epoch is over: {@code hasNext()} returns false.
     *
     * @param <B> the batch type
     */
    @ProviderType
    public interface BatchIterator<B> extends Iterator<B>, AutoCloseable {
        /**
         * Ends the epoch and stops its workers; idempotent. Waits up to 2 seconds for workers that are
         * inside {@code get} or {@code collate}; they are not interrupted, and exit when it returns.
         */
        @Override
        void close();
    }

    /** numWorkers == 0: fetch and collate on the caller's thread. */
    private final class SerialIterator implements BatchIterator<B> {
        private final Source<T> source;
        private Work<T> pending;
        private int nextIndex;
        private boolean done;

        SerialIterator(Source<T> source) {
            this.source = source;
        }

        @Override
        public boolean hasNext() {
            if (done) return false;
            if (pending == null) {
                try {
                    pending = source.next();
                } catch (FetchException e) {
                    done = true;
                    throw failure(nextIndex, e.getMessage(), null, e.getCause());
                }
                if (pending == null) done = true;
                else nextIndex++;
            }
            return pending != null;
        }

        @Override
        public B next() {
            if (!hasNext()) throw new NoSuchElementException("DataLoader: the epoch has no more batches");
            Work<T> w = pending;
            pending = null;
            try {
                return produce(w, null);
            } catch (RuntimeException e) {
                done = true;
                throw e;
            }
        }

        @Override
        public void close() {
            done = true;
            pending = null;
        }
    }

    /** A failed batch, posted by a worker and thrown on the consumer's thread. */
    private record Failure(int batch, String message, Throwable cause) {}

    /**
     * The shared state of one epoch with workers. Workers take work in order under the lock, produce
     * outside it and post the result by batch index; the consumer takes results in index order. At
     * most {@code capacity} batches are handed out and not yet consumed. Holds no reference to the
     * {@link PrefetchIterator}, so an abandoned iterator can be collected and its cleaner can stop us.
     */
    private final class Prefetcher {
        private final Object lock = new Object();
        private final Source<T> source;
        private final int capacity;
        private final Map<Integer, Object> ready = new HashMap<>();
        private final List<Thread> threads = new ArrayList<>();
        private int assigned;
        private int delivered;
        private boolean exhausted;
        private boolean closed;

        Prefetcher(Source<T> source) {
            this.source = source;
            this.capacity = numWorkers * prefetch;
        }

        void start() {
            for (int i = 0; i < numWorkers; i++) {
                Thread t = new Thread(this::work, "kindling-data-" + THREADS.getAndIncrement());
                t.setDaemon(true);
                threads.add(t);
            }
            for (Thread t : threads) t.start();
        }

        private void work() {
            String name = Thread.currentThread().getName();
            while (true) {
                Work<T> w;
                synchronized (lock) {
                    try {
                        while (!closed && !exhausted && assigned - delivered >= capacity) lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (closed || exhausted) return;
                    try {
                        w = source.next();
                    } catch (FetchException e) {
                        ready.put(assigned, new Failure(assigned, message(assigned, e.getMessage(), name, e.getCause()), e.getCause()));
                        assigned++;
                        w = null;
                    } catch (Throwable e) { // never leave the consumer waiting
                        ready.put(assigned, new Failure(assigned, message(assigned, "in the sampler", name, e), e));
                        assigned++;
                        w = null;
                    }
                    if (w == null) {
                        exhausted = true;
                        lock.notifyAll();
                        return;
                    }
                    assigned++;
                }
                Object result;
                try {
                    result = produce(w, name);
                } catch (DataLoaderException e) {
                    result = new Failure(w.index(), e.getMessage(), e.getCause());
                } catch (Throwable e) {
                    result = new Failure(w.index(), message(w.index(), "with an error", name, e), e);
                }
                synchronized (lock) {
                    if (closed) return;
                    ready.put(w.index(), result);
                    lock.notifyAll();
                }
            }
        }

        /** Waits until batch {@code delivered} is ready (true) or the epoch is over (false). */
        boolean await() {
            boolean finished;
            synchronized (lock) {
                while (true) {
                    if (closed) return false;
                    if (ready.containsKey(delivered)) return true;
                    if (exhausted && delivered == assigned) {
                        finished = true;
                        break;
                    }
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        int k = delivered;
                        closeLater();
                        throw new DataLoaderException(k, "DataLoader: interrupted while waiting for batch " + k, e);
                    }
                }
            }
            if (finished) close();
            return false;
        }

        /** The next batch in order, a {@link Failure}, or null if closed meanwhile. Call after {@link #await()}. */
        Object take() {
            synchronized (lock) {
                if (closed) return null;
                Object r = ready.remove(delivered++);
                lock.notifyAll();
                return r;
            }
        }

        /**
         * Stops the workers without waiting for them (safe from a cleaner thread). Workers are not
         * interrupted: an interrupt would close an NIO channel the dataset may share between threads;
         * a worker inside {@code get} or {@code collate} exits when that returns, its result dropped.
         */
        void closeLater() {
            synchronized (lock) {
                closed = true;
                ready.clear();
                lock.notifyAll();
            }
            open.remove(this);
        }

        /** Stops the workers and waits (boundedly) until they have exited. */
        void close() {
            closeLater();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
            for (Thread t : threads) {
                if (t == Thread.currentThread()) continue;
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) break;
                try {
                    t.join(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The consumer's side of a {@link Prefetcher}; its cleaner stops the workers if it is abandoned. */
    private static final class PrefetchIterator<T, B> implements BatchIterator<B> {
        private static final Cleaner CLEANER = Cleaner.create();

        private final DataLoader<T, B>.Prefetcher state;
        private final Cleaner.Cleanable cleanable;

        PrefetchIterator(DataLoader<T, B>.Prefetcher state) {
            this.state = state;
            this.cleanable = CLEANER.register(this, state::closeLater);
        }

        @Override
        public boolean hasNext() {
            return state.await();
        }

        @Override
        @SuppressWarnings("unchecked")
        public B next() {
            if (!state.await()) throw new NoSuchElementException("DataLoader: the epoch has no more batches");
            Object r = state.take();
            if (r == null) throw new NoSuchElementException("DataLoader: the iterator was closed");
            if (r instanceof Failure f) {
                close();
                throw new DataLoaderException(f.batch(), f.message(), f.cause());
            }
            return (B) r;
        }

        @Override
        public void close() {
            state.close();
            cleanable.clean();
        }
    }

    // ------------------------------------------------------------------ builder

    /**
     * Configures a {@link DataLoader}; {@link #build()} validates. The item type {@code T} is fixed by
     * the dataset, the batch type {@code B} by {@link #collate}.
     *
     * <pre>
     * DataLoader&lt;Example, Batch&gt; loader = DataLoader.builder(data).batchSize(32).shuffle(true).build();
     * DataLoader&lt;Example, Tensor&gt; inputs = DataLoader.builder(data).batchSize(32)
     *         .collate(items -&gt; Kindling.stack(items.stream().map(Example::x).toList(), 0))
     *         .build();
     * </pre>
     *
     * @param <T> the item type
     * @param <B> the batch type
     */
    public static final class Builder<T, B> {
        private final Dataset<T> dataset;
        private final IterableDataset<T> iterable;
        private int batchSize = 1;
        private boolean shuffle;
        private Sampler sampler;
        private Generator generator;
        private boolean dropLast;
        private Collate<? super T, ? extends B> collate;
        private int numWorkers;
        private int prefetch = 2;

        @SuppressWarnings("unchecked")
        private Builder(Dataset<T> dataset, IterableDataset<T> iterable) {
            this.dataset = dataset;
            this.iterable = iterable;
            this.collate = (Collate<? super T, ? extends B>) Collate.<T>defaultCollate(); // B is Batch here
        }

        /** Items per batch, {@code >= 1}; default 1. */
        public Builder<T, B> batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Draw a new random order every epoch from {@link #generator}; default false. */
        public Builder<T, B> shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** A custom index order; excludes {@code shuffle(true)}. */
        public Builder<T, B> sampler(Sampler sampler) {
            this.sampler = sampler;
            return this;
        }

        /** The generator that shuffling draws from; default {@link Generator#global()}. */
        public Builder<T, B> generator(Generator generator) {
            this.generator = generator;
            return this;
        }

        /** Leave out a final batch shorter than {@code batchSize}; default false. */
        public Builder<T, B> dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** Turns each batch's items into the batch; default {@link Collate#defaultCollate()}. */
        @SuppressWarnings("unchecked")
        public <C> Builder<T, C> collate(Collate<? super T, ? extends C> collate) {
            if (collate == null) throw new NullPointerException("collate is null");
            Builder<T, C> self = (Builder<T, C>) (Builder<T, ?>) this; // only the collate field depends on B
            self.collate = collate;
            return self;
        }

        /** Worker threads that fetch and collate ahead, {@code >= 0}; default 0 (the calling thread). */
        public Builder<T, B> numWorkers(int numWorkers) {
            this.numWorkers = numWorkers;
            return this;
        }

        /** Batches each worker may prepare in advance, {@code >= 1}; default 2. Unused without workers. */
        public Builder<T, B> prefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /**
         * The loader.
         *
         * @throws IllegalArgumentException "batchSize must be >= 1, got 0", a negative
         *     {@code numWorkers}, {@code prefetch < 1}, a sampler together with shuffle, or a sampler
         *     or shuffle over an {@link IterableDataset}
         */
        public DataLoader<T, B> build() {
            if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
            if (numWorkers < 0) throw new IllegalArgumentException("numWorkers must be >= 0, got " + numWorkers);
            if (prefetch < 1) throw new IllegalArgumentException("prefetch must be >= 1, got " + prefetch);
            if (iterable != null) {
                if (shuffle || sampler != null) {
                    throw new IllegalArgumentException("an IterableDataset has no indices to shuffle or sample, but got "
                            + (shuffle ? "shuffle(true)" : "a sampler") + "; shuffle inside the dataset instead");
                }
                return new DataLoader<>(this, null);
            }
            if (sampler != null && shuffle) {
                throw new IllegalArgumentException("sampler and shuffle(true) are mutually exclusive, got both;"
                        + " shuffle inside the sampler instead");
            }
            Sampler s = sampler != null ? sampler
                    : shuffle ? new RandomSampler(dataset, generator)
                    : new SequentialSampler(dataset);
            return new DataLoader<>(this, s);
        }
    }
}
