/**
 * Lookup layers ({@code torch/nn/modules/sparse.py}): Embedding.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.nn.sparse;
