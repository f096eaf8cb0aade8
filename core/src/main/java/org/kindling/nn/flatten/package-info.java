/**
 * Shape layers ({@code torch/nn/modules/flatten.py}): Flatten and Unflatten.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.nn.flatten;
