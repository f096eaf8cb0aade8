package org.kindling.nn.transformer;

import org.kindling.tensor.Tensor;

/**
 * What {@link MultiheadAttention} returns: the attended values ({@code [L, N, E]}, or
 * {@code [N, L, E]} with batchFirst) and the attention weights ({@code [N, L, S]} averaged over
 * heads, {@code [N, heads, L, S]} when not averaged, or null when not requested).
 */
public record AttentionOutput(Tensor output, Tensor weights) {}
