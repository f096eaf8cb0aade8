package org.kindling.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Groups the indices of a {@link Sampler} into batches of {@code batchSize}, in order
 * ({@code torch.utils.data.BatchSampler}). The last batch is shorter when the sampler's size is not
 * a multiple of {@code batchSize}, or left out with {@code dropLast}. For 10 items and batch 3:
 *
 * <pre>
 * var seq = new SequentialSampler(data);                    // data.size() == 10
 * new BatchSampler(seq, 3, false);   // [0, 1, 2], [3, 4, 5], [6, 7, 8], [9]     size() == 4
 * new BatchSampler(seq, 3, true);    // [0, 1, 2], [3, 4, 5], [6, 7, 8]          size() == 3
 * </pre>
 */
public final class BatchSampler implements Iterable<List<Integer>> {
    private final Sampler sampler;
    private final int batchSize;
    private final boolean dropLast;

    /**
     * Batches of {@code batchSize} indices from {@code sampler}.
     *
     * @throws IllegalArgumentException if {@code batchSize < 1}
     */
    public BatchSampler(Sampler sampler, int batchSize, boolean dropLast) {
        if (sampler == null) throw new NullPointerException("BatchSampler: sampler is null");
        if (batchSize < 1) throw new IllegalArgumentException("BatchSampler: batchSize must be >= 1, got " + batchSize);
        this.sampler = sampler;
        this.batchSize = batchSize;
        this.dropLast = dropLast;
    }

    /** One epoch of batches; each is an unmodifiable list. Starts one epoch of the sampler. */
    @Override
    public Iterator<List<Integer>> iterator() {
        Iterator<Integer> indices = sampler.iterator();
        return new Iterator<>() {
            private List<Integer> next = advance();

            private List<Integer> advance() {
                int[] batch = new int[Math.min(batchSize, 1024)];
                int k = 0;
                while (k < batchSize && indices.hasNext()) {
                    if (k == batch.length) batch = Arrays.copyOf(batch, (int) Math.min(batchSize, 2L * k));
                    batch[k++] = indices.next();
                }
                if (k == 0 || (k < batchSize && dropLast)) return null;
                return Samplers.view(k == batch.length ? batch : Arrays.copyOf(batch, k));
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public List<Integer> next() {
                if (next == null) throw new NoSuchElementException("BatchSampler: no more batches in this epoch");
                List<Integer> out = next;
                next = advance();
                return out;
            }
        };
    }

    /** The number of batches per epoch: {@code n / batchSize} with dropLast, else rounded up. */
    public int size() {
        int n = sampler.size();
        return dropLast ? n / batchSize : (int) (((long) n + batchSize - 1) / batchSize);
    }

    /** The sampler whose indices are grouped. */
    public Sampler sampler() {
        return sampler;
    }

    /** The number of indices per batch (the last may be shorter unless {@link #dropLast()}). */
    public int batchSize() {
        return batchSize;
    }

    /** Whether a final short batch is left out. */
    public boolean dropLast() {
        return dropLast;
    }

    @Override
    public String toString() {
        return "BatchSampler(batchSize=" + batchSize + ", dropLast=" + dropLast + ", batches=" + size() + ")";
    }
}
