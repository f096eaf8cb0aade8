package org.kindling.optim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.kindling.tensor.Tensor;

/**
 * Every optimizer configuration of optim_optimizers.txt (written by
 * tools/reference/optim_reference.py with PyTorch 1.13) replayed step by step: the same gradients
 * set with setGrad, the parameters compared after every step within 1e-5 (float32).
 */
class OptimizerReferenceTest {
    static final double TOL = 1e-5;

    /** One block of the fixture. */
    record Case(String name, String optimizer, Map<String, String> defaults, List<int[]> groupParams,
                List<Map<String, String>> groupOptions, Map<Integer, Tensor> init, List<Map<Integer, Tensor>> grads,
                List<Map<Integer, Tensor>> params) {}

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        Case c = null;
        for (String[] f : OptimFixtures.records("optim_optimizers.txt")) {
            switch (f[0]) {
                case "case" -> c = new Case(f[1], f[2], OptimFixtures.options(f[3]), new ArrayList<>(), new ArrayList<>(),
                        new HashMap<>(), new ArrayList<>(), new ArrayList<>());
                case "group" -> {
                    c.groupParams().add(java.util.Arrays.stream(f[1].split(",")).mapToInt(Integer::parseInt).toArray());
                    c.groupOptions().add(OptimFixtures.options(f[2]));
                }
                case "init" -> c.init().put(Integer.parseInt(f[1]), OptimFixtures.tensor(f[2]));
                case "step" -> {
                    c.grads().add(new HashMap<>());
                    c.params().add(new HashMap<>());
                }
                case "grad" -> c.grads().get(c.grads().size() - 1).put(Integer.parseInt(f[1]),
                        f[2].equals("none") ? null : OptimFixtures.tensor(f[2]));
                case "param" -> c.params().get(c.params().size() - 1).put(Integer.parseInt(f[1]), OptimFixtures.tensor(f[2]));
                case "end" -> out.add(c);
                default -> throw new IllegalStateException("unexpected line " + f[0]);
            }
        }
        return out;
    }

    /** Builds the optimizer of a case through the public builders. */
    static Optimizer build(String kind, Map<String, String> defaults, List<ParamGroup> groups) {
        switch (kind) {
            case "SGD" -> {
                SGD.Builder b = SGD.builder(groups);
                defaults.forEach((k, v) -> {
                    switch (k) {
                        case "lr" -> b.lr(Double.parseDouble(v));
                        case "momentum" -> b.momentum(Double.parseDouble(v));
                        case "dampening" -> b.dampening(Double.parseDouble(v));
                        case "weight_decay" -> b.weightDecay(Double.parseDouble(v));
                        case "nesterov" -> b.nesterov(Boolean.parseBoolean(v));
                        case "maximize" -> b.maximize(Boolean.parseBoolean(v));
                        default -> throw new IllegalArgumentException(k);
                    }
                });
                return b.build();
            }
            case "Adam", "AdamW" -> {
                boolean w = kind.equals("AdamW");
                Adam.Builder a = w ? null : Adam.builder(groups);
                AdamW.Builder aw = w ? AdamW.builder(groups) : null;
                defaults.forEach((k, v) -> {
                    switch (k) {
                        case "lr" -> { if (w) aw.lr(Double.parseDouble(v)); else a.lr(Double.parseDouble(v)); }
                        case "betas" -> {
                            double[] bs = OptimFixtures.numbers(v);
                            if (w) aw.betas(bs[0], bs[1]); else a.betas(bs[0], bs[1]);
                        }
                        case "eps" -> { if (w) aw.eps(Double.parseDouble(v)); else a.eps(Double.parseDouble(v)); }
                        case "weight_decay" -> {
                            if (w) aw.weightDecay(Double.parseDouble(v)); else a.weightDecay(Double.parseDouble(v));
                        }
                        case "amsgrad" -> {
                            if (w) aw.amsgrad(Boolean.parseBoolean(v)); else a.amsgrad(Boolean.parseBoolean(v));
                        }
                        case "maximize" -> {
                            if (w) aw.maximize(Boolean.parseBoolean(v)); else a.maximize(Boolean.parseBoolean(v));
                        }
                        default -> throw new IllegalArgumentException(k);
                    }
                });
                return w ? aw.build() : a.build();
            }
            case "RMSprop" -> {
                RMSprop.Builder b = RMSprop.builder(groups);
                defaults.forEach((k, v) -> {
                    switch (k) {
                        case "lr" -> b.lr(Double.parseDouble(v));
                        case "alpha" -> b.alpha(Double.parseDouble(v));
                        case "eps" -> b.eps(Double.parseDouble(v));
                        case "weight_decay" -> b.weightDecay(Double.parseDouble(v));
                        case "momentum" -> b.momentum(Double.parseDouble(v));
                        case "centered" -> b.centered(Boolean.parseBoolean(v));
                        default -> throw new IllegalArgumentException(k);
                    }
                });
                return b.build();
            }
            case "Adagrad" -> {
                Adagrad.Builder b = Adagrad.builder(groups);
                defaults.forEach((k, v) -> {
                    switch (k) {
                        case "lr" -> b.lr(Double.parseDouble(v));
                        case "lr_decay" -> b.lrDecay(Double.parseDouble(v));
                        case "weight_decay" -> b.weightDecay(Double.parseDouble(v));
                        case "initial_accumulator_value" -> b.initialAccumulatorValue(Double.parseDouble(v));
                        case "eps" -> b.eps(Double.parseDouble(v));
                        default -> throw new IllegalArgumentException(k);
                    }
                });
                return b.build();
            }
            default -> throw new IllegalArgumentException(kind);
        }
    }

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 20, "fixture has " + cases.size() + " cases");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> replay(c)));
    }

    private static void replay(Case c) {
        Map<Integer, Tensor> params = new HashMap<>();
        c.init().forEach((i, t) -> params.put(i, t.clone().requiresGrad_()));
        List<ParamGroup> groups = new ArrayList<>();
        for (int g = 0; g < c.groupParams().size(); g++) {
            List<Tensor> ps = new ArrayList<>();
            for (int i : c.groupParams().get(g)) ps.add(params.get(i));
            Map<String, Object> over = new LinkedHashMap<>();
            c.groupOptions().get(g).forEach((k, v) -> over.put(k, OptimFixtures.optionValue(v)));
            groups.add(new ParamGroup(ps, over));
        }
        Optimizer opt = build(c.optimizer(), c.defaults(), groups);
        for (int s = 0; s < c.grads().size(); s++) {
            for (Map.Entry<Integer, Tensor> g : c.grads().get(s).entrySet()) {
                params.get(g.getKey()).setGrad(g.getValue() == null ? null : g.getValue().clone());
            }
            opt.step();
            for (Map.Entry<Integer, Tensor> e : c.params().get(s).entrySet()) {
                Tensor p = params.get(e.getKey());
                OptimFixtures.assertClose(e.getValue(), p, TOL, TOL, c.name() + " step " + (s + 1) + " param " + e.getKey());
                assertTrue(p.isLeaf() && p.requiresGrad(), "the parameter stays a leaf that requires grad");
            }
            // a parameter whose gradient has always been None has no state
            for (Map.Entry<Integer, Tensor> e : params.entrySet()) {
                final int idx = e.getKey();
                boolean hadGrad = c.grads().subList(0, s + 1).stream().anyMatch(m -> m.get(idx) != null);
                if (!hadGrad) assertFalse(opt.hasState(e.getValue()), c.name() + ": state before any gradient");
            }
        }
    }
}
