package org.kindling.vision.models;

import java.util.List;
import org.kindling.nn.Module;

/**
 * Builds the vision models by name, the names {@code vision.train --model} accepts: {@code mlp}, {@code lenet5},
 * {@code cnn}, {@code resnet}.
 *
 * <pre>
 * Module m = VisionModels.create("resnet", 3, 32, 32, 10);
 * </pre>
 */
public final class VisionModels {

    /** The model names {@link #create} accepts. */
    public static final List<String> NAMES = List.of("mlp", "lenet5", "cnn", "resnet");

    private VisionModels() {
    }

    /**
     * @param name one of {@link #NAMES}
     * @param channels input channels
     * @param height input height
     * @param width input width
     * @param classes number of classes
     * @return a fresh model with initialised parameters (seed them with {@code Kindling.manualSeed} first)
     * @throws IllegalArgumentException naming the known models when the name is unknown
     */
    public static Module create(String name, int channels, int height, int width, int classes) {
        switch (name) {
            case "mlp":
                return new MLP(channels * height * width, new int[] {256, 128}, classes, 0.2);
            case "lenet5":
                return new LeNet5(channels, classes);
            case "cnn":
                return new SimpleCNN(channels, height, width, classes);
            case "resnet":
                return new ResNet(channels, 16, classes);
            default:
                throw new IllegalArgumentException("unknown vision model '" + name + "'; known: "
                        + String.join(", ", NAMES));
        }
    }
}
