package org.kindling.vision.transforms;

import java.util.Arrays;
import org.kindling.Kindling;
import org.kindling.tensor.Tensor;

/**
 * Subtracts a per-channel mean and divides by a per-channel standard deviation:
 * {@code out[c] = (in[c] - mean[c]) / std[c]} ({@code torchvision.transforms.Normalize}).
 *
 * <pre>
 * new Normalize(0.2860, 0.3530);                                        // Fashion-MNIST, one channel
 * new Normalize(new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225});   // ImageNet
 * </pre>
 */
public final class Normalize implements Transform {

    private final double[] mean;
    private final double[] std;

    /**
     * @param mean per-channel means
     * @param std per-channel standard deviations, each &gt; 0
     * @throws IllegalArgumentException when the lengths differ or a deviation is not positive
     */
    public Normalize(double[] mean, double[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize: expected as many means as deviations (at least one), got "
                    + mean.length + " and " + std.length);
        }
        for (double s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("Normalize: standard deviations must be > 0, got "
                        + Arrays.toString(std));
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** @param mean the mean of every channel @param std the deviation of every channel */
    public Normalize(double mean, double std) {
        this(new double[] {mean}, new double[] {std});
    }

    @Override
    public Tensor apply(Tensor image) {
        int[] s = Transform.checkImage(image, "Normalize");
        if (mean.length != 1 && mean.length != s[0]) {
            throw new IllegalArgumentException("Normalize: " + mean.length + " means for an image of " + s[0]
                    + " channels");
        }
        float[] px = image.toFloatArray();
        int plane = s[1] * s[2];
        for (int c = 0; c < s[0]; c++) {
            float m = (float) mean[mean.length == 1 ? 0 : c];
            float inv = (float) (1.0 / std[std.length == 1 ? 0 : c]);
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                px[i] = (px[i] - m) * inv;
            }
        }
        return Kindling.fromArray(px, s);
    }

    /** @return a copy of the means */
    public double[] mean() {
        return mean.clone();
    }

    /** @return a copy of the deviations */
    public double[] std() {
        return std.clone();
    }

    @Override
    public String toString() {
        return "Normalize(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
