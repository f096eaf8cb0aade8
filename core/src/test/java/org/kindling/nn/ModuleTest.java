package org.kindling.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kindling.Kindling;
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
import org.kindling.nn.dropout.Dropout;
import org.kindling.nn.flatten.Flatten;
import org.kindling.nn.flatten.Unflatten;
import org.kindling.nn.linear.Bilinear;
import org.kindling.nn.linear.Identity;
import org.kindling.nn.linear.Linear;
import org.kindling.nn.loss.BCEWithLogitsLoss;
import org.kindling.nn.loss.CrossEntropyLoss;
import org.kindling.nn.loss.KLDivLoss;
import org.kindling.nn.loss.MSELoss;
import org.kindling.nn.normalization.GroupNorm;
import org.kindling.nn.normalization.LayerNorm;
import org.kindling.nn.sparse.Embedding;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/** Module behaviour with real layers: printing and state-dict names as PyTorch's, modes, apply, to(dtype). */
class ModuleTest {

    static final String[] REPR = NnRef.resource("nn_repr.txt").split("\n----\n");

    static Sequential mlp() {
        return new Sequential(new Linear(784, 256), new BatchNorm1d(256), new ReLU(), new Dropout(0.2),
                new Linear(256, 10), new LogSoftmax(1));
    }

    @Test
    void toStringTreeEqualsPyTorch() {
        assertEquals(REPR[0], mlp().toString());
        Sequential nested = new Sequential(new Flatten(),
                new Sequential(new Linear(4, 4, false), new GELU("tanh")), new LayerNorm(4), new Unflatten(1, 2, 2));
        assertEquals(REPR[2], nested.toString());
        Module[] singles = {new Bilinear(2, 3, 4), new Identity(), new Embedding(10, 3), new Embedding(10, 3, 0),
            new BatchNorm2d(16, 1e-3, null, false, false), new LayerNorm(new int[] {4, 5}, 1e-5, false),
            new GroupNorm(3, 6), new LeakyReLU(), new ELU(), new SiLU(), new Sigmoid(), new Tanh(), new Softmax(-1),
            new Softplus(), new Softplus(0.5, 10), new Hardtanh(), new Dropout(), new MSELoss(), new CrossEntropyLoss(),
            new BCEWithLogitsLoss(), new KLDivLoss()};
        for (int i = 0; i < singles.length; i++) assertEquals(REPR[3 + i].strip(), singles[i].toString());
    }

