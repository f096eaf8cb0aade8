package org.kindling.nn.rnn;

import org.kindling.tensor.Tensor;

/**
 * What {@link RNN} and {@link GRU} return: the last layer's hidden states for every step
 * ({@code [T, B, D*H]}, or {@code [B, T, D*H]} with batchFirst) and the final hidden state of every
 * layer and direction ({@code hN [numLayers*D, B, H]}).
 */
public record RNNOutput(Tensor output, Tensor hN) {}
