package org.kindling.tensor.internal;

/** Logical binary ops on truthiness (non-zero is true); results are BOOL tensors. */
public enum LogicalOp {
    AND, OR, XOR;

    public boolean test(boolean a, boolean b) {
        return switch (this) {
            case AND -> a && b;
            case OR -> a || b;
            case XOR -> a ^ b;
        };
    }
}
