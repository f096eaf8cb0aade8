package org.kindling.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;

class OptimizerTest {
    private static Tensor param(float... values) {
        return Kindling.fromArray(values, values.length).requiresGrad_();
    }

    private static List<Tensor> params() {
        return List.of(param(1, 2, 3), param(-1, 0.5f));
    }

    private static void assertMessage(String expected, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertEquals(expected, ex.getMessage());
    }

    // ------------------------------------------------------------------ validation

    @Test
    void hyperparametersAreValidatedWithPyTorchsMessages() {
        assertMessage("Invalid learning rate: -0.1", () -> new SGD(params(), -0.1));
        assertMessage("Invalid learning rate: NaN", () -> new SGD(params(), Double.NaN));
        assertMessage("Invalid momentum value: -0.5", () -> SGD.builder(params()).lr(0.1).momentum(-0.5).build());
        assertMessage("Invalid weight_decay value: -1.0", () -> SGD.builder(params()).lr(0.1).weightDecay(-1).build());
        assertMessage("Nesterov momentum requires a momentum and zero dampening",
                () -> SGD.builder(params()).lr(0.1).nesterov(true).build());
        assertMessage("Nesterov momentum requires a momentum and zero dampening",
                () -> SGD.builder(params()).lr(0.1).momentum(0.9).dampening(0.1).nesterov(true).build());

        assertMessage("Invalid learning rate: -0.1", () -> new Adam(params(), -0.1));
        assertMessage("Invalid epsilon value: -1.0E-8", () -> Adam.builder(params()).eps(-1e-8).build());
        assertMessage("Invalid beta parameter at index 0: 1.0", () -> Adam.builder(params()).betas(1.0, 0.999).build());
        assertMessage("Invalid beta parameter at index 1: -0.5", () -> Adam.builder(params()).betas(0.9, -0.5).build());
        assertMessage("Invalid weight_decay value: -0.01", () -> Adam.builder(params()).weightDecay(-0.01).build());
        assertMessage("Invalid beta parameter at index 0: 1.5", () -> AdamW.builder(params()).betas(1.5, 0.9).build());
        assertMessage("Invalid weight_decay value: -0.01", () -> AdamW.builder(params()).weightDecay(-0.01).build());

        assertMessage("Invalid alpha value: -0.5", () -> RMSprop.builder(params()).alpha(-0.5).build());
        assertMessage("Invalid momentum value: -0.9", () -> RMSprop.builder(params()).momentum(-0.9).build());
        assertMessage("Invalid epsilon value: -1.0", () -> RMSprop.builder(params()).eps(-1).build());

        assertMessage("Invalid lr_decay value: -0.1", () -> Adagrad.builder(params()).lrDecay(-0.1).build());
        assertMessage("Invalid initial_accumulator_value value: -1.0",
                () -> Adagrad.builder(params()).initialAccumulatorValue(-1).build());
        assertMessage("Invalid learning rate: -2.0", () -> new Adagrad(params(), -2));
    }

    @Test
    void groupOptionsAreValidatedWhenAddedAndWhenSet() {
        List<Tensor> ps = params();
        assertMessage("Invalid learning rate: -1.0", () -> new SGD(List.of(ps.get(0)), 0.1)
                .addParamGroup(new ParamGroup(List.of(ps.get(1)), Map.of("lr", -1))));

        SGD sgd = new SGD(params(), 0.1);
        ParamGroup g = sgd.paramGroups().get(0);
        assertMessage("Invalid learning rate: -0.5", () -> g.setLr(-0.5));
        assertEquals(0.1, g.lr(), "a rejected value leaves the group unchanged");
        assertMessage("Nesterov momentum requires a momentum and zero dampening", () -> g.set("nesterov", true));
        assertMessage("option 'nesterov' must be a boolean, got 1.0", () -> g.set("nesterov", 1));
        g.set("momentum", 0.9).set("nesterov", true);
        assertTrue(g.getBoolean("nesterov"));
        assertMessage("Invalid beta parameter at index 1: 1.0",
                () -> new Adam(params()).paramGroups().get(0).set("betas", new double[] {0.9, 1.0}));
    }

