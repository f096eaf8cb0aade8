package org.kindling.nn.sparse;

import org.kindling.Kindling;
import org.kindling.nn.F;
import org.kindling.nn.Init;
import org.kindling.nn.Module;
import org.kindling.nn.Parameter;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim} ({@code nn.Embedding}).
 *
 * <p>Args: {@code numEmbeddings}, {@code embeddingDim}, {@code paddingIdx} (null for none; negative
 * counts from the end): that row is zero at initialisation and receives no gradient.
 *
 * <p>Shape: int64 input {@code (*)}, output {@code (*, embedding_dim)}.
 *
 * <p>Attributes: {@code weight} {@code (num_embeddings, embedding_dim)} from N(0, 1).
 *
 * <pre>
 * Embedding emb = new Embedding(10, 3, 0);
 * Tensor v = emb.forward(Kindling.tensor(new long[][] {{1, 2, 0}, {4, 3, 9}}));   // [2, 3, 3]
 * </pre>
 */
public class Embedding extends Module {
    public final int numEmbeddings;
    public final int embeddingDim;
    /** The normalized (non-negative) padding index, or null. */
    public final Integer paddingIdx;
    public final Parameter weight;

    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx) {
        if (paddingIdx != null) {
            if (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings) {
                throw new IllegalArgumentException("Padding_idx must be within num_embeddings, got " + paddingIdx);
            }
            if (paddingIdx < 0) paddingIdx += numEmbeddings;
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx;
        this.weight = registerParameter("weight", new Parameter(Kindling.empty(numEmbeddings, embeddingDim)));
        resetParameters();
    }

    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, null);
    }

    /** N(0, 1) weights with the padding row zeroed. */
    public void resetParameters() {
        Init.normal_(weight);
        if (paddingIdx != null) {
            try (var g = GradMode.noGrad()) {
                weight.select(0, paddingIdx).fill_(0);
            }
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.embedding(input, weight, paddingIdx);
    }

    @Override
    public String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx == null ? "" : ", padding_idx=" + paddingIdx);
    }
}
