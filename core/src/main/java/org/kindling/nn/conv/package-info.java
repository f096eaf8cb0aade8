/**
 * Convolution layers ({@code torch/nn/modules/conv.py}): {@link org.kindling.nn.conv.Conv1d},
 * {@link org.kindling.nn.conv.Conv2d}, {@link org.kindling.nn.conv.ConvTranspose2d} and their functional
 * twins in {@link org.kindling.nn.conv.ConvFunctions}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.nn.conv;
