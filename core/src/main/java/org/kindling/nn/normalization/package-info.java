/**
 * Normalization layers of {@code torch/nn/modules/normalization.py}: LayerNorm, GroupNorm.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.nn.normalization;
