package org.kindling.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Indices {@code 0, 1, ..., size-1} in order ({@code torch.utils.data.SequentialSampler}); the
 * {@link DataLoader} default without shuffle. The size is read from the dataset at each epoch.
 *
 * <pre>
 * new SequentialSampler(data);   // data.size() == 4: 0, 1, 2, 3
 * </pre>
 */
public final class SequentialSampler implements Sampler {
    private final Dataset<?> dataset;

    /** Samples {@code 0 .. dataset.size()-1}. */
    public SequentialSampler(Dataset<?> dataset) {
        if (dataset == null) throw new NullPointerException("SequentialSampler: dataset is null");
        this.dataset = dataset;
    }

    @Override
    public Iterator<Integer> iterator() {
        int n = dataset.size();
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < n;
            }

            @Override
            public Integer next() {
                if (next >= n) throw new NoSuchElementException("SequentialSampler: all " + n + " indices were returned");
                return next++;
            }
        };
    }

    @Override
    public int size() {
        return dataset.size();
    }

    @Override
    public String toString() {
        return "SequentialSampler(size=" + size() + ")";
    }
}
