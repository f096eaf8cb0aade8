/**
 * Image classification for Kindling: image conversion ({@link org.kindling.vision.Images}) and classification
 * metrics ({@link org.kindling.vision.ClassificationMetrics}); datasets, transforms and models live in the
 * {@code datasets}, {@code transforms} and {@code models} subpackages.
 *
 * <pre>
 * MnistDataset train = MnistDataset.fashion(Split.TRAIN);          // finds the files, or says how to fetch them
 * Module model = VisionModels.create("cnn", 1, 28, 10);
 * ClassificationMetrics m = ClassificationMetrics.of(predicted, actual, train.classes());
 * m.accuracy();
 * </pre>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.vision;