    @Test
    void parametersMustBeLeavesThatRequireGradInOneGroupOnly() {
        assertMessage("optimizer got an empty parameter list", () -> new SGD(List.of(), 0.1));
        assertMessage("optimizer got an empty parameter list", () -> SGD.builder(List.<ParamGroup>of()).lr(0.1).build());
        assertMessage("optimizer can only optimize Tensors that require grad",
                () -> new Adam(List.of(Kindling.ones(3))));
        Tensor w = param(1, 2);
        Tensor nonLeaf = w.mul(2.0);
        assertMessage("can't optimize a non-leaf Tensor", () -> new SGD(List.of(nonLeaf), 0.1));
        assertMessage("optimizer contains a parameter group with duplicate parameters", () -> new SGD(List.of(w, w), 0.1));
        assertMessage("some parameters appear in more than one parameter group", () -> SGD.builder(List.of(
                new ParamGroup(List.of(w)), new ParamGroup(List.of(param(3), w)))).lr(0.1).build());
        SGD sgd = new SGD(List.of(w), 0.1);
        assertMessage("some parameters appear in more than one parameter group",
                () -> sgd.addParamGroup(new ParamGroup(List.of(w))));
        assertEquals(1, sgd.paramGroups().size());
    }

    @Test
    void lrIsRequiredForSgdUnlessEveryGroupSetsIt() {
        List<Tensor> ps = params();
        assertMessage("parameter group didn't specify a value of required optimization parameter lr",
                () -> SGD.builder(ps).momentum(0.9).build());
        assertMessage("parameter group didn't specify a value of required optimization parameter lr",
                () -> SGD.builder(List.of(new ParamGroup(List.of(ps.get(0)), Map.of("lr", 0.1)),
                        new ParamGroup(List.of(ps.get(1))))).build());
        SGD ok = SGD.builder(List.of(new ParamGroup(List.of(ps.get(0)), Map.of("lr", 0.1)),
                new ParamGroup(List.of(ps.get(1)), Map.of("lr", 0.2)))).build();
        assertEquals(0.2, ok.getLr(1));
        assertSame(Optimizer.REQUIRED, ok.defaults().get("lr"));
    }

    @Test
    void aRejectedConfigurationLeavesTheGroupsReusable() {
        List<Tensor> ps = params();
        List<ParamGroup> groups = List.of(new ParamGroup(List.of(ps.get(0))),
                new ParamGroup(List.of(ps.get(1)), Map.of("momentum", -1)));
        assertThrows(IllegalArgumentException.class, () -> SGD.builder(groups).lr(0.1).build());
        assertTrue(groups.get(0).options().isEmpty(), "defaults were not merged into a group of a failed build");
        SGD sgd = SGD.builder(List.of(groups.get(0))).lr(0.1).build();
        assertEquals(0.1, sgd.getLr(0));
    }

    // ------------------------------------------------------------------ groups

    @Test
    void paramGroupsGetDefaultsAndTheirOwnLearningRates() {
        Tensor a = param(1, 1);
        Tensor b = param(1, 1);
        SGD sgd = SGD.builder(List.of(new ParamGroup(List.of(a)), new ParamGroup(List.of(b), Map.of("lr", 0.01))))
                .lr(0.1).momentum(0.5).build();
        assertEquals(0.1, sgd.getLr(0));
        assertEquals(0.01, sgd.getLr(1));
        assertEquals(0.5, sgd.paramGroups().get(1).getDouble("momentum"), "missing options come from the defaults");
        a.setGrad(Kindling.ones(2));
        b.setGrad(Kindling.ones(2));
        sgd.step();
        assertArrayEquals(new float[] {0.9f, 0.9f}, a.toFloatArray());
        assertArrayEquals(new float[] {0.99f, 0.99f}, b.toFloatArray());

        Tensor c = param(2);
        sgd.addParamGroup(new ParamGroup(List.of(c), Map.of("lr", 1, "momentum", 0)));
        assertEquals(3, sgd.paramGroups().size());
        assertEquals(1.0, sgd.getLr(2), "integers are normalised to doubles");
        assertEquals(false, sgd.paramGroups().get(2).getBoolean("nesterov"));
        c.setGrad(Kindling.fromArray(new float[] {0.5f}, 1));
        sgd.step();
        assertArrayEquals(new float[] {1.5f}, c.toFloatArray());
        sgd.setLr(2, 0.25);
        assertEquals(0.25, sgd.paramGroups().get(2).lr());
        assertThrows(UnsupportedOperationException.class, () -> sgd.paramGroups().clear());
        assertTrue(sgd.paramGroups().get(0).toString().startsWith("ParamGroup(params=1, lr=0.1"),
                sgd.paramGroups().get(0).toString());
    }

