package org.kindling.nn.rnn;

import org.kindling.tensor.Tensor;

/** The (hidden, cell) state pair of an {@link LSTMCell}, each {@code [B, H]}. */
public record LSTMState(Tensor h, Tensor c) {}
