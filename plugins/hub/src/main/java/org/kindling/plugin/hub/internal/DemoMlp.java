package org.kindling.plugin.hub.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.kindling.Kindling;
import org.kindling.nn.Module;
import org.kindling.nn.Sequential;
import org.kindling.nn.activation.ReLU;
import org.kindling.nn.linear.Linear;
import org.kindling.tensor.Tensor;

/** The demo's model and data: an MLP over 2-D points, and points on interleaved spiral arms, one class per arm. */
final class DemoMlp {

    static final int INPUTS = 2;
    static final int CLASSES = 3;

    private DemoMlp() {
    }

    /**
     * @param hidden width of the two hidden layers
     * @return Linear(2, h), ReLU, Linear(h, h), ReLU, Linear(h, 3)
     */
    static Module build(int hidden) {
        return new Sequential(new Linear(INPUTS, hidden), new ReLU(), new Linear(hidden, hidden), new ReLU(),
                new Linear(hidden, CLASSES));
    }

    /** Points and their labels. */
    record Points(Tensor x, Tensor y) {
    }

    /**
     * Points on {@link #CLASSES} spiral arms with Gaussian noise (the classic "spiral" toy problem).
     *
     * @param perClass points per arm
     * @param random the source of noise
     * @return x of shape [3 * perClass, 2] and labels y (int64) of shape [3 * perClass]
     */
    static Points spiral(int perClass, SplittableRandom random) {
        int n = perClass * CLASSES;
        float[] x = new float[n * INPUTS];
        long[] y = new long[n];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new java.util.Random(random.nextLong()));
        int k = 0;
        for (int c = 0; c < CLASSES; c++) {
            for (int i = 0; i < perClass; i++) {
                double r = (double) i / perClass;
                double theta = c * 2 * Math.PI / CLASSES + r * 4.0 + gaussian(random) * 0.2;
                int slot = order.get(k++);
                x[slot * 2] = (float) (r * Math.sin(theta));
                x[slot * 2 + 1] = (float) (r * Math.cos(theta));
                y[slot] = c;
            }
        }
        return new Points(Kindling.fromArray(x, n, INPUTS), Kindling.fromArray(y, n));
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
