package org.kindling.jit;

/**
 * A node whose operator (or operator version) the executor does not implement. The message names the op,
 * the opset, the node and the supported range, e.g.
 * {@code "Conv node 'c1': opset 6 is not supported (Conv is implemented for opsets 1 and newer)"}.
 */
public class UnsupportedOperatorException extends GraphException {

    private static final long serialVersionUID = 1L;

    private final String opType;
    private final int opset;

    public UnsupportedOperatorException(String message, String nodeName, String opType, int opset) {
        super(message, nodeName);
        this.opType = opType;
        this.opset = opset;
    }

    public String opType() {
        return opType;
    }

    public int opset() {
        return opset;
    }
}
