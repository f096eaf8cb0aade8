/**
 * Image datasets as {@link org.kindling.data.Dataset}s of {@link org.kindling.data.Example}{@code (image, label)}:
 * {@link MnistDataset} (Fashion-MNIST and MNIST from IDX files, gzip or not), {@link ImageFolder} (one folder of
 * PNG/JPEG images per class) and {@link FakeData} (deterministic random images). {@link DataLocations} finds data
 * sets on disk: an explicit path, then {@code $KINDLING_DATA}, then {@code ~/.kindling/data}, then the system
 * location.
 *
 * <pre>
 * MnistDataset train = MnistDataset.fashion(Split.TRAIN);   // or .fashion(Path.of("data/fashion-mnist"), Split.TRAIN)
 * Example first = train.get(0);                              // x: [1, 28, 28] in [0, 1], y: int64 label
 * </pre>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.vision.datasets;
