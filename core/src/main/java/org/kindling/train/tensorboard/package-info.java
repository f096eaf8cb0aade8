/**
 * TensorBoard logging: {@link org.kindling.train.tensorboard.SummaryWriter} writes scalars, histograms, images,
 * text and hyperparameters to event files that TensorBoard reads as its own (TFRecord framing with masked CRC32C,
 * {@code Event}/{@code Summary} protocol buffers generated from TensorBoard's own {@code .proto} files).
 *
 * <pre>
 * try (SummaryWriter tb = new SummaryWriter(Path.of("runs/mnist"))) {
 *     tb.addScalar("train/loss", 0.42, step);
 * }
 * // then: tensorboard --logdir runs
 * </pre>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.train.tensorboard;
