/**
 * Attention and transformer layers ({@code torch/nn/modules/transformer.py}):
 * {@link org.kindling.nn.transformer.TransformerEncoderLayer},
 * {@link org.kindling.nn.transformer.TransformerEncoder}, and
 * {@link org.kindling.nn.transformer.MultiheadAttention}. PyTorch defines MultiheadAttention in
 * {@code activation.py}; it lives here instead because it is an attention layer that the encoder is
 * built from, not an elementwise activation, and users look for it next to the transformer.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.nn.transformer;
