package org.kindling.vision.transforms;

import java.util.SplittableRandom;
import org.kindling.tensor.Tensor;

/**
 * Pads the image with zeros on every side, then cuts a {@code height x width} window at a uniformly random position
 * ({@code torchvision.transforms.RandomCrop(size, padding)}). The classic Fashion-MNIST/CIFAR augmentation is
 * {@code new RandomCrop(28, 2, seed)}: shifts of up to 2 pixels.
 *
 * <pre>
 * Transform shift = new RandomCrop(28, 2, 42L);   // same shifts on every run with seed 42
 * </pre>
 */
public final class RandomCrop implements Transform {

    private final int height;
    private final int width;
    private final int padding;
    private final SplittableRandom random;

    /**
     * @param height crop height &gt;= 1
     * @param width crop width &gt;= 1
     * @param padding zeros added on each side before cropping, &gt;= 0
     * @param seed seed of this transform's generator
     */
    public RandomCrop(int height, int width, int padding, long seed) {
        if (height < 1 || width < 1 || padding < 0) {
            throw new IllegalArgumentException("RandomCrop: size must be >= 1 and padding >= 0, got " + height + "x"
                    + width + " padding " + padding);
        }
        this.height = height;
        this.width = width;
        this.padding = padding;
        this.random = new SplittableRandom(seed);
    }

    /** @param size crop height and width @param padding zeros on each side @param seed generator seed */
    public RandomCrop(int size, int padding, long seed) {
        this(size, size, padding, seed);
    }

    @Override
    public Tensor apply(Tensor image) {
        int[] s = Transform.checkImage(image, "RandomCrop");
        int spanY = s[1] + 2 * padding - height;
        int spanX = s[2] + 2 * padding - width;
        if (spanY < 0 || spanX < 0) {
            throw new IllegalArgumentException("RandomCrop: a " + height + "x" + width + " crop does not fit an image "
                    + s[1] + "x" + s[2] + " padded by " + padding);
        }
        int top;
        int left;
        synchronized (random) {
            top = random.nextInt(spanY + 1);
            left = random.nextInt(spanX + 1);
        }
        return CenterCrop.crop(image, s, top - padding, left - padding, height, width);
    }

    @Override
    public String toString() {
        return "RandomCrop(" + height + ", " + width + ", padding=" + padding + ")";
    }
}
