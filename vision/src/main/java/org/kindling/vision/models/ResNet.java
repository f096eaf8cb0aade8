package org.kindling.vision.models;

import org.kindling.nn.Module;
import org.kindling.nn.Sequential;
import org.kindling.nn.activation.ReLU;
import org.kindling.nn.batchnorm.BatchNorm2d;
import org.kindling.nn.conv.Conv2d;
import org.kindling.nn.flatten.Flatten;
import org.kindling.nn.linear.Linear;
import org.kindling.nn.linear.Identity;
import org.kindling.nn.pooling.AdaptiveAvgPool2d;
import org.kindling.tensor.Tensor;

/**
 * A small residual network for small images (He et al., 2016): a 3x3 stem, then one basic block per stage with
 * widths {@code w, 2w, 4w} (stride 2 from the second stage), global average pooling and a linear classifier. Any
 * input size works thanks to the adaptive pooling.
 *
 * <pre>
 * ResNet net = new ResNet(1, 16, 10);
 * net.forward(Kindling.randn(2, 1, 28, 28)).shape();   // [2, 10]
 * </pre>
 */
public class ResNet extends Module {

    /** conv3x3 - BN - ReLU - conv3x3 - BN, plus the input (projected by a 1x1 conv + BN when the shape changes), then ReLU. */
    public static class BasicBlock extends Module {
        private final Sequential body;
        private final Module shortcut;

        /**
         * @param in input channels
         * @param out output channels
         * @param stride stride of the first convolution (and of the projection)
         */
        public BasicBlock(int in, int out, int stride) {
            body = register("body", new Sequential(new Conv2d(in, out, 3, stride, 1), new BatchNorm2d(out), new ReLU(),
                    new Conv2d(out, out, 3, 1, 1), new BatchNorm2d(out)));
            shortcut = register("shortcut", stride == 1 && in == out ? new Identity()
                    : new Sequential(new Conv2d(in, out, 1, stride, 0), new BatchNorm2d(out)));
        }

        @Override
        public Tensor forward(Tensor x) {
            return body.forward(x).add(shortcut.forward(x)).relu();
        }
    }

    private final Sequential net;

    /**
     * @param channels input channels
     * @param width channels of the first stage (the others have 2x and 4x)
     * @param classes number of classes
     */
    public ResNet(int channels, int width, int classes) {
        net = register("net", new Sequential(
                new Conv2d(channels, width, 3, 1, 1), new BatchNorm2d(width), new ReLU(),
                new BasicBlock(width, width, 1), new BasicBlock(width, 2 * width, 2),
                new BasicBlock(2 * width, 4 * width, 2),
                new AdaptiveAvgPool2d(1), new Flatten(), new Linear(4 * width, classes)));
    }

    @Override
    public Tensor forward(Tensor x) {
        return net.forward(x);
    }
}