    // ------------------------------------------------------------------ zeroGrad and step

    @Test
    void zeroGradSetsGradientsToNullByDefault() {
        List<Tensor> ps = params();
        Adam adam = new Adam(ps);
        for (Tensor p : ps) p.setGrad(Kindling.onesLike(p));
        adam.zeroGrad();
        for (Tensor p : ps) assertNull(p.grad());
        adam.zeroGrad();  // nothing to clear
    }

    @Test
    void zeroGradFalseZeroesInPlace() {
        Tensor w = param(1, 2, 3);
        Tensor x = Kindling.fromArray(new float[] {1, 1, 1}, 3);
        w.mul(x).sum().backward();
        Tensor g = w.grad();
        assertNotNull(g);
        SGD sgd = new SGD(List.of(w), 0.1);
        sgd.zeroGrad(false);
        assertSame(g, w.grad(), "the same tensor, zeroed");
        assertArrayEquals(new float[] {0, 0, 0}, g.toFloatArray());
        assertFalse(g.requiresGrad());
        w.mul(x).sum().backward();
        assertArrayEquals(new float[] {1, 1, 1}, w.grad().toFloatArray(), "backward accumulates into the zeroed grad");
    }

    @Test
    void stepSkipsParametersWithoutGradientAndRunsWithoutRecording() {
        Tensor a = param(1, 2);
        Tensor b = param(3, 4);
        Adam adam = new Adam(List.of(a, b), 0.1);
        a.setGrad(Kindling.fromArray(new float[] {1, -1}, 2));
        adam.step();
        assertArrayEquals(new float[] {3, 4}, b.toFloatArray());
        assertFalse(adam.hasState(b));
        assertTrue(a.isLeaf() && a.requiresGrad());
        assertNull(a.gradFn());
        assertTrue(GradMode.isEnabled(), "grad mode restored after the step");
        // Adam's first step moves every coordinate by lr against the gradient's sign
        assertArrayEquals(new float[] {0.9f, 2.1f}, a.toFloatArray(), 1e-6f);
    }

    @Test
    void stepWithClosureReturnsTheLossAndUpdates() {
        Tensor w = param(2);
        SGD sgd = new SGD(List.of(w), 0.25);
        Tensor loss = sgd.step(() -> {
            sgd.zeroGrad();
            Tensor l = w.mul(w).sum();
            l.backward();
            return l;
        });
        assertEquals(4.0, loss.item(), 1e-6);
        assertArrayEquals(new float[] {1.0f}, w.toFloatArray());  // 2 - 0.25 * 4
    }

    // ------------------------------------------------------------------ state

    @Test
    void stateIsCreatedLazilyOnTheFirstStep() {
        Tensor w = param(1, 2, 3);
        Adam adam = Adam.builder(List.of(w)).amsgrad(true).build();
        assertFalse(adam.hasState(w));
        assertTrue(adam.state(w).isEmpty());
        assertTrue(adam.stateDict().state().isEmpty());
        adam.step();  // no gradient yet: still nothing
        assertFalse(adam.hasState(w));
        w.setGrad(Kindling.onesLike(w));
        adam.step();
        Map<String, Object> st = adam.state(w);
        assertEquals(List.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"), new ArrayList<>(st.keySet()));
        assertEquals(1L, st.get("step"));
        assertArrayEquals(new float[] {0.1f, 0.1f, 0.1f}, ((Tensor) st.get("exp_avg")).toFloatArray(), 1e-7f);
        adam.step();
        assertEquals(2L, adam.state(w).get("step"));
        assertThrows(UnsupportedOperationException.class, () -> adam.state(w).clear());

        Tensor v = param(1);
        SGD plain = new SGD(List.of(v), 0.1);
        v.setGrad(Kindling.onesLike(v));
        plain.step();
        assertFalse(plain.hasState(v), "plain SGD keeps no state");
        SGD momentum = SGD.builder(List.of(v)).lr(0.1).momentum(0.9).build();
        momentum.step();
        assertEquals(List.of("momentum_buffer"), new ArrayList<>(momentum.state(v).keySet()));
        Adagrad adagrad = new Adagrad(List.of(v));
        adagrad.step();
        assertEquals(List.of("step", "sum"), new ArrayList<>(adagrad.state(v).keySet()));
        RMSprop rms = RMSprop.builder(List.of(v)).momentum(0.5).centered(true).build();
        rms.step();
        assertEquals(List.of("step", "square_avg", "grad_avg", "momentum_buffer"), new ArrayList<>(rms.state(v).keySet()));
    }

    /** Six fixed gradients, the same for every run. */
    private static List<Tensor> gradients(int n) {
        Kindling.manualSeed(42);
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < 6; i++) out.add(Kindling.randn(n).mul(1 + i % 3));
        return out;
    }

