package org.kindling.plugin;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A unit of work a plugin offers: training a model, evaluating one, converting data. Registered as an OSGi service
 * (with Declarative Services: {@code @Component} plus {@link WorkloadProperties}) and described by its service
 * properties, so the hub can list it without running it.
 *
 * <p>The hub calls {@link #run} on one of its worker threads. A workload reports progress and metrics through the
 * context, checks {@link WorkloadContext#isCancelled()} at least once per step and returns a result. Throwing is
 * allowed: the hub turns any exception into a {@link RunStatus#FAILED} result carrying the exception's message.
 *
 * <pre>
 * &#64;Component
 * &#64;WorkloadProperties(id = "count", title = "Counts to n", options = "n:int=10 How far to count")
 * public class Count implements Workload {
 *     public WorkloadResult run(WorkloadContext context) {
 *         int n = context.intOption("n");
 *         for (int i = 1; i &lt;= n; i++) {
 *             context.checkCancelled();
 *             context.progress((double) i / n, "at " + i);
 *         }
 *         return WorkloadResult.succeeded(Map.of("counted", (double) n), List.of());
 *     }
 * }
 * </pre>
 */
@ConsumerType
public interface Workload {

    /** Service property: the workload's unique id, such as {@code "demo.mlp"} (String, required). */
    String ID = "workload.id";
    /** Service property: a one-line human title (String). */
    String TITLE = "workload.title";
    /** Service property: a longer description (String). */
    String DESCRIPTION = "workload.description";
    /** Service property: tags such as {@code "vision", "train"} (String or String[]). */
    String TAGS = "workload.tags";
    /** Service property: option specifications in {@link WorkloadOption#parse(String)} syntax (String or String[]). */
    String OPTIONS = "workload.options";

    /**
     * Runs the workload to completion.
     *
     * @param context options, seed, output folder, progress and metric sinks, cancellation, the model store
     * @return the outcome; {@link WorkloadResult#succeeded} in the normal case
     * @throws Exception any failure; the hub reports it as a {@link RunStatus#FAILED} result
     */
    WorkloadResult run(WorkloadContext context) throws Exception;
}
