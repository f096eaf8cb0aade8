package org.kindling.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kindling.nn.NnRef.assertClose;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
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
import org.kindling.nn.linear.Linear;
import org.kindling.nn.normalization.GroupNorm;
import org.kindling.nn.normalization.LayerNorm;
import org.kindling.nn.sparse.Embedding;
import org.kindling.tensor.Tensor;

/** Every layer against PyTorch 1.13: output, input gradient, parameter gradients, updated buffers. */
class LayerReferenceTest {

    static final Map<String, Supplier<Module>> LAYERS = Map.ofEntries(
            Map.entry("linear", () -> new Linear(5, 3)),
            Map.entry("linear_nobias", () -> new Linear(5, 3, false)),
            Map.entry("linear_3d", () -> new Linear(5, 3)),
            Map.entry("bilinear", () -> new Bilinear(4, 3, 2)),
            Map.entry("flatten", Flatten::new),
            Map.entry("flatten_0_1", () -> new Flatten(0, 1)),
            Map.entry("unflatten", () -> new Unflatten(1, 2, 5)),
            Map.entry("embedding_pad", () -> new Embedding(10, 3, 0)),
            Map.entry("embedding", () -> new Embedding(6, 4)),
            Map.entry("batchnorm1d", () -> new BatchNorm1d(4)),
            Map.entry("batchnorm1d_3d", () -> new BatchNorm1d(3)),
            Map.entry("batchnorm2d", () -> new BatchNorm2d(2)),
            Map.entry("batchnorm2d_eval", () -> new BatchNorm2d(2).eval()),
            Map.entry("batchnorm1d_noaffine", () -> new BatchNorm1d(4, 1e-5, null, false, true)),
            Map.entry("layernorm", () -> new LayerNorm(5)),
            Map.entry("layernorm_2d", () -> new LayerNorm(4, 5)),
            Map.entry("groupnorm", () -> new GroupNorm(2, 4)),
            Map.entry("relu", ReLU::new),
            Map.entry("leaky_relu", () -> new LeakyReLU(0.2)),
            Map.entry("elu", () -> new ELU(1.5)),
            Map.entry("gelu", GELU::new),
            Map.entry("gelu_tanh", () -> new GELU("tanh")),
            Map.entry("silu", SiLU::new),
            Map.entry("sigmoid", Sigmoid::new),
            Map.entry("tanh", Tanh::new),
            Map.entry("softmax", () -> new Softmax(1)),
            Map.entry("softmax_0", () -> new Softmax(0)),
            Map.entry("log_softmax", () -> new LogSoftmax(1)),
            Map.entry("softplus", Softplus::new),
            Map.entry("softplus_beta", () -> new Softplus(2, 3)),
            Map.entry("hardtanh", () -> new Hardtanh(-0.5, 1.5)));

    static List<NnRef.Case> cases() {
        return NnRef.cases("nn_layers.txt").stream().filter(c -> LAYERS.containsKey(c.name())).toList();
    }

    @Test
    void everyFixtureHasAFactory() {
        for (NnRef.Case c : NnRef.cases("nn_layers.txt")) {
            if (!c.name().equals("batchnorm1d_cumulative")) {
                assertEquals(true, LAYERS.containsKey(c.name()), "no factory for fixture " + c.name());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(NnRef.Case c) {
        Module m = LAYERS.get(c.name()).get();
        // Strict loading also checks that parameter and buffer names are PyTorch's.
        m.loadStateDict(c.withPrefix("state."));
        Tensor out;
        Tensor in = null;
        Tensor in1 = null;
        Tensor in2 = null;
        if (m instanceof Bilinear b) {
            in1 = c.get("in1").clone().requiresGrad_();
            in2 = c.get("in2").clone().requiresGrad_();
            out = b.forward(in1, in2);
        } else {
            in = c.get("in").clone();
            if (in.isFloatingPoint()) in.requiresGrad_();
            out = m.forward(in);
        }
        assertClose(c.get("out"), out, c.name() + " output");
        out.backward(c.get("gout"));
        if (in1 != null) {
            assertClose(c.get("grad.in1"), in1.grad(), c.name() + " grad of input1");
            assertClose(c.get("grad.in2"), in2.grad(), c.name() + " grad of input2");
        } else if (in.requiresGrad()) {
            assertClose(c.get("grad.in"), in.grad(), c.name() + " grad of input");
        }
        for (var e : m.namedParameters().entrySet()) {
            assertClose(c.get("grad." + e.getKey()), e.getValue().grad(), c.name() + " grad of " + e.getKey());
        }
        for (var e : c.withPrefix("after.").entrySet()) {
            assertClose(e.getValue(), m.namedBuffers().get(e.getKey()), c.name() + " buffer " + e.getKey());
        }
    }

    @Test
    void batchNormCumulativeAverageThenEval() {
        NnRef.Case c = NnRef.cases("nn_layers.txt").stream().filter(x -> x.name().equals("batchnorm1d_cumulative"))
                .findFirst().orElseThrow();
        BatchNorm1d bn = new BatchNorm1d(3, 1e-5, null, true, true);
        bn.loadStateDict(c.withPrefix("state."));
        for (int i = 0; i < 3; i++) bn.forward(c.get("step" + i));
        for (var e : c.withPrefix("after.").entrySet()) {
            assertClose(e.getValue(), bn.namedBuffers().get(e.getKey()), "buffer " + e.getKey());
        }
        bn.eval();
        assertClose(c.get("eval_out"), bn.forward(c.get("eval_in")), "eval output");
    }
}
