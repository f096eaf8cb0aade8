package org.kindling.nn.pooling;

import java.util.Arrays;

/** Argument checks shared by the pooling layers. */
final class Pools {
    private Pools() {}

    static int[] pair(String layer, String what, int[] v) {
        int[] p = v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
        if (p.length != 2) {
            throw new IllegalArgumentException(layer + ": " + what + " must have 1 or 2 values, got " + Arrays.toString(v));
        }
        return p;
    }
}
