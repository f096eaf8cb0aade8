package org.kindling.nn.transformer;

import org.kindling.nn.Module;
import org.kindling.nn.dropout.Dropout;
import org.kindling.nn.linear.Linear;
import org.kindling.nn.normalization.LayerNorm;
import org.kindling.tensor.Tensor;

/**
 * One transformer encoder block ({@code nn.TransformerEncoderLayer}): self-attention and a
 * feed-forward network, each with a residual connection and LayerNorm, after
 * ({@code normFirst=false}, the default) or before ({@code normFirst=true}) the sublayer.
 *
 * <p>Args: dModel, nhead, dimFeedforward (2048), dropout (0.1), activation ("relu" or "gelu"),
 * layerNormEps (1e-5), batchFirst (false), normFirst (false).
 * Children (PyTorch's names): {@code self_attn}, {@code linear1}, {@code dropout}, {@code linear2},
 * {@code norm1}, {@code norm2}, {@code dropout1}, {@code dropout2}.
 *
 * <pre>
 * TransformerEncoderLayer layer = new TransformerEncoderLayer(512, 8, 2048, 0.1, "relu", 1e-5, true, false);
 * Tensor y = layer.forward(Kindling.randn(32, 10, 512));   // [32, 10, 512]
 * </pre>
 */
public class TransformerEncoderLayer extends Module {
    private final int dModel;
    private final int nhead;
    private final int dimFeedforward;
    private final double dropoutP;
    private final String activation;
    private final double layerNormEps;
    private final boolean batchFirst;
    private final boolean normFirst;
    private final MultiheadAttention selfAttn;
    private final Linear linear1;
    private final Dropout dropout;
    private final Linear linear2;
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final Dropout dropout1;
    private final Dropout dropout2;

    public TransformerEncoderLayer(int dModel, int nhead) {
        this(dModel, nhead, 2048, 0.1, "relu", 1e-5, false, false);
    }

    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double dropout, String activation,
                                   double layerNormEps, boolean batchFirst, boolean normFirst) {
        if (!"relu".equals(activation) && !"gelu".equals(activation)) {
            throw new IllegalArgumentException("TransformerEncoderLayer: activation should be relu/gelu, not "
                    + activation);
        }
        this.dModel = dModel;
        this.nhead = nhead;
        this.dimFeedforward = dimFeedforward;
        this.dropoutP = dropout;
        this.activation = activation;
        this.layerNormEps = layerNormEps;
        this.batchFirst = batchFirst;
        this.normFirst = normFirst;
        selfAttn = register("self_attn", new MultiheadAttention(dModel, nhead, dropout, true, batchFirst));
        linear1 = register("linear1", new Linear(dModel, dimFeedforward, true));
        this.dropout = register("dropout", new Dropout(dropout));
        linear2 = register("linear2", new Linear(dimFeedforward, dModel, true));
        norm1 = register("norm1", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        norm2 = register("norm2", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        dropout1 = register("dropout1", new Dropout(dropout));
        dropout2 = register("dropout2", new Dropout(dropout));
    }

    /** A new layer with the same configuration and a copy (not a share) of this one's parameters and mode. */
    public TransformerEncoderLayer deepCopy() {
        TransformerEncoderLayer c = new TransformerEncoderLayer(dModel, nhead, dimFeedforward, dropoutP, activation,
                layerNormEps, batchFirst, normFirst);
        c.loadStateDict(stateDict());
        c.train(isTraining());
        return c;
    }

    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null);
    }

    /**
     * @param srcMask          attention mask {@code [S, S]} or {@code [N*nhead, S, S]} (bool or additive float), or null
     * @param srcKeyPaddingMask {@code [N, S]}, true where a position is padding, or null
     */
    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask) {
        Tensor x = src;
        if (normFirst) {
            x = x.add(selfAttention(norm1.forward(x), srcMask, srcKeyPaddingMask));
            x = x.add(feedForward(norm2.forward(x)));
        } else {
            x = norm1.forward(x.add(selfAttention(x, srcMask, srcKeyPaddingMask)));
            x = norm2.forward(x.add(feedForward(x)));
        }
        return x;
    }

    private Tensor selfAttention(Tensor x, Tensor mask, Tensor keyPaddingMask) {
        return dropout1.forward(selfAttn.forward(x, x, x, keyPaddingMask, false, mask).output());
    }

    private Tensor feedForward(Tensor x) {
        Tensor h = linear1.forward(x);
        h = "gelu".equals(activation) ? h.gelu() : h.relu();
        return dropout2.forward(linear2.forward(dropout.forward(h)));
    }

    public MultiheadAttention selfAttn() {
        return selfAttn;
    }
}
