package org.kindling.nn;

import java.util.Locale;

/**
 * How a loss reduces its per-element values ({@code reduction=} in PyTorch).
 *
 * <pre>
 * Tensor l = F.mseLoss(pred, target, Reduction.SUM);
 * Reduction r = Reduction.of("mean");
 * </pre>
 */
public enum Reduction {
    /** Per-element losses, unreduced. */
    NONE,
    /** The mean (weighted mean for losses with class weights). */
    MEAN,
    /** The sum. */
    SUM,
    /** Sum divided by the batch size; only {@link F#klDiv} accepts it. */
    BATCHMEAN;

    /** Parses PyTorch's spelling: "none", "mean", "sum", "batchmean". */
    public static Reduction of(String name) {
        for (Reduction r : values()) {
            if (r.pytorchName().equals(name)) return r;
        }
        throw new IllegalArgumentException(name + " is not a valid value for reduction");
    }

    /** The lower-case name PyTorch uses. */
    public String pytorchName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
