/**
 * Training helpers shared by the workloads: {@link org.kindling.train.ProgressBar} (loss and
 * speed on a terminal), running metrics, and the {@code Trainer} loop with listeners. The raw
 * PyTorch-style loop ({@code zeroGrad; backward; step}) stays first-class.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.train;
