package org.kindling.plugin;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A handle on one asynchronous workload run started by {@link WorkloadRunner#start}: live progress and metrics,
 * the result once it is done, and cancellation.
 *
 * <pre>
 * WorkloadRun run = runner.start("demo.mlp", RunRequest.of(Map.of("epochs", "3")));
 * while (!run.status().isTerminal()) {
 *     System.out.printf("%3.0f%% %s%n", 100 * run.progress(), run.progressMessage());
 *     Thread.sleep(200);
 * }
 * WorkloadResult result = run.await(Duration.ofSeconds(1));
 * </pre>
 */
@ProviderType
public interface WorkloadRun {

    /** @return the run's id, unique within this hub */
    String id();

    /** @return the id of the workload it runs */
    String workloadId();

    /** @return the current status */
    RunStatus status();

    /** @return the last progress reported, between 0 and 1 */
    double progress();

    /** @return the message that came with the last progress report */
    String progressMessage();

    /** @return the latest value of every metric reported so far */
    Map<String, Double> metrics();

    /** @return when the run was accepted */
    Instant submitted();

    /** @return the result once the status is terminal */
    Optional<WorkloadResult> result();

    /**
     * Waits for the result.
     *
     * @param timeout how long to wait
     * @return the result (whatever its status)
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws TimeoutException if the run is still going after {@code timeout}; the run itself goes on
     */
    WorkloadResult await(Duration timeout) throws InterruptedException, TimeoutException;

    /** @return a stage completed with the result (never exceptionally) */
    CompletionStage<WorkloadResult> completion();

    /**
     * Asks the run to stop: its status becomes CANCELLED at once, its context reports cancellation and its thread
     * is interrupted.
     *
     * @return true if this call cancelled it, false if it had already finished
     */
    boolean cancel();
}
