package org.kindling.data;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A source of dataset indices ({@code torch.utils.data.Sampler}): each call to {@link #iterator()}
 * is one epoch's order; {@link #size()} is how many indices an epoch yields. Random samplers draw
 * the whole epoch from their {@link org.kindling.tensor.Generator} when {@code iterator()} is
 * called, so the order does not depend on which thread consumes it.
 *
 * <pre>
 * Sampler evensFirst = new Sampler() {
 *     public Iterator&lt;Integer&gt; iterator() { return List.of(0, 2, 4, 1, 3).iterator(); }
 *     public int size() { return 5; }
 * };
 * var loader = DataLoader.builder(data).sampler(evensFirst).batchSize(2).build();
 * </pre>
 */
@ConsumerType
public interface Sampler extends Iterable<Integer> {

    /** The number of indices one epoch yields. */
    int size();
}
