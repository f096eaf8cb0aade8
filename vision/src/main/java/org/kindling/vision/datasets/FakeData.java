package org.kindling.vision.datasets;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.kindling.Kindling;
import org.kindling.data.Dataset;
import org.kindling.data.Datasets;
import org.kindling.data.Example;
import org.kindling.vision.transforms.ToTensor;
import org.kindling.vision.transforms.Transform;

/**
 * Random images with random labels ({@code torchvision.datasets.FakeData}), for smoke tests and benchmarks that
 * need no files. Example {@code i} is a function of {@code (seed, i)} alone, so every call, thread and run sees the
 * same data. Raw pixels are uniform integers 0..255 before the transform (by default {@link ToTensor}).
 *
 * <pre>
 * FakeData fake = new FakeData(1000, new int[] {1, 28, 28}, 10, 42L);
 * fake.get(3).x().shape();   // [1, 28, 28]
 * </pre>
 */
public final class FakeData implements Dataset<Example> {

    private final int size;
    private final int[] imageShape;
    private final int numClasses;
    private final long seed;
    private final Transform transform;

    /**
     * @param size number of examples
     * @param imageShape [C, H, W]
     * @param numClasses number of classes &gt;= 1
     * @param seed seed of the data
     */
    public FakeData(int size, int[] imageShape, int numClasses, long seed) {
        this(size, imageShape, numClasses, seed, new ToTensor());
    }

    /**
     * @param size number of examples
     * @param imageShape [C, H, W]
     * @param numClasses number of classes &gt;= 1
     * @param seed seed of the data
     * @param transform applied to each raw image
     */
    public FakeData(int size, int[] imageShape, int numClasses, long seed, Transform transform) {
        if (size < 0 || numClasses < 1 || imageShape.length != 3 || imageShape[0] < 1 || imageShape[1] < 1
                || imageShape[2] < 1) {
            throw new IllegalArgumentException("FakeData: expected size >= 0, numClasses >= 1 and imageShape [C, H, W]"
                    + ", got size " + size + ", numClasses " + numClasses + ", imageShape "
                    + java.util.Arrays.toString(imageShape));
        }
        this.size = size;
        this.imageShape = imageShape.clone();
        this.numClasses = numClasses;
        this.seed = seed;
        this.transform = transform;
    }

    @Override
    public Example get(int index) {
        Datasets.checkIndex(index, size);
        SplittableRandom r = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (index + 1)));
        long label = r.nextInt(numClasses);
        float[] px = new float[imageShape[0] * imageShape[1] * imageShape[2]];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextInt(256);
        }
        return new Example(transform.apply(Kindling.fromArray(px, imageShape)), Kindling.scalar(label));
    }

    @Override
    public int size() {
        return size;
    }

    /** @return class names "0", "1", ... */
    public List<String> classes() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < numClasses; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }
}
