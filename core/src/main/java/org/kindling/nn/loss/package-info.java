/**
 * Loss modules ({@code torch/nn/modules/loss.py}); each has {@code forward(input, target)}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.nn.loss;
