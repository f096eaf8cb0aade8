/**
 * Neural-network building blocks with PyTorch's names ({@code torch.nn}): {@link org.kindling.nn.Module},
 * {@link org.kindling.nn.Parameter}, containers, layers (one family per subpackage-less file),
 * losses, the functional twins in {@code F} and initialisers in {@code Init}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.nn;