    private static void run(Optimizer opt, Tensor p, List<Tensor> grads, int from, int to) {
        for (int s = from; s < to; s++) {
            p.setGrad(grads.get(s).clone());
            opt.step();
        }
    }

    @Test
    void stateDictRoundTripContinuesBitIdentically() {
        List<Function<List<Tensor>, Optimizer>> makers = List.of(
                ps -> SGD.builder(ps).lr(0.1).momentum(0.9).nesterov(true).weightDecay(0.01).build(),
                ps -> SGD.builder(ps).lr(0.1).momentum(0.8).dampening(0.3).build(),
                ps -> Adam.builder(ps).lr(0.01).amsgrad(true).weightDecay(0.1).build(),
                ps -> AdamW.builder(ps).lr(0.01).build(),
                ps -> RMSprop.builder(ps).lr(0.01).momentum(0.5).centered(true).build(),
                ps -> Adagrad.builder(ps).lr(0.1).lrDecay(0.01).initialAccumulatorValue(0.1).build());
        List<Tensor> grads = gradients(5);
        for (Function<List<Tensor>, Optimizer> make : makers) {
            for (boolean viaTensors : new boolean[] {false, true}) {
                Kindling.manualSeed(7);
                Tensor init = Kindling.randn(5);

                Tensor straight = init.clone().requiresGrad_();
                Optimizer uninterrupted = make.apply(List.of(straight));
                run(uninterrupted, straight, grads, 0, 6);

                Tensor first = init.clone().requiresGrad_();
                Optimizer before = make.apply(List.of(first));
                run(before, first, grads, 0, 3);
                OptimizerStateDict sd = before.stateDict();
                Tensor at3 = first.detach().clone();
                if (viaTensors) sd = OptimizerStateDict.fromTensors(sd.toTensors());
                run(before, first, grads, 3, 6);  // training on does not change the snapshot

                Tensor resumed = at3.requiresGrad_();
                Optimizer restarted = make.apply(List.of(resumed));
                restarted.loadStateDict(sd);
                run(restarted, resumed, grads, 3, 6);

                String what = uninterrupted.getClass().getSimpleName() + (viaTensors ? " via tensors" : "");
                assertArrayEquals(straight.toFloatArray(), resumed.toFloatArray(), what + ": resumed run");
                assertArrayEquals(straight.toFloatArray(), first.toFloatArray(), what + ": original run");
            }
        }
    }

    @Test
    void loadStateDictRestoresOptionsAndCastsState() {
        Tensor w = param(1, 2);
        SGD sgd = SGD.builder(List.of(w)).lr(0.1).momentum(0.9).build();
        w.setGrad(Kindling.onesLike(w));
        sgd.step();
        sgd.paramGroups().get(0).set("initial_lr", 0.1).setLr(0.05);
        OptimizerStateDict sd = sgd.stateDict();
        assertEquals(Map.of(0, List.of("momentum_buffer")).keySet(), sd.state().keySet());
        assertEquals(List.of(0), sd.paramGroups().get(0).params());
        assertEquals(0.05, sd.paramGroups().get(0).options().get("lr"));

        Tensor w64 = Kindling.fromArray(new double[] {1, 2}, 2).requiresGrad_();
        SGD other = SGD.builder(List.of(w64)).lr(0.3).momentum(0.1).build();
        other.loadStateDict(sd);
        assertEquals(0.05, other.getLr(0));
        assertEquals(0.9, other.paramGroups().get(0).getDouble("momentum"));
        assertEquals(0.1, other.paramGroups().get(0).getDouble("initial_lr"));
        Tensor buf = (Tensor) other.state(w64).get("momentum_buffer");
        assertEquals(DType.FLOAT64, buf.dtype(), "floating state follows the parameter's dtype");
        assertFalse(buf.sharesStorageWith((Tensor) sd.state().get(0).get("momentum_buffer")));
    }

