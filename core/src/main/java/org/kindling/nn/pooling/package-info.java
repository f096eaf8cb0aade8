/**
 * Pooling layers ({@code torch/nn/modules/pooling.py}): max, average and adaptive average
 * pooling, with functional twins in {@link org.kindling.nn.pooling.PoolFunctions}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.nn.pooling;
