/**
 * Dropout layers ({@code torch/nn/modules/dropout.py}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.nn.dropout;