    @Test
    void loadStateDictChecksTheGroups() {
        List<Tensor> ps = params();
        Adam two = Adam.builder(List.of(new ParamGroup(List.of(ps.get(0))), new ParamGroup(List.of(ps.get(1))))).build();
        Adam one = new Adam(params());
        assertMessage("loaded state dict has a different number of parameter groups",
                () -> one.loadStateDict(two.stateDict()));
        Adam oneSmall = new Adam(List.of(param(1)));
        assertMessage("loaded state dict contains a parameter group that doesn't match the size of optimizer's group",
                () -> oneSmall.loadStateDict(one.stateDict()));
        OptimizerStateDict bad = new OptimizerStateDict(Map.of(), List.of(new OptimizerStateDict.Group(List.of(0, 1),
                Map.of("lr", -1.0))));
        assertMessage("Invalid learning rate: -1.0", () -> one.loadStateDict(bad));
        assertEquals(1e-3, one.getLr(0), "nothing changed");
    }

    @Test
    void stateDictFlattensToNamedTensors() {
        Tensor w = param(1, 2);
        Adam adam = Adam.builder(List.of(w)).amsgrad(true).build();
        w.setGrad(Kindling.onesLike(w));
        adam.step();
        Map<String, Tensor> flat = adam.stateDict().toTensors();
        assertEquals(List.of("state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq",
                "param_groups.0.params", "param_groups.0.lr", "param_groups.0.betas", "param_groups.0.eps",
                "param_groups.0.weight_decay", "param_groups.0.amsgrad", "param_groups.0.maximize"),
                new ArrayList<>(flat.keySet()));
        assertEquals(DType.INT64, flat.get("state.0.step").dtype());
        assertEquals(1L, flat.get("state.0.step").itemLong());
        assertEquals(DType.FLOAT64, flat.get("param_groups.0.lr").dtype());
        assertArrayEquals(new double[] {0.9, 0.999}, flat.get("param_groups.0.betas").toDoubleArray());
        assertEquals(DType.BOOL, flat.get("param_groups.0.amsgrad").dtype());
        OptimizerStateDict back = OptimizerStateDict.fromTensors(flat);
        assertEquals(1L, back.state().get(0).get("step"));
        assertEquals(List.of(0.9, 0.999), back.paramGroups().get(0).options().get("betas"));
        assertEquals(true, back.paramGroups().get(0).options().get("amsgrad"));
        assertMessage("not an optimizer state entry: 'weights'", () -> OptimizerStateDict.fromTensors(
                Map.of("weights", Kindling.ones(1))));
    }

    @Test
    void paramGroupNormalisesOptionValues() {
        ParamGroup g = new ParamGroup(List.of(param(1)), Map.of("lr", 1, "betas", new double[] {0.5, 0.6}, "name", "head"));
        assertEquals(1.0, g.get("lr"));
        assertEquals(List.of(0.5, 0.6), g.get("betas"));
        assertArrayEquals(new double[] {0.5, 0.6}, g.getDoubles("betas"));
        assertEquals("head", g.get("name"));
        assertMessage("param group has no option 'momentum'", () -> g.getDouble("momentum"));
        assertMessage("'params' is not an option: pass the tensors as the group's params",
                () -> new ParamGroup(List.of(param(1)), Map.of("params", 1)));
        Adam adam = Adam.builder(List.of(g)).build();
        assertEquals(1.0, adam.getLr(0), "the group's own lr wins over the default");
        assertEquals("head", adam.paramGroups().get(0).get("name"), "extra keys are kept");
        assertMessage("this ParamGroup already belongs to another optimizer", () -> new Adam(List.of(param(2)))
                .addParamGroup(g));
    }
}
