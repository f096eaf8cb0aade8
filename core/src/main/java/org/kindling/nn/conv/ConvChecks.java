package org.kindling.nn.conv;

import java.util.Arrays;

/** Constructor checks shared by the convolution layers. */
final class ConvChecks {
    private ConvChecks() {}

    static void check(String layer, int in, int out, int groups, String paddingMode) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException(layer + ": channels must be positive, got in_channels=" + in
                    + ", out_channels=" + out);
        }
        if (groups <= 0) throw new IllegalArgumentException(layer + ": groups must be a positive integer, got " + groups);
        if (in % groups != 0) throw new IllegalArgumentException(layer + ": in_channels must be divisible by groups");
        if (out % groups != 0) throw new IllegalArgumentException(layer + ": out_channels must be divisible by groups");
        if (!"zeros".equals(paddingMode)) {
            throw new IllegalArgumentException(layer + ": padding_mode '" + paddingMode
                    + "' is not supported; only 'zeros' is");
        }
    }

    /** A 1- or 2-element size as a pair; every entry must be at least {@code min}. */
    static int[] pair(String layer, String what, int[] v, int min) {
        int[] p = v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
        if (p.length != 2) throw new IllegalArgumentException(layer + ": " + what + " must have 1 or 2 values, got "
                + Arrays.toString(v));
        for (int x : p) {
            if (x < min) throw new IllegalArgumentException(layer + ": " + what + " must be >= " + min + ", got "
                    + Arrays.toString(v));
        }
        return p;
    }
}
