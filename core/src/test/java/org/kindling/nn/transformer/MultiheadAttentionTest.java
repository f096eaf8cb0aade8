package org.kindling.nn.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.autograd.GradCheck;
import org.kindling.nn.NnReference;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

class MultiheadAttentionTest {
    private static final String FILE = "nn2_attn.txt";

    @Test
    void matchesPyTorchWithPaddingAndFloatMask() {
        MultiheadAttention m = new MultiheadAttention(8, 2, 0.0, true, true);
        var c = NnReference.of(FILE, "mha");
        Tensor kpm = c.get("kpm");
        NnReference.check(FILE, "mha", m, x -> {
            AttentionOutput r = m.forward(x[0], x[1], x[2], kpm, true, c.get("am"));
            return new Tensor[] {r.output(), r.weights()};
        }, 1e-4, 1e-5);
    }

    @Test
    void matchesPyTorchWithBool3dAndCausalMasks() {
        MultiheadAttention m = new MultiheadAttention(6, 2);
        Tensor bool3 = NnReference.of(FILE, "mha_self").get("mask");
        NnReference.check(FILE, "mha_self", m, x -> {
            AttentionOutput r = m.forward(x[0], x[0], x[0], null, true, bool3);
            return new Tensor[] {r.output(), r.weights()};
        }, 1e-4, 1e-5);
        MultiheadAttention nb = new MultiheadAttention(4, 1, 0.0, false, false);
        Tensor causal = NnReference.of(FILE, "mha_causal_nobias").get("mask");
        NnReference.check(FILE, "mha_causal_nobias", nb, x -> {
            AttentionOutput r = nb.forward(x[0], x[0], x[0], null, false, causal);
            assertNull(r.weights());
            return new Tensor[] {r.output()};
        }, 1e-4, 1e-5);
    }

    @Test
    void gradcheckTiny() {
        Kindling.manualSeed(9);
        MultiheadAttention m = new MultiheadAttention(4, 2, 0.0, true, true);
        m.to(DType.FLOAT64);
        List<Tensor> in = new ArrayList<>(List.of(Kindling.randn(2, 3, 4).to(DType.FLOAT64).requiresGrad_(),
                Kindling.randn(2, 2, 4).to(DType.FLOAT64).requiresGrad_()));
        in.addAll(m.parameters());
        Tensor kpm = Kindling.fromArray(new long[] {0, 1, 0, 0}, 2, 2).to(DType.BOOL);
        GradCheck.gradcheck(t -> m.forward(t[0], t[1], t[1], kpm, false, null).output(), in.toArray(new Tensor[0]));
    }

    @Test
    void shapesAndErrors() {
        MultiheadAttention m = new MultiheadAttention(8, 2, 0.0, true, true);
        Tensor x = Kindling.randn(2, 5, 8);
        AttentionOutput r = m.forward(x, x, x, null, true, null);
        assertArrayEquals(new int[] {2, 5, 8}, r.output().shape().toArray());
        assertArrayEquals(new int[] {2, 5, 5}, r.weights().shape().toArray());
        assertArrayEquals(new int[] {2, 2, 5, 5}, m.forward(x, x, x, null, true, null, false).weights().shape().toArray());
        assertEquals(List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"),
                List.copyOf(m.namedParameters().keySet()));
        assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(6, 4));
        var e = assertThrows(IllegalArgumentException.class, () -> m.forward(Kindling.randn(2, 5, 7)));
        assertEquals("MultiheadAttention: expected query with 3 dims [N, L, 8] (or 2 unbatched), got [2, 5, 7]",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.forward(x, x, x, null, true, Kindling.zeros(5, 4)));
    }
}
