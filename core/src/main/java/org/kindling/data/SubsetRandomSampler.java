package org.kindling.data;

import java.util.Iterator;
import org.kindling.tensor.Generator;

/**
 * The given indices in a random order, fresh each epoch ({@code torch.utils.data.SubsetRandomSampler}),
 * e.g. to draw a training split from one dataset without building a {@link Subset}.
 *
 * <pre>
 * var train = new SubsetRandomSampler(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, new Generator(0));
 * var loader = DataLoader.builder(data).sampler(train).batchSize(4).build();   // 2 batches from items 0..7
 * </pre>
 */
public final class SubsetRandomSampler implements Sampler {
    private final int[] indices;
    private final Generator generator;

    /** Shuffles {@code indices} (copied) with {@link Generator#global()}. */
    public SubsetRandomSampler(int[] indices) {
        this(indices, null);
    }

    /** Shuffles {@code indices} (copied) with {@code generator} ({@code null}: the global generator). */
    public SubsetRandomSampler(int[] indices, Generator generator) {
        this.indices = indices.clone();
        this.generator = Samplers.orGlobal(generator);
    }

    @Override
    public Iterator<Integer> iterator() {
        int[] perm = Samplers.permutation(indices.length, generator);
        int[] out = new int[indices.length];
        for (int i = 0; i < out.length; i++) out[i] = indices[perm[i]];
        return Samplers.iterator(out);
    }

    @Override
    public int size() {
        return indices.length;
    }

    /** A copy of the indices sampled from. */
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public String toString() {
        return "SubsetRandomSampler(size=" + indices.length + ")";
    }
}
