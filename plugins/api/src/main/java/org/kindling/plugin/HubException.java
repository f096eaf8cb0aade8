package org.kindling.plugin;

/**
 * A failure a client of the hub can act on, classified by {@link Kind} so that every host maps it the same way
 * (the CLI to an exit code, the HTTP API to a status code). The message names what was expected and what was found.
 *
 * <pre>
 * try {
 *     runner.start("no.such.workload", RunRequest.defaults());
 * } catch (HubException e) {
 *     if (e.kind() == HubException.Kind.NOT_FOUND) { ... }  // "unknown workload 'no.such.workload'; known: demo.mlp"
 * }
 * </pre>
 */
public class HubException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, from the client's point of view. */
    public enum Kind {
        /** The request names a workload, run, model, plugin or format that does not exist (HTTP 404). */
        NOT_FOUND,
        /** The request is malformed: an unknown option, a value of the wrong type (HTTP 400, CLI exit 2). */
        BAD_REQUEST,
        /** The target exists but cannot serve now, for instance while its plugin is being updated (HTTP 503). */
        UNAVAILABLE,
        /** The request conflicts with the current state, such as a run that already finished (HTTP 409). */
        CONFLICT,
        /** The work itself failed (HTTP 500, CLI exit 1). */
        FAILED
    }

    private final Kind kind;

    /**
     * @param kind the classification
     * @param message what was expected and what was found
     */
    public HubException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /**
     * @param kind the classification
     * @param message what was expected and what was found
     * @param cause the underlying failure
     */
    public HubException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** @return the classification of this failure */
    public Kind kind() {
        return kind;
    }
}
