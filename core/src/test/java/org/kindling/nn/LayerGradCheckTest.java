package org.kindling.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.kindling.Kindling;
import org.kindling.autograd.GradCheck;
import org.kindling.nn.activation.ELU;
import org.kindling.nn.activation.GELU;
import org.kindling.nn.activation.Hardtanh;
import org.kindling.nn.activation.LeakyReLU;
import org.kindling.nn.activation.LogSoftmax;
import org.kindling.nn.activation.ReLU;
import org.kindling.nn.activation.SiLU;
import org.kindling.nn.activation.Sigmoid;
import org.kindling.nn.activation.Softmax;
import org.kindling.nn.activation.Softplus;
import org.kindling.nn.activation.Tanh;
import org.kindling.nn.batchnorm.BatchNorm1d;
import org.kindling.nn.batchnorm.BatchNorm2d;
import org.kindling.nn.flatten.Flatten;
import org.kindling.nn.flatten.Unflatten;
import org.kindling.nn.linear.Bilinear;
import org.kindling.nn.linear.Identity;
import org.kindling.nn.linear.Linear;
import org.kindling.nn.normalization.GroupNorm;
import org.kindling.nn.normalization.LayerNorm;
import org.kindling.nn.sparse.Embedding;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/** Finite-difference checks in float64 of every layer's input and parameter gradients, and of every loss. */
class LayerGradCheckTest {

    static Arguments layer(String name, Supplier<Module> m, int... inputShape) {
        return Arguments.of(name, m, inputShape);
    }

