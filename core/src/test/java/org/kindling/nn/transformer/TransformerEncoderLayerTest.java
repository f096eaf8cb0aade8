package org.kindling.nn.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.nn.NnReference;
import org.kindling.nn.normalization.LayerNorm;
import org.kindling.tensor.Tensor;

class TransformerEncoderLayerTest {
    private static final String FILE = "nn2_attn.txt";

    @Test
    void matchesPyTorchPostNormGelu() {
        TransformerEncoderLayer m = new TransformerEncoderLayer(8, 2, 16, 0.0, "gelu", 1e-5, true, false);
        m.eval();
        Tensor kpm = NnReference.of(FILE, "tel").get("kpm");
        NnReference.check(FILE, "tel", m, x -> new Tensor[] {m.forward(x[0], null, kpm)}, 1e-4, 1e-5);
    }

    @Test
    void matchesPyTorchNormFirstWithMask() {
        TransformerEncoderLayer m = new TransformerEncoderLayer(8, 2, 12, 0.0, "relu", 1e-6, false, true);
        m.eval();
        Tensor causal = NnReference.of(FILE, "tel_normfirst").get("mask");
        NnReference.check(FILE, "tel_normfirst", m, x -> new Tensor[] {m.forward(x[0], causal, null)}, 1e-4, 1e-5);
    }

    @Test
    void encoderMatchesPyTorchAndCopiesLayers() {
        TransformerEncoderLayer layer = new TransformerEncoderLayer(8, 2, 16, 0.0, "relu", 1e-5, true, false);
        TransformerEncoder enc = new TransformerEncoder(layer, 2, new LayerNorm(8));
        enc.eval();
        assertTrue(enc.namedParameters().containsKey("layers.1.self_attn.in_proj_weight"));
        assertTrue(enc.namedParameters().containsKey("norm.weight"));
        Tensor w0 = enc.namedParameters().get("layers.0.linear1.weight");
        Tensor w1 = enc.namedParameters().get("layers.1.linear1.weight");
        assertTrue(w0.equal(w1));
        assertFalse(w0.sharesStorageWith(w1));
        NnReference.check(FILE, "tenc", enc, x -> new Tensor[] {enc.forward(x[0])}, 1e-4, 1e-5);
    }

    @Test
    void shapes() {
        TransformerEncoderLayer layer = new TransformerEncoderLayer(16, 4, 32, 0.1, "relu", 1e-5, false, false);
        assertArrayEquals(new int[] {7, 3, 16}, layer.forward(Kindling.randn(7, 3, 16)).shape().toArray());
    }
}
