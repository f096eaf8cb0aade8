package org.kindling.plugin;

/** Where a workload run stands. */
public enum RunStatus {
    /** Accepted, waiting for a worker thread. */
    QUEUED,
    /** Running on a worker thread. */
    RUNNING,
    /** Finished and returned a result. */
    SUCCEEDED,
    /** Threw, returned nothing, or its plugin went away. */
    FAILED,
    /** Cancelled by a client. */
    CANCELLED,
    /** Ran past its timeout and was cancelled by the hub. */
    TIMED_OUT;

    /** @return true for SUCCEEDED, FAILED, CANCELLED and TIMED_OUT */
    public boolean isTerminal() {
        return this != QUEUED && this != RUNNING;
    }
}