    static Stream<Arguments> layers() {
        return Stream.of(
                layer("Linear", () -> new Linear(4, 3), 2, 4),
                layer("Linear 3-D input", () -> new Linear(3, 2, false), 2, 2, 3),
                layer("Identity", Identity::new, 2, 3),
                layer("Flatten", Flatten::new, 2, 2, 3),
                layer("Unflatten", () -> new Unflatten(1, 2, 3), 2, 6),
                layer("BatchNorm1d", () -> new BatchNorm1d(3), 4, 3),
                layer("BatchNorm1d eval", () -> new BatchNorm1d(3).eval(), 4, 3),
                layer("BatchNorm2d", () -> new BatchNorm2d(2), 2, 2, 2, 2),
                layer("LayerNorm", () -> new LayerNorm(4), 3, 4),
                layer("GroupNorm", () -> new GroupNorm(2, 4), 2, 4, 2),
                layer("ReLU", ReLU::new, 3, 4),
                layer("LeakyReLU", () -> new LeakyReLU(0.1), 3, 4),
                layer("ELU", () -> new ELU(1.2), 3, 4),
                layer("GELU", GELU::new, 3, 4),
                layer("GELU tanh", () -> new GELU("tanh"), 3, 4),
                layer("SiLU", SiLU::new, 3, 4),
                layer("Sigmoid", Sigmoid::new, 3, 4),
                layer("Tanh", Tanh::new, 3, 4),
                layer("Softmax", () -> new Softmax(1), 3, 4),
                layer("LogSoftmax", () -> new LogSoftmax(0), 3, 4),
                layer("Softplus", Softplus::new, 3, 4),
                layer("Softplus beta", () -> new Softplus(2, 1), 3, 4),
                layer("Hardtanh", () -> new Hardtanh(-0.7, 0.9), 3, 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void inputAndParameterGradients(String name, Supplier<Module> factory, int[] shape) {
        Kindling.manualSeed(7);
        Module m = factory.get().to(DType.FLOAT64);
        // Values away from the kinks of relu-like functions, where finite differences are meaningless.
        Tensor x = Kindling.randn(shape).to(DType.FLOAT64);
        x = x.add(x.sign().mul(0.05)).requiresGrad_();
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(x);
        inputs.addAll(m.parameters()); // the module reads them; gradcheck perturbs them in place
        GradCheck.gradcheck(in -> m.forward(in[0]), inputs.toArray(new Tensor[0]));
    }

    @Test
    void bilinear() {
        Kindling.manualSeed(3);
        Bilinear m = new Bilinear(3, 2, 2);
        m.to(DType.FLOAT64);
        Tensor a = Kindling.randn(4, 3).to(DType.FLOAT64).requiresGrad_();
        Tensor b = Kindling.randn(4, 2).to(DType.FLOAT64).requiresGrad_();
        GradCheck.gradcheck(in -> m.forward(in[0], in[1]), a, b, m.weight, m.bias);
    }

    @Test
    void linearSecondOrder() {
        Kindling.manualSeed(5);
        Tensor x = Kindling.randn(3, 4).to(DType.FLOAT64).requiresGrad_();
        Tensor w = Kindling.randn(2, 4).to(DType.FLOAT64).requiresGrad_();
        Tensor b = Kindling.randn(2).to(DType.FLOAT64).requiresGrad_();
        // The fused backward is written in recorded ops, so it can be differentiated again.
        GradCheck.gradgradcheck(in -> F.linear(in[0], in[1], in[2]).tanh(), x, w, b);
    }

    @Test
    void embeddingWeight() {
        Kindling.manualSeed(3);
        Embedding m = new Embedding(5, 2, 1);
        m.to(DType.FLOAT64);
        Tensor idx = Kindling.tensor(new long[][] {{0, 1, 4}, {4, 4, 2}});
        GradCheck.gradcheck(in -> m.forward(idx).mul(m.forward(idx)), m.weight);
    }

    static Stream<Arguments> losses() {
        Tensor labels = Kindling.tensor(new long[] {0, 2, -100, 1});
        Tensor w = Kindling.tensor(new double[] {0.5, 1.0, 2.0});
        Tensor probs = Kindling.rand(4, 3).to(DType.FLOAT64);
        Tensor bin = Kindling.tensor(new double[][] {{0, 1, 1}, {1, 0, 0.3}, {0, 0, 1}, {1, 1, 0}});
        Tensor y = Kindling.randn(4, 3).to(DType.FLOAT64);
        return Stream.of(
                Arguments.of("mse", (LossFn) x -> F.mseLoss(x, y)),
                Arguments.of("l1", (LossFn) x -> F.l1Loss(x, y, Reduction.SUM)),
                Arguments.of("smoothL1", (LossFn) x -> F.smoothL1Loss(x, y, Reduction.MEAN, 0.5)),
                Arguments.of("huber", (LossFn) x -> F.huberLoss(x, y, Reduction.NONE, 0.8)),
                Arguments.of("crossEntropy", (LossFn) x -> F.crossEntropy(x, labels, w, -100, Reduction.MEAN, 0.1)),
                Arguments.of("crossEntropy probs", (LossFn) x -> F.crossEntropy(x, probs, null, -100, Reduction.SUM, 0)),
                Arguments.of("nll", (LossFn) x -> F.nllLoss(x, labels, w, -100, Reduction.MEAN)),
                Arguments.of("bce", (LossFn) x -> F.binaryCrossEntropy(x.sigmoid(), bin, null, Reduction.MEAN)),
                Arguments.of("bceWithLogits", (LossFn) x -> F.binaryCrossEntropyWithLogits(x, bin, null,
                        Kindling.tensor(new double[] {1, 2, 0.5}), Reduction.MEAN)),
                Arguments.of("klDiv", (LossFn) x -> F.klDiv(x.logSoftmax(1), probs, Reduction.BATCHMEAN, false)));
    }

    interface LossFn extends java.util.function.Function<Tensor, Tensor> {}

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void lossGradients(String name, LossFn fn) {
        Kindling.manualSeed(11);
        Tensor x = Kindling.randn(4, 3).to(DType.FLOAT64).requiresGrad_();
        GradCheck.gradcheck(in -> fn.apply(in[0]), x);
    }
}
