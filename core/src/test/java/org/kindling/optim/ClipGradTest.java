package org.kindling.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.kindling.Kindling;
import org.kindling.tensor.Tensor;

/** clipGradNorm / clipGradValue against optim_clip.txt (PyTorch 1.13's clip_grad_norm_ / clip_grad_value_). */
class ClipGradTest {
    private static List<Tensor> withGrads(String[] specs) {
        List<Tensor> ps = new ArrayList<>();
        for (String s : specs) {
            Tensor g = OptimFixtures.tensor(s);
            Tensor p = Kindling.zerosLike(g).requiresGrad_();
            p.setGrad(g);
            ps.add(p);
        }
        return ps;
    }

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : OptimFixtures.records("optim_clip.txt").stream().map(f -> String.join(" | ", f)).toList()) {
            String[] sides = line.split(" -> ");
            String[] in = sides[0].split(" \\| ");
            String[] out = sides[1].split(" \\| ");
            String kind = in[0];
            String name = in[1];
            tests.add(DynamicTest.dynamicTest(kind + " " + name, () -> {
                if (kind.equals("clip_norm")) {
                    double maxNorm = OptimFixtures.number(in[2]);
                    double normType = OptimFixtures.number(in[3]);
                    List<Tensor> ps = withGrads(java.util.Arrays.copyOfRange(in, 4, in.length));
                    Tensor total = ClipGrad.clipGradNorm(ps, maxNorm, normType);
                    OptimFixtures.assertClose(OptimFixtures.tensor(out[0]), total, 1e-5, 1e-6, name + " total norm");
                    for (int i = 0; i < ps.size(); i++) {
                        OptimFixtures.assertClose(OptimFixtures.tensor(out[i + 1]), ps.get(i).grad(), 1e-5, 1e-6,
                                name + " grad " + i);
                    }
                } else {
                    double clip = OptimFixtures.number(in[2]);
                    List<Tensor> ps = withGrads(java.util.Arrays.copyOfRange(in, 3, in.length));
                    ClipGrad.clipGradValue(ps, clip);
                    for (int i = 0; i < ps.size(); i++) {
                        OptimFixtures.assertClose(OptimFixtures.tensor(out[i]), ps.get(i).grad(), 0, 0, name + " grad " + i);
                    }
                }
            }));
        }
        assertTrue(tests.size() >= 6);
        return tests.stream();
    }

    @Test
    void parametersWithoutGradientsAreSkipped() {
        Tensor a = Kindling.zeros(2).requiresGrad_();
        Tensor b = Kindling.zeros(2).requiresGrad_();
        assertEquals(0.0, ClipGrad.clipGradNorm(List.of(a, b), 1.0).item());
        Tensor g = Kindling.fromArray(new float[] {3, 4}, 2);
        b.setGrad(g);
        Tensor total = ClipGrad.clipGradNorm(List.of(a, b), 1.0);
        assertEquals(5.0, total.item(), 1e-6);
        assertSame(g, b.grad(), "clipped in place");
        assertArrayEquals(new float[] {0.6f, 0.8f}, g.toFloatArray(), 1e-6f);
        ClipGrad.clipGradValue(List.of(a, b), 0.7);
        assertArrayEquals(new float[] {0.6f, 0.7f}, g.toFloatArray(), 1e-6f);
    }

    @Test
    void nonFiniteNormsAndBadArguments() {
        Tensor p = Kindling.zeros(2).requiresGrad_();
        p.setGrad(Kindling.fromArray(new float[] {Float.POSITIVE_INFINITY, 1}, 2));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ClipGrad.clipGradNorm(List.of(p), 1.0, 2.0, true));
        assertTrue(e.getMessage().startsWith("The total norm of order 2.0 for gradients"), e.getMessage());
        assertEquals(Double.POSITIVE_INFINITY, ClipGrad.clipGradNorm(List.of(p), 1.0, 2.0, false).item());
        assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(List.of(p), -1.0));
        assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradValue(List.of(p), Double.NaN));
    }
}
