package org.kindling.vision.models;

import org.kindling.nn.Module;
import org.kindling.nn.Sequential;
import org.kindling.nn.activation.ReLU;
import org.kindling.nn.conv.Conv2d;
import org.kindling.nn.flatten.Flatten;
import org.kindling.nn.linear.Linear;
import org.kindling.nn.pooling.MaxPool2d;
import org.kindling.tensor.Tensor;

/**
 * LeNet-5 (LeCun et al., 1998) with ReLU and max pooling: conv 5x5 (6) - pool - conv 5x5 (16) - pool - 120 - 84 -
 * classes. The first convolution pads by 2, so 28x28 input (MNIST) gives the original 32x32 geometry.
 *
 * <pre>
 * new LeNet5(1, 10).forward(Kindling.randn(2, 1, 28, 28)).shape();   // [2, 10]
 * </pre>
 */
public class LeNet5 extends Module {

    private final Sequential features;
    private final Sequential classifier;

    /**
     * @param channels input channels
     * @param classes number of classes
     */
    public LeNet5(int channels, int classes) {
        features = register("features", new Sequential(
                new Conv2d(channels, 6, 5, 1, 2), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2)));
        classifier = register("classifier", new Sequential(new Flatten(),
                new Linear(16 * 5 * 5, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, classes)));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4 || x.size(2) != 28 || x.size(3) != 28) {
            throw new IllegalArgumentException("LeNet5 expects input [N, C, 28, 28], got " + x.shape());
        }
        return classifier.forward(features.forward(x));
    }
}
