/**
 * Affine layers ({@code torch/nn/modules/linear.py}): {@link org.kindling.nn.linear.Linear}, {@link org.kindling.nn.linear.Bilinear}, {@link org.kindling.nn.linear.Identity}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.nn.linear;
