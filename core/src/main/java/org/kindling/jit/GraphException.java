package org.kindling.jit;

/**
 * A graph that is malformed (cycle, undefined input, duplicate output) or a node that cannot run.
 * The message names the node; {@link #nodeName()} gives it alone.
 */
public class GraphException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String nodeName;

    public GraphException(String message) {
        this(message, null, null);
    }

    public GraphException(String message, String nodeName) {
        this(message, nodeName, null);
    }

    public GraphException(String message, String nodeName, Throwable cause) {
        super(message, cause);
        this.nodeName = nodeName;
    }

    /** The name of the node concerned (possibly empty), or null when the problem is not one node's. */
    public String nodeName() {
        return nodeName;
    }
}
