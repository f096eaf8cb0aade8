package org.kindling.vision.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.tensor.Tensor;

class TransformsTest {

    /** [1, h, w] with pixel (y, x) = y * w + x + 1. */
    private static Tensor ramp(int h, int w) {
        float[] px = new float[h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = i + 1;
        }
        return Kindling.fromArray(px, 1, h, w);
    }

    @Test
    void toTensorScales255ToOne() {
        Tensor out = new ToTensor().apply(Kindling.fromArray(new float[] {0, 51, 255}, 1, 1, 3));
        assertArrayEquals(new float[] {0f, 0.2f, 1f}, out.toFloatArray(), 1e-7f);
    }

    @Test
    void normalizeUsesEachChannelsMeanAndStd() {
        Tensor img = Kindling.fromArray(new float[] {0.5f, 1f, 0.2f, 0.4f}, 2, 1, 2);
        Tensor out = new Normalize(new double[] {0.5, 0.2}, new double[] {0.25, 0.1}).apply(img);
        assertArrayEquals(new float[] {0f, 2f, 0f, 2f}, out.toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {(0.5f - 0.286f) / 0.353f},
                new Normalize(0.286, 0.353).apply(Kindling.fromArray(new float[] {0.5f}, 1, 1, 1)).toFloatArray(),
                1e-6f);
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new double[] {0}, new double[] {0}));
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> new Normalize(new double[] {0, 0}, new double[] {1, 1}).apply(Kindling.zeros(3, 2, 2)));
        assertTrue(channels.getMessage().contains("2 means for an image of 3 channels"), channels.getMessage());
    }

    @Test
    void resizeIsBilinearWithHalfPixelCentres() {
        // torch.nn.functional.interpolate(x, size=(4, 4), mode="bilinear", align_corners=False) on [[0,1],[2,3]]
        Tensor x = Kindling.fromArray(new float[] {0, 1, 2, 3}, 1, 2, 2);
        assertArrayEquals(new float[] {0, 0.25f, 0.75f, 1, 0.5f, 0.75f, 1.25f, 1.5f, 1.5f, 1.75f, 2.25f, 2.5f,
            2, 2.25f, 2.75f, 3}, new Resize(4).apply(x).toFloatArray(), 1e-6f);
        // Halving averages each 2x2 block.
        assertArrayEquals(new float[] {3.5f, 5.5f, 11.5f, 13.5f}, new Resize(2, 2).apply(ramp(4, 4)).toFloatArray(),
                1e-6f);
        assertArrayEquals(new int[] {3, 7, 5}, new Resize(7, 5).apply(Kindling.zeros(3, 20, 30)).shape().toArray());
    }

    @Test
    void centerCropTakesTheMiddleAndPadsSmallImages() {
        assertArrayEquals(new float[] {6, 7, 10, 11}, new CenterCrop(2).apply(ramp(4, 4)).toFloatArray());
        // 5 -> 2: top margin round_half_even(1.5) = 2, as torchvision.
        assertArrayEquals(new float[] {13, 14, 18, 19}, new CenterCrop(2).apply(ramp(5, 5)).toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0},
                new CenterCrop(4).apply(ramp(2, 2)).toFloatArray());
    }

    @Test
    void randomCropShiftsWithinThePaddingAndIsSeeded() {
        Tensor img = ramp(4, 4);
        Set<String> windows = new HashSet<>();
        RandomCrop crop = new RandomCrop(4, 1, 42L);
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            float[] out = crop.apply(img).toFloatArray();
            assertEquals(16, out.length);
            windows.add(java.util.Arrays.toString(out));
            first.add(java.util.Arrays.toString(out));
        }
        assertEquals(9, windows.size(), "a 4x4 crop of a 6x6 padded image has 3x3 positions");
        assertTrue(windows.contains(java.util.Arrays.toString(new float[] {0, 0, 0, 0, 0, 1, 2, 3, 0, 5, 6, 7, 0, 9,
            10, 11})), "the top-left shift pads the first row and column with zeros");
        RandomCrop again = new RandomCrop(4, 1, 42L);
        for (int i = 0; i < 200; i++) {
            assertEquals(first.get(i), java.util.Arrays.toString(again.apply(img).toFloatArray()), "same seed, same crops");
        }
        assertThrows(IllegalArgumentException.class, () -> new RandomCrop(8, 1, 0L).apply(img));
    }

    @Test
    void randomHorizontalFlipMirrorsWithTheGivenProbability() {
        Tensor img = ramp(2, 3);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, new RandomHorizontalFlip(1.0, 0L).apply(img).toFloatArray());
        assertArrayEquals(img.toFloatArray(), new RandomHorizontalFlip(0.0, 0L).apply(img).toFloatArray());
        RandomHorizontalFlip half = new RandomHorizontalFlip(0.5, 3L);
        RandomHorizontalFlip twin = new RandomHorizontalFlip(0.5, 3L);
        int flipped = 0;
        for (int i = 0; i < 1000; i++) {
            float first = half.apply(img).toFloatArray()[0];
            assertEquals(first, twin.apply(img).toFloatArray()[0]);
            flipped += first == 3 ? 1 : 0;
        }
        assertTrue(flipped > 430 && flipped < 570, "about half flipped: " + flipped);
    }

    @Test
    void composeAppliesInOrder() {
        Transform t = Compose.of(new CenterCrop(2), new ToTensor(), new Normalize(0.0, 0.5));
        assertArrayEquals(new float[] {12 / 255f, 14 / 255f, 20 / 255f, 22 / 255f},
                t.apply(ramp(4, 4)).toFloatArray(), 1e-6f);
        assertNotEquals(t.apply(ramp(4, 4)).toFloatArray()[0],
                Compose.of(new ToTensor(), new Normalize(0.0, 0.5), new CenterCrop(1)).apply(ramp(4, 4))
                        .toFloatArray()[0]);
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> new ToTensor().apply(Kindling.zeros(4, 4)));
        assertTrue(shape.getMessage().contains("expected an image tensor [C, H, W], got shape [4, 4]"),
                shape.getMessage());
    }
}
