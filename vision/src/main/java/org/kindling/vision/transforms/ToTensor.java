package org.kindling.vision.transforms;

import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/**
 * Scales raw pixel values 0..255 to float32 in [0, 1], as torchvision's {@code ToTensor} does for 8-bit images.
 * Datasets and {@link org.kindling.vision.Images#toTensor} produce raw [C, H, W] tensors, so this is usually the
 * first non-geometric transform.
 *
 * <pre>
 * new ToTensor().apply(Kindling.full(new int[] {1, 1, 1}, 255.0));   // [[[1.0]]]
 * </pre>
 */
public final class ToTensor implements Transform {

    @Override
    public Tensor apply(Tensor image) {
        Transform.checkImage(image, "ToTensor");
        return image.to(DType.FLOAT32).div(255.0);
    }

    @Override
    public String toString() {
        return "ToTensor()";
    }
}
