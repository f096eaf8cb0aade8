package org.kindling.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
import org.kindling.optim.lr.CosineAnnealingLR;
import org.kindling.optim.lr.LRScheduler;
import org.kindling.optim.lr.LinearLR;
import org.kindling.optim.lr.SequentialLR;
import org.kindling.tensor.Tensor;

/** The javadoc examples' training loop, with autograd, on a line fit y = 2x + 1. */
class OptimExamplesTest {
    private static final Tensor X = Kindling.linspace(-1, 1, 16);
    private static final Tensor Y = X.mul(2.0).add(1.0);

    private static double fit(Function<List<Tensor>, Optimizer> make, int epochs, boolean schedule) {
        Tensor w = Kindling.zeros(1).requiresGrad_();
        Tensor b = Kindling.zeros(1).requiresGrad_();
        Optimizer opt = make.apply(List.of(w, b));
        LRScheduler sched = schedule
                ? new SequentialLR(opt, List.of(new LinearLR(opt, 0.1, 1.0, 5), new CosineAnnealingLR(opt, epochs - 5)), 5)
                : null;
        double loss = Double.NaN;
        for (int epoch = 0; epoch < epochs; epoch++) {
            opt.zeroGrad();
            Tensor diff = X.mul(w).add(b).sub(Y);
            Tensor l = diff.mul(diff).sum().div(16.0);
            l.backward();
            ClipGrad.clipGradNorm(List.of(w, b), 10.0);
            opt.step();
            if (sched != null) sched.step();
            loss = l.item();
        }
        assertEquals(2.0, w.item(), 0.05);
        assertEquals(1.0, b.item(), 0.05);
        return loss;
    }

    @Test
    void everyOptimizerFitsALine() {
        assertTrue(fit(ps -> SGD.builder(ps).lr(0.1).momentum(0.9).build(), 100, false) < 1e-3);
        assertTrue(fit(ps -> SGD.builder(ps).lr(0.2).momentum(0.9).nesterov(true).build(), 100, true) < 1e-3);
        assertTrue(fit(ps -> new Adam(ps, 0.1), 200, false) < 1e-3);
        assertTrue(fit(ps -> AdamW.builder(ps).lr(0.1).weightDecay(1e-4).build(), 200, false) < 1e-3);
        assertTrue(fit(ps -> RMSprop.builder(ps).lr(0.01).build(), 300, false) < 1e-3);
        assertTrue(fit(ps -> Adagrad.builder(ps).lr(0.5).build(), 300, false) < 1e-3);
    }
}
