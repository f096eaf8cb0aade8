package org.kindling.vision.transforms;

import java.util.SplittableRandom;
import org.kindling.tensor.Tensor;

/**
 * Mirrors the image left to right with probability {@code p} ({@code torchvision.transforms.RandomHorizontalFlip}).
 *
 * <pre>
 * Transform flip = new RandomHorizontalFlip(0.5, 7L);
 * </pre>
 */
public final class RandomHorizontalFlip implements Transform {

    private final double p;
    private final SplittableRandom random;

    /**
     * @param p probability of a flip, in [0, 1]
     * @param seed seed of this transform's generator
     */
    public RandomHorizontalFlip(double p, long seed) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("RandomHorizontalFlip: p must be in [0, 1], got " + p);
        }
        this.p = p;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public Tensor apply(Tensor image) {
        Transform.checkImage(image, "RandomHorizontalFlip");
        boolean flip;
        synchronized (random) {
            flip = random.nextDouble() < p;
        }
        return flip ? image.flip(2) : image;
    }

    @Override
    public String toString() {
        return "RandomHorizontalFlip(p=" + p + ")";
    }
}
