/**
 * Recurrent layers ({@code torch/nn/modules/rnn.py}): {@link org.kindling.nn.rnn.RNN},
 * {@link org.kindling.nn.rnn.LSTM}, {@link org.kindling.nn.rnn.GRU} and their single-step cells,
 * with PyTorch's parameter names, gate order and initialisation. Each layer and direction runs as
 * one fused Function that backpropagates through time.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.nn.rnn;
