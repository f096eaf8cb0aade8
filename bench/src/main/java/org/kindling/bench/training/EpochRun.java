package org.kindling.bench.training;

import org.kindling.bench.training.EpochSetup.EpochResult;

/** One engine's Fashion-MNIST training run, one epoch per call. */
interface EpochRun extends AutoCloseable {
    /** Engine, threads and data path, for the log. */
    String describe();

    /** One full pass over the training set, timed from its first batch to its last step. */
    EpochResult runEpoch(int epoch);

    @Override
    default void close() {}
}
