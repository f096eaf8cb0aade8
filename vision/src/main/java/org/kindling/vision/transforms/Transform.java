package org.kindling.vision.transforms;

import org.kindling.tensor.Tensor;

/**
 * A function from one image tensor [C, H, W] to another, applied per example by a dataset.
 *
 * <pre>
 * Transform scale = image -&gt; image.div(255.0);
 * Tensor out = scale.andThen(new Normalize(0.5, 0.5)).apply(image);
 * </pre>
 */
@FunctionalInterface
public interface Transform {

    /**
     * @param image a tensor [C, H, W]
     * @return the transformed image
     */
    Tensor apply(Tensor image);

    /**
     * @param next the transform to apply after this one
     * @return both, this one first
     */
    default Transform andThen(Transform next) {
        return Compose.of(this, next);
    }

    /** @return the transform that returns its input */
    static Transform identity() {
        return image -> image;
    }

    /** Checks that a tensor is an image [C, H, W] and returns its shape. */
    static int[] checkImage(Tensor image, String transform) {
        int[] s = image.shape().toArray();
        if (s.length != 3 || s[0] < 1 || s[1] < 1 || s[2] < 1) {
            throw new IllegalArgumentException(transform + ": expected an image tensor [C, H, W], got shape "
                    + image.shape());
        }
        return s;
    }
}