    @Test
    void stateDictNamesArePyTorchs() {
        Sequential m = mlp();
        assertEquals(List.of(REPR[1].split("\n")), new ArrayList<>(m.stateDict().keySet()));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "4.weight", "4.bias"),
                new ArrayList<>(m.namedParameters().keySet()));
        assertEquals(DType.INT64, m.stateDict().get("1.num_batches_tracked").dtype());
        assertFalse(new BatchNorm1d(3, 1e-5, 0.1, true, false).stateDict().containsKey("running_mean"));
    }

    @Test
    void loadStateDictRoundTripAndStrictErrors() {
        Sequential a = mlp();
        Sequential b = mlp();
        b.loadStateDict(a.stateDict());
        for (var e : a.stateDict().entrySet()) assertTrue(e.getValue().equal(b.stateDict().get(e.getKey())), e.getKey());

        Map<String, Tensor> sd = new LinkedHashMap<>(a.stateDict());
        sd.remove("1.running_var");
        sd.put("9.weight", Kindling.zeros(1));
        var err = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(sd));
        assertTrue(err.getMessage().contains("Missing key(s) in state_dict: \"1.running_var\""), err.getMessage());
        assertTrue(err.getMessage().contains("Unexpected key(s) in state_dict: \"9.weight\""), err.getMessage());
        var keys = b.loadStateDict(sd, false);
        assertEquals(List.of("1.running_var"), keys.missingKeys());
        assertEquals(List.of("9.weight"), keys.unexpectedKeys());

        Map<String, Tensor> bad = new LinkedHashMap<>(a.stateDict());
        bad.put("4.weight", Kindling.zeros(10, 255));
        var shape = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(bad, false));
        assertTrue(shape.getMessage().contains("size mismatch for 4.weight"), shape.getMessage());
    }

    @Test
    void sharedParametersAppearOnce() {
        Linear shared = new Linear(3, 3);
        Sequential m = new Sequential(shared, new ReLU(), shared);
        assertEquals(2, m.parameters().size());
        assertEquals(List.of("0.weight", "0.bias"), new ArrayList<>(m.namedParameters().keySet()));
        assertEquals(12, m.numParameters());
        assertSame(shared.weight, m.parameters().get(0));
    }

    @Test
    void trainEvalPropagatesAndSwitchesBehaviour() {
        Kindling.manualSeed(0);
        Sequential m = mlp();
        m.eval();
        for (Module c : m.modules()) assertFalse(c.isTraining(), c.toString());
        Tensor x = Kindling.randn(4, 784);
        assertTrue(m.forward(x).equal(m.forward(x)), "eval is deterministic");
        assertEquals(0L, ((BatchNorm1d) m.get(1)).numBatchesTracked().itemLong());
        m.train();
        for (Module c : m.modules()) assertTrue(c.isTraining());
        m.forward(x);
        assertEquals(1L, ((BatchNorm1d) m.get(1)).numBatchesTracked().itemLong());
    }

    @Test
    void applyVisitsChildrenFirst() {
        Sequential m = new Sequential(new Linear(2, 2), new Sequential(new Linear(2, 2), new ReLU()));
        List<String> order = new ArrayList<>();
        m.apply(mod -> {
            order.add(mod.getClass().getSimpleName());
            if (mod instanceof Linear l) Init.zeros_(l.weight);
        });
        assertEquals(List.of("Linear", "Linear", "ReLU", "Sequential", "Sequential"), order);
        for (Module mod : m.modules()) {
            if (mod instanceof Linear l) assertEquals(0.0, l.weight.abs().sum().item());
        }
    }

    @Test
    void toDtypeConvertsParametersAndFloatBuffersInPlace() {
        Sequential m = mlp();
        Parameter w = ((Linear) m.get(0)).weight;
        m.to(DType.FLOAT64);
        assertSame(w, ((Linear) m.get(0)).weight);
        assertEquals(DType.FLOAT64, w.dtype());
        assertTrue(w.requiresGrad());
        BatchNorm1d bn = (BatchNorm1d) m.get(1);
        assertEquals(DType.FLOAT64, bn.runningMean().dtype());
        assertEquals(DType.INT64, bn.numBatchesTracked().dtype());
        Tensor out = m.forward(Kindling.randn(3, 784).to(DType.FLOAT64));
        assertEquals(DType.FLOAT64, out.dtype());
        out.sum().backward();
        assertEquals(DType.FLOAT64, w.grad().dtype());
    }

    @Test
    void batchNormWithoutRunningStatsUsesBatchStatisticsInEval() {
        BatchNorm1d bn = new BatchNorm1d(2, 1e-5, 0.1, false, false);
        bn.eval();
        Tensor x = Kindling.tensor(new double[][] {{1, 10}, {3, 30}}).to(DType.FLOAT32);
        Tensor y = bn.forward(x);
        assertTrue(y.allclose(Kindling.tensor(new double[][] {{-1, -1}, {1, 1}}).to(DType.FLOAT32), 1e-4, 1e-4), y.toString());
    }

    @Test
    void batchNormRunningStatsAfterStepsAndEval() {
        Kindling.manualSeed(3);
        BatchNorm2d bn = new BatchNorm2d(3, 1e-5, 0.5, true, true);
        double rm = 0;
        double rv = 1;
        for (int step = 0; step < 3; step++) {
            Tensor x = Kindling.randn(4, 3, 2, 2).add(step);
            double[] ch0 = x.select(1, 0).flatten().toDoubleArray();
            double mean = 0;
            for (double v : ch0) mean += v;
            mean /= ch0.length;
            double ss = 0;
            for (double v : ch0) ss += (v - mean) * (v - mean);
            rm = 0.5 * rm + 0.5 * mean;
            rv = 0.5 * rv + 0.5 * ss / (ch0.length - 1); // unbiased
            bn.forward(x);
        }
        assertEquals(rm, bn.runningMean().toDoubleArray()[0], 1e-5);
        assertEquals(rv, bn.runningVar().toDoubleArray()[0], 1e-5);
        assertEquals(3L, bn.numBatchesTracked().itemLong());
        bn.eval();
        Tensor x = Kindling.randn(1, 3, 2, 2);
        Tensor y = bn.forward(x);
        double expected = (x.toDoubleArray()[0] - rm) / Math.sqrt(rv + 1e-5);
        assertEquals(expected, y.toDoubleArray()[0], 1e-4);
        assertEquals(3L, bn.numBatchesTracked().itemLong(), "eval does not count batches");
        assertThrows(IllegalArgumentException.class, () -> bn.forward(Kindling.randn(2, 3)));
    }
}
