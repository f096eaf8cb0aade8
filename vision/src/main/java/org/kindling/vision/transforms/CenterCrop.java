package org.kindling.vision.transforms;

import org.kindling.Kindling;
import org.kindling.tensor.Tensor;

/**
 * Cuts the central {@code height x width} region; an image smaller than that is zero-padded first, as torchvision
 * does. An odd margin is split as torchvision splits it: the top (left) margin is {@code (H - height) / 2} rounded
 * half to even.
 *
 * <pre>
 * new CenterCrop(2).apply(image4x4);   // rows 1..2, columns 1..2
 * </pre>
 */
public final class CenterCrop implements Transform {

    private final int height;
    private final int width;

    /** @param height crop height &gt;= 1 @param width crop width &gt;= 1 */
    public CenterCrop(int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("CenterCrop: size must be >= 1, got " + height + "x" + width);
        }
        this.height = height;
        this.width = width;
    }

    /** @param size crop height and width */
    public CenterCrop(int size) {
        this(size, size);
    }

    @Override
    public Tensor apply(Tensor image) {
        int[] s = Transform.checkImage(image, "CenterCrop");
        int top = (int) Math.rint((s[1] - height) / 2.0);
        int left = (int) Math.rint((s[2] - width) / 2.0);
        return crop(image, s, top, left, height, width);
    }

    /** Copies the window at (top, left); pixels outside the image are 0. */
    static Tensor crop(Tensor image, int[] s, int top, int left, int height, int width) {
        int c = s[0];
        int h = s[1];
        int w = s[2];
        float[] in = image.toFloatArray();
        float[] out = new float[c * height * width];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < height; y++) {
                int sy = top + y;
                if (sy < 0 || sy >= h) {
                    continue;
                }
                for (int x = 0; x < width; x++) {
                    int sx = left + x;
                    if (sx >= 0 && sx < w) {
                        out[(ch * height + y) * width + x] = in[(ch * h + sy) * w + sx];
                    }
                }
            }
        }
        return Kindling.fromArray(out, c, height, width);
    }

    @Override
    public String toString() {
        return "CenterCrop(" + height + ", " + width + ")";
    }
}
