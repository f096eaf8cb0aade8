package org.kindling.vision.transforms;

import java.util.List;
import java.util.stream.Collectors;
import org.kindling.tensor.Tensor;

/**
 * Applies transforms in order ({@code torchvision.transforms.Compose}).
 *
 * <pre>
 * Transform t = Compose.of(new CenterCrop(24), new ToTensor(), new Normalize(0.5, 0.5));
 * </pre>
 */
public final class Compose implements Transform {

    private final List<Transform> transforms;

    private Compose(List<Transform> transforms) {
        this.transforms = List.copyOf(transforms);
    }

    /** @param transforms applied first to last @return the composition */
    public static Compose of(Transform... transforms) {
        return new Compose(List.of(transforms));
    }

    /** @param transforms applied first to last @return the composition */
    public static Compose of(List<Transform> transforms) {
        return new Compose(transforms);
    }

    /** @return the transforms in order */
    public List<Transform> transforms() {
        return transforms;
    }

    @Override
    public Tensor apply(Tensor image) {
        Tensor x = image;
        for (Transform t : transforms) {
            x = t.apply(x);
        }
        return x;
    }

    @Override
    public String toString() {
        return "Compose(" + transforms.stream().map(Object::toString).collect(Collectors.joining(", ")) + ")";
    }
}
