package org.kindling.train;

/**
 * Hooks into {@link Trainer#fit}: every method has an empty default, so a listener implements
 * only what it needs (DJL's TrainingListener style).
 *
 * <pre>
 * trainer.listener(new TrainingListener() {
 *     public void onEpochEnd(Trainer.EpochResult r) { System.out.println(r); }
 * });
 * </pre>
 */
public interface TrainingListener {
    default void onEpochStart(int epoch) {}

    /** After each optimizer step: the global step (from 1), the batch loss and the batch size. */
    default void onBatchEnd(int epoch, long step, double loss, int batchSize) {}

    default void onEpochEnd(Trainer.EpochResult result) {}
}
