/**
 * Tensors and their value types: {@link org.kindling.tensor.Tensor}, {@link org.kindling.tensor.Shape},
 * {@link org.kindling.tensor.DType}, {@link org.kindling.tensor.Device},
 * {@link org.kindling.tensor.Generator}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.tensor;
