package org.kindling.nn.conv;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.kindling.Kindling;
import org.kindling.nn.F;
import org.kindling.nn.Parameter;
import org.kindling.nn.linear.Linear;
import org.kindling.nn.pooling.MaxPool2d;
import org.kindling.nn.rnn.LSTM;
import org.kindling.tensor.Tensor;

/**
 * Timings of the benchmark shapes (run with {@code -Dkindling.bench=true}; prints, asserts nothing):
 * the MNIST CNN training step and the LSTM classifier step, on {@code kindling.threads} threads.
 */
@EnabledIfSystemProperty(named = "kindling.bench", matches = "true")
class ConvBenchmarkTest {
    /** Milliseconds per call: wall time, or this thread's CPU time with -Dkindling.bench.cpu=true (one thread only). */
    private static double time(Runnable r, int warm, int iters) {
        for (int i = 0; i < warm; i++) r.run();
        boolean cpu = Boolean.getBoolean("kindling.bench.cpu");
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long t0 = cpu ? mx.getCurrentThreadCpuTime() : System.nanoTime();
        for (int i = 0; i < iters; i++) r.run();
        return ((cpu ? mx.getCurrentThreadCpuTime() : System.nanoTime()) - t0) / 1e6 / iters;
    }

    @Test
    void cnnStep() {
        Kindling.manualSeed(0);
        Conv2d c1 = new Conv2d(1, 32, 3, 1, 1), c2 = new Conv2d(32, 64, 3, 1, 1);
        MaxPool2d pool = new MaxPool2d(2);
        Linear l1 = new Linear(3136, 128), l2 = new Linear(128, 10);
        Tensor x = Kindling.randn(64, 1, 28, 28);
        Tensor target = Kindling.randint(0, 10, 64);
        Tensor x2 = Kindling.randn(64, 32, 14, 14);
        Tensor g1 = Kindling.randn(64, 32, 28, 28), g2 = Kindling.randn(64, 64, 14, 14);
        double conv1f = time(() -> {
            try (var ng = org.kindling.tensor.GradMode.noGrad()) {
                c1.forward(x);
            }
        }, 15, 20);
        Tensor y1 = c1.forward(x);
        double conv1fg = time(() -> c1.forward(x), 15, 20);
        double poolF = time(() -> {
            try (var ng = org.kindling.tensor.GradMode.noGrad()) {
                pool.forward(g1);
            }
        }, 15, 20);
        double relu = time(() -> y1.relu(), 15, 20);
        System.out.printf("conv1 fwd nograd %.2f ms, fwd recording %.2f ms, pool fwd nograd %.2f, relu %.2f ms%n",
                conv1f, conv1fg, poolF, relu);
        double conv1 = time(() -> {
            c1.zeroGrad();
            c1.forward(x).backward(g1);
        }, 15, 20);
        double conv2 = time(() -> {
            c2.zeroGrad();
            c2.forward(x2).backward(g2);
        }, 15, 20);
        Tensor x2g = x2.clone().requiresGrad_();
        double conv2dx = time(() -> {
            c2.zeroGrad();
            x2g.setGrad(null);
            c2.forward(x2g).backward(g2);
        }, 15, 20);
        Tensor p = Kindling.randn(64, 32, 28, 28).requiresGrad_();
        Tensor gp = Kindling.randn(64, 32, 14, 14);
        double poolT = time(() -> {
            p.setGrad(null);
            pool.forward(p).backward(gp);
        }, 15, 20);
        List<Parameter> params = new java.util.ArrayList<>();
        for (var m : List.of(c1, c2, l1, l2)) params.addAll(m.parameters());
        double step = time(() -> {
            for (Parameter q : params) q.setGrad(null);
            Tensor h = pool.forward(c1.forward(x).relu());
            h = pool.forward(c2.forward(h).relu());
            h = l2.forward(l1.forward(h.reshape(64, 3136)).relu());
            F.crossEntropy(h, target).backward();
        }, 15, 20);
        System.out.printf("threads=%d conv1 fwd+bwd(w) %.2f ms, conv2 fwd+bwd(w) %.2f ms, conv2 fwd+bwd(w,x) %.2f ms, "
                + "maxpool(64x32x28x28) fwd+bwd %.2f ms, CNN step (no optimizer) %.2f ms%n", Kindling.getNumThreads(),
                conv1, conv2, conv2dx, poolT, step);
    }

    @Test
    void lstmStep() {
        Kindling.manualSeed(0);
        LSTM lstm = new LSTM(64, 128, 1, true, true, 0.0, false);
        Linear fc = new Linear(128, 2);
        Tensor emb = Kindling.randn(32, 100, 64).requiresGrad_();
        Tensor target = Kindling.randint(0, 2, 32);
        double step = time(() -> {
            lstm.zeroGrad();
            fc.zeroGrad();
            emb.setGrad(null);
            var r = lstm.forward(emb, null, null);
            Tensor last = r.hN().reshape(32, 128);
            F.crossEntropy(fc.forward(last), target).backward();
        }, 3, 10);
        System.out.printf("threads=%d LSTM(64->128, seq 100, batch 32) + linear fwd+bwd %.2f ms%n",
                Kindling.getNumThreads(), step);
    }
}
