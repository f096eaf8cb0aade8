package org.kindling.plugin;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CancellationException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the hub gives a running {@link Workload}: its options (already checked and typed), a seed, an output folder,
 * sinks for progress and metrics, cancellation, and the model store.
 *
 * <pre>
 * int epochs = context.intOption("epochs");
 * for (int epoch = 0; epoch &lt; epochs; epoch++) {
 *     context.checkCancelled();
 *     double loss = trainOneEpoch();
 *     context.metric("loss", loss);
 *     context.progress((epoch + 1.0) / epochs, "epoch " + (epoch + 1) + " loss " + loss);
 * }
 * </pre>
 */
@ProviderType
public interface WorkloadContext {

    /** @return the id of the run */
    String runId();

    /** @return the id of the workload being run */
    String workloadId();

    /** @return every option with its typed value (Integer, Long, Double, Boolean, String or Path), defaults included */
    Map<String, Object> options();

    /**
     * @param name a declared option of type int
     * @return its value
     * @throws IllegalArgumentException if the option is not declared or not an int
     */
    int intOption(String name);

    /** @param name a declared option of type long or int @return its value */
    long longOption(String name);

    /** @param name a declared option of type double, int or long @return its value */
    double doubleOption(String name);

    /** @param name a declared option of type boolean @return its value */
    boolean booleanOption(String name);

    /** @param name a declared option of any type @return its value as text */
    String stringOption(String name);

    /** @param name a declared option of type path or string @return its value as a path */
    Path pathOption(String name);

    /** @return the seed to use for every random choice, so runs are reproducible */
    long seed();

    /** @return a folder that exists and belongs to this run */
    Path outputDir();

    /**
     * Reports progress.
     *
     * @param fraction between 0 and 1 (clamped)
     * @param message one short line, such as "epoch 2/5 loss 0.31"
     */
    void progress(double fraction, String message);

    /**
     * Reports the current value of a metric; the last value reported is the one clients see.
     *
     * @param name metric name, such as "loss"
     * @param value its value
     */
    void metric(String name, double value);

    /** @param line a line for the run's log */
    void log(String line);

    /** @return true once a client cancelled the run or its timeout passed */
    boolean isCancelled();

    /**
     * Throws if the run was cancelled; call it once per step.
     *
     * @throws CancellationException if {@link #isCancelled()}
     */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new CancellationException("run " + runId() + " of " + workloadId() + " was cancelled");
        }
    }

    /** @return the hub's model store, where trained models go */
    ModelStore models();
}
