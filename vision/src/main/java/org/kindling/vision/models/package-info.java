/**
 * Image classifiers built from core's {@code nn} layers: {@link MLP}, {@link LeNet5}, {@link SimpleCNN} (conv +
 * BatchNorm + Dropout) and a small {@link ResNet}; {@link VisionModels#create} builds one by name. Each takes
 * {@code [N, C, H, W]} float input and returns {@code [N, classes]} logits.
 *
 * <pre>
 * Module cnn = VisionModels.create("cnn", 1, 28, 28, 10);
 * Tensor logits = cnn.forward(Kindling.randn(8, 1, 28, 28));   // [8, 10]
 * </pre>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.vision.models;
