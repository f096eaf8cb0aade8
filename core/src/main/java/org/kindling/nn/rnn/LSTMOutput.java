package org.kindling.nn.rnn;

import org.kindling.tensor.Tensor;

/**
 * What {@link LSTM} returns: {@code output} for every step, and the final hidden and cell states
 * {@code hN}, {@code cN} ({@code [numLayers*D, B, H]}).
 */
public record LSTMOutput(Tensor output, Tensor hN, Tensor cN) {}
