package org.kindling.bench.training;

/** One engine's training step on a fixed batch: forward, cross-entropy, backward, SGD update. */
interface TrainStep extends AutoCloseable {
    /** One full step; the timed unit. */
    void step();

    /** The loss of one more step (forward, loss, backward, update), read back as a number. */
    double stepAndLoss();

    @Override
    default void close() {}
}
