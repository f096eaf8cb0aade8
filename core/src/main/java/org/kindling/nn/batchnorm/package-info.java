/**
 * Batch normalization ({@code torch/nn/modules/batchnorm.py}): BatchNorm1d, BatchNorm2d.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.nn.batchnorm;
