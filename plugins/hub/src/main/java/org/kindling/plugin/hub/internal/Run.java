package org.kindling.plugin.hub.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.kindling.plugin.RunStatus;
import org.kindling.plugin.WorkloadResult;
import org.kindling.plugin.WorkloadRun;

/**
 * One run's state. The first terminal transition wins: a run cancelled or timed out is reported at once even if
 * its workload thread ignores the interruption and goes on.
 */
final class Run implements WorkloadRun {

    private final String id;
    private final String workloadId;
    private final long serviceId;
    private final Instant submitted = Instant.now();
    private final CompletableFuture<WorkloadResult> result = new CompletableFuture<>();
    private final Map<String, Double> metrics = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile RunStatus status = RunStatus.QUEUED;
    private volatile double progress;
    private volatile String progressMessage = "";
    private volatile Thread thread;

    Run(String id, String workloadId, long serviceId) {
        this.id = id;
        this.workloadId = workloadId;
        this.serviceId = serviceId;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String workloadId() {
        return workloadId;
    }

    long serviceId() {
        return serviceId;
    }

    @Override
    public RunStatus status() {
        return status;
    }

    @Override
    public double progress() {
        return progress;
    }

    @Override
    public String progressMessage() {
        return progressMessage;
    }

    @Override
    public Map<String, Double> metrics() {
        synchronized (metrics) {
            return Map.copyOf(metrics);
        }
    }

    @Override
    public Instant submitted() {
        return submitted;
    }

    @Override
    public Optional<WorkloadResult> result() {
        return Optional.ofNullable(result.getNow(null));
    }

    @Override
    public WorkloadResult await(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a run's result never completes exceptionally", e);
        }
    }

    @Override
    public CompletionStage<WorkloadResult> completion() {
        return result.minimalCompletionStage();
    }

    @Override
    public boolean cancel() {
        return finish(new WorkloadResult(RunStatus.CANCELLED, "cancelled by a client", metrics(), List.of()));
    }

    /** @return true if the run is not finished and the calling thread took it over */
    synchronized boolean begin(Thread worker) {
        if (status != RunStatus.QUEUED) {
            return false;
        }
        thread = worker;
        status = RunStatus.RUNNING;
        return true;
    }

    void progress(double fraction, String message) {
        progress = Math.max(0, Math.min(1, Double.isNaN(fraction) ? 0 : fraction));
        progressMessage = message == null ? "" : message;
    }

    void metric(String name, double value) {
        metrics.put(name, value);
    }

    boolean isCancelled() {
        return status.isTerminal();
    }

    /**
     * Makes the run terminal with this result unless it already is; interrupts its thread.
     *
     * @return true if this call finished it
     */
    boolean finish(WorkloadResult outcome) {
        Thread worker;
        synchronized (this) {
            if (status.isTerminal()) {
                return false;
            }
            status = outcome.status();
            worker = thread;
            thread = null;
        }
        if (outcome.status() == RunStatus.SUCCEEDED) {
            progress = 1;
        }
        result.complete(outcome);
        if (worker != null && worker != Thread.currentThread()) {
            worker.interrupt();
        }
        return true;
    }

    /** Called by the worker thread when the workload returned or threw. */
    synchronized void detach() {
        thread = null;
    }

    /** @return a result carrying the metrics reported so far */
    WorkloadResult terminal(RunStatus s, String message, List<Path> artifacts) {
        return new WorkloadResult(s, message, metrics(), artifacts);
    }
}
