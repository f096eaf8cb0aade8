package org.kindling.nn.transformer;

import java.util.ArrayList;
import java.util.List;
import org.kindling.nn.Module;
import org.kindling.nn.ModuleList;
import org.kindling.tensor.Tensor;

/**
 * A stack of {@code numLayers} encoder layers ({@code nn.TransformerEncoder}), each a deep copy of
 * the given layer (same initial weights, independent parameters), followed by an optional norm.
 * Children: {@code layers} ({@code layers.0.self_attn.in_proj_weight}, ...) and {@code norm}.
 *
 * <pre>
 * TransformerEncoderLayer layer = new TransformerEncoderLayer(512, 8, 2048, 0.1, "relu", 1e-5, true, false);
 * TransformerEncoder encoder = new TransformerEncoder(layer, 6, null);
 * Tensor y = encoder.forward(Kindling.randn(32, 10, 512));
 * </pre>
 */
public class TransformerEncoder extends Module {
    private final ModuleList layers;
    private final Module norm;

    /** {@code norm} may be null (for example a {@code LayerNorm(dModel)} otherwise). */
    public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers, Module norm) {
        if (numLayers < 1) {
            throw new IllegalArgumentException("TransformerEncoder: numLayers must be >= 1, got " + numLayers);
        }
        List<Module> copies = new ArrayList<>();
        for (int i = 0; i < numLayers; i++) copies.add(encoderLayer.deepCopy());
        layers = register("layers", new ModuleList(copies));
        this.norm = norm == null ? null : register("norm", norm);
    }

    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null);
    }

    /** Runs every layer with the same masks (see {@link TransformerEncoderLayer#forward(Tensor, Tensor, Tensor)}). */
    public Tensor forward(Tensor src, Tensor mask, Tensor srcKeyPaddingMask) {
        Tensor x = src;
        for (Module m : layers) x = ((TransformerEncoderLayer) m).forward(x, mask, srcKeyPaddingMask);
        return norm == null ? x : norm.forward(x);
    }

    public ModuleList layers() {
        return layers;
    }
}
