package org.kindling.vision.transforms;

import org.kindling.Kindling;
import org.kindling.tensor.Tensor;

/**
 * Resizes an image to a fixed height and width with bilinear interpolation, sampling at pixel centres
 * ({@code align_corners=False}, as torchvision does without antialiasing).
 *
 * <pre>
 * new Resize(28, 28).apply(Kindling.rand(3, 100, 80)).shape();   // [3, 28, 28]
 * </pre>
 */
public final class Resize implements Transform {

    private final int height;
    private final int width;

    /** @param height output height &gt;= 1 @param width output width &gt;= 1 */
    public Resize(int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("Resize: size must be >= 1, got " + height + "x" + width);
        }
        this.height = height;
        this.width = width;
    }

    /** @param size output height and width */
    public Resize(int size) {
        this(size, size);
    }

    @Override
    public Tensor apply(Tensor image) {
        int[] s = Transform.checkImage(image, "Resize");
        int c = s[0];
        int h = s[1];
        int w = s[2];
        if (h == height && w == width) {
            return image;
        }
        float[] in = image.toFloatArray();
        float[] out = new float[c * height * width];
        double sy = (double) h / height;
        double sx = (double) w / width;
        for (int y = 0; y < height; y++) {
            double fy = Math.max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.min((int) fy, h - 1);
            int y1 = Math.min(y0 + 1, h - 1);
            float wy = (float) (fy - y0);
            for (int x = 0; x < width; x++) {
                double fx = Math.max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.min((int) fx, w - 1);
                int x1 = Math.min(x0 + 1, w - 1);
                float wx = (float) (fx - x0);
                for (int ch = 0; ch < c; ch++) {
                    int base = ch * h * w;
                    float top = in[base + y0 * w + x0] * (1 - wx) + in[base + y0 * w + x1] * wx;
                    float bottom = in[base + y1 * w + x0] * (1 - wx) + in[base + y1 * w + x1] * wx;
                    out[ch * height * width + y * width + x] = top * (1 - wy) + bottom * wy;
                }
            }
        }
        return Kindling.fromArray(out, c, height, width);
    }

    @Override
    public String toString() {
        return "Resize(" + height + ", " + width + ")";
    }
}
