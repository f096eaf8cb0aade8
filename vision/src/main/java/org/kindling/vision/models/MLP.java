package org.kindling.vision.models;

import org.kindling.nn.Module;
import org.kindling.nn.Sequential;
import org.kindling.nn.activation.ReLU;
import org.kindling.nn.dropout.Dropout;
import org.kindling.nn.flatten.Flatten;
import org.kindling.nn.linear.Linear;
import org.kindling.tensor.Tensor;

/**
 * A multi-layer perceptron on flattened images: Flatten, then for each hidden width Linear + ReLU (+ Dropout), then
 * a Linear to the class logits. On Fashion-MNIST, {@code new MLP(784, new int[] {256, 128}, 10, 0.2)} reaches about
 * 88-89% test accuracy.
 *
 * <pre>
 * MLP mlp = new MLP(784, new int[] {256, 128}, 10, 0.2);
 * mlp.forward(Kindling.randn(4, 1, 28, 28)).shape();   // [4, 10]
 * </pre>
 */
public class MLP extends Module {

    private final Sequential layers;

    /**
     * @param inputs features per example after flattening (C * H * W)
     * @param hidden widths of the hidden layers
     * @param classes number of classes
     * @param dropout dropout probability after each hidden layer (0 for none)
     */
    public MLP(int inputs, int[] hidden, int classes, double dropout) {
        Sequential s = new Sequential(new Flatten());
        int width = inputs;
        for (int h : hidden) {
            s.add(new Linear(width, h)).add(new ReLU());
            if (dropout > 0) {
                s.add(new Dropout(dropout));
            }
            width = h;
        }
        s.add(new Linear(width, classes));
        layers = register("layers", s);
    }

    @Override
    public Tensor forward(Tensor x) {
        return layers.forward(x);
    }
}
