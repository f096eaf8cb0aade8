package org.kindling.plugin;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The only entry point clients use to reach workloads: list and describe the workloads the installed plugins
 * offer, start runs, follow and cancel them. The hub bundle registers the one implementation.
 *
 * <pre>
 * WorkloadRunner runner = hub.workloads();
 * runner.list().forEach(d -&gt; System.out.println(d.id() + "  " + d.title()));
 * WorkloadResult result = runner.start("demo.mlp", RunRequest.defaults()).await(Duration.ofMinutes(1));
 * </pre>
 */
@ProviderType
public interface WorkloadRunner {

    /** @return the workloads available now, sorted by id */
    List<WorkloadDescriptor> list();

    /**
     * @param workloadId a workload id
     * @return its descriptor, or empty if no installed plugin offers it
     */
    Optional<WorkloadDescriptor> describe(String workloadId);

    /**
     * Starts a run asynchronously.
     *
     * @param workloadId which workload
     * @param request options, seed, timeout, output folder
     * @return a handle on the run
     * @throws HubException NOT_FOUND for an unknown workload (the message lists the known ones), BAD_REQUEST for
     *         options that do not match the workload's declaration, UNAVAILABLE when the run queue is full
     */
    WorkloadRun start(String workloadId, RunRequest request);

    /**
     * @param runId a run id returned by {@link WorkloadRun#id()}
     * @return the run, while the hub remembers it (the most recent runs are kept)
     */
    Optional<WorkloadRun> run(String runId);

    /** @return the runs the hub remembers, most recent first */
    List<WorkloadRun> runs();

    /**
     * Cancels a run.
     *
     * @param runId which run
     * @return true if it was cancelled by this call, false if it had already finished
     * @throws HubException NOT_FOUND for an unknown run id
     */
    boolean cancel(String runId);
}
