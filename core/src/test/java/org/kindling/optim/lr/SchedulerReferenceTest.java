package org.kindling.optim.lr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.kindling.Kindling;
import org.kindling.optim.Adam;
import org.kindling.optim.OptimFixtures;
import org.kindling.optim.Optimizer;
import org.kindling.optim.ParamGroup;
import org.kindling.optim.SGD;

/**
 * Every scheduler configuration of optim_schedulers.txt (PyTorch 1.13): the lr of each of two
 * groups (and OneCycleLR's momentum) after construction and after each of 30 steps.
 */
class SchedulerReferenceTest {
    static final double RTOL = 1e-10;

    record Case(String name, String scheduler, String options, String optimizer, Map<String, String> defaults,
                double[] groupLrs, double[][] metrics, List<double[]> lrs, List<double[]> momenta) {}

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        Case c = null;
        for (String[] f : OptimFixtures.records("optim_schedulers.txt")) {
            switch (f[0]) {
                case "case" -> c = new Case(f[1], f[2], f[3], f[4], OptimFixtures.options(f[5]),
                        OptimFixtures.numbers(f[6]), new double[1][], new ArrayList<>(), new ArrayList<>());
                case "metric" -> c.metrics()[0] = OptimFixtures.numbers(f[1]);
                case "lr" -> c.lrs().add(OptimFixtures.numbers(f[2]));
                case "momentum" -> c.momenta().add(OptimFixtures.numbers(f[2]));
                case "end" -> out.add(c);
                default -> throw new IllegalStateException("unexpected line " + f[0]);
            }
        }
        return out;
    }

    static Optimizer optimizer(Case c) {
        List<ParamGroup> groups = new ArrayList<>();
        for (double lr : c.groupLrs()) {
            groups.add(new ParamGroup(List.of(Kindling.zeros(2).requiresGrad_()), Map.of("lr", lr)));
        }
        Map<String, String> d = c.defaults();
        if (c.optimizer().equals("SGD")) {
            return SGD.builder(groups).lr(Double.parseDouble(d.get("lr"))).momentum(Double.parseDouble(d.get("momentum")))
                    .build();
        }
        double[] betas = OptimFixtures.numbers(d.get("betas"));
        return Adam.builder(groups).lr(Double.parseDouble(d.get("lr"))).betas(betas[0], betas[1]).build();
    }

    static final Map<String, IntToDoubleFunction> LAMBDAS = Map.of(
            "pow095", e -> Math.pow(0.95, e),
            "inverse", e -> 1.0 / (1 + e),
            "warmup5", e -> Math.min(1.0, (e + 1) / 5.0));

    static int[] ints(String csv) {
        return java.util.Arrays.stream(OptimFixtures.numbers(csv)).mapToInt(x -> (int) x).toArray();
    }

    /** Builds a scheduler from its fixture options (PyTorch's argument names). */
    static LRScheduler scheduler(Optimizer opt, String kind, Map<String, String> o) {
        return switch (kind) {
            case "StepLR" -> new StepLR(opt, (int) OptimFixtures.number(o.get("step_size")),
                    OptimFixtures.number(o.getOrDefault("gamma", "0.1")));
            case "MultiStepLR" -> new MultiStepLR(opt, ints(o.get("milestones")),
                    OptimFixtures.number(o.getOrDefault("gamma", "0.1")));
            case "ExponentialLR" -> new ExponentialLR(opt, OptimFixtures.number(o.get("gamma")));
            case "CosineAnnealingLR" -> new CosineAnnealingLR(opt, (int) OptimFixtures.number(o.get("T_max")),
                    OptimFixtures.number(o.getOrDefault("eta_min", "0")));
            case "LinearLR" -> new LinearLR(opt, OptimFixtures.number(o.getOrDefault("start_factor", "0.3333333333333333")),
                    OptimFixtures.number(o.getOrDefault("end_factor", "1.0")),
                    (int) OptimFixtures.number(o.getOrDefault("total_iters", "5")));
            case "LambdaLR" -> {
                List<IntToDoubleFunction> fs = new ArrayList<>();
                for (String n : o.get("lr_lambda").split(",")) fs.add(LAMBDAS.get(n));
                yield new LambdaLR(opt, fs);
            }
            case "OneCycleLR" -> {
                OneCycleLR.Builder b = OneCycleLR.builder(opt, OptimFixtures.numbers(o.get("max_lr")));
                o.forEach((k, v) -> {
                    switch (k) {
                        case "max_lr" -> { }
                        case "total_steps" -> b.totalSteps((int) OptimFixtures.number(v));
                        case "pct_start" -> b.pctStart(OptimFixtures.number(v));
                        case "anneal_strategy" -> b.annealStrategy(OneCycleLR.AnnealStrategy.valueOf(v.toUpperCase()));
                        case "three_phase" -> b.threePhase(Boolean.parseBoolean(v));
                        case "cycle_momentum" -> b.cycleMomentum(Boolean.parseBoolean(v));
                        case "div_factor" -> b.divFactor(OptimFixtures.number(v));
                        case "final_div_factor" -> b.finalDivFactor(OptimFixtures.number(v));
                        case "base_momentum" -> b.baseMomentum(OptimFixtures.numbers(v));
                        case "max_momentum" -> b.maxMomentum(OptimFixtures.numbers(v));
                        default -> throw new IllegalArgumentException(k);
                    }
                });
                yield b.build();
            }
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** "Name(k=v,k=v)+Name(...)" as written for SequentialLR; a value may itself hold commas. */
    static LRScheduler sequential(Optimizer opt, Map<String, String> o) {
        List<LRScheduler> inner = new ArrayList<>();
        for (String part : o.get("schedulers").split("\\+")) {
            String kind = part.substring(0, part.indexOf('('));
            Map<String, String> kw = new LinkedHashMap<>();
            String last = null;
            for (String kv : part.substring(part.indexOf('(') + 1, part.length() - 1).split(",")) {
                int eq = kv.indexOf('=');
                if (eq < 0) {
                    kw.put(last, kw.get(last) + "," + kv);
                } else {
                    last = kv.substring(0, eq);
                    kw.put(last, kv.substring(eq + 1));
                }
            }
            inner.add(scheduler(opt, kind, kw));
        }
        return new SequentialLR(opt, inner, ints(o.get("milestones")));
    }

    static ReduceLROnPlateau plateau(Optimizer opt, Map<String, String> o) {
        ReduceLROnPlateau.Builder b = ReduceLROnPlateau.builder(opt);
        o.forEach((k, v) -> {
            switch (k) {
                case "mode" -> b.mode(ReduceLROnPlateau.Mode.valueOf(v.toUpperCase()));
                case "factor" -> b.factor(OptimFixtures.number(v));
                case "patience" -> b.patience((int) OptimFixtures.number(v));
                case "threshold" -> b.threshold(OptimFixtures.number(v));
                case "threshold_mode" -> b.thresholdMode(ReduceLROnPlateau.ThresholdMode.valueOf(v.toUpperCase()));
                case "cooldown" -> b.cooldown((int) OptimFixtures.number(v));
                case "min_lr" -> b.minLr(OptimFixtures.numbers(v));
                default -> throw new IllegalArgumentException(k);
            }
        });
        return b.build();
    }

    static double[] lrs(Optimizer opt) {
        return opt.paramGroups().stream().mapToDouble(ParamGroup::lr).toArray();
    }

    static double[] momenta(Optimizer opt) {
        return opt.paramGroups().stream()
                .mapToDouble(g -> g.has("betas") ? g.getDoubles("betas")[0] : g.getDouble("momentum")).toArray();
    }

    static double[] list(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 16, "fixture has " + cases.size() + " cases");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> replay(c)));
    }

    private static void replay(Case c) {
        Optimizer opt = optimizer(c);
        Map<String, String> o = OptimFixtures.options(c.options());
        if (c.scheduler().equals("ReduceLROnPlateau")) {
            ReduceLROnPlateau s = plateau(opt, o);
            OptimFixtures.assertClose(c.lrs().get(0), lrs(opt), RTOL, 0, c.name() + " initial");
            double[] metrics = c.metrics()[0];
            for (int t = 1; t < c.lrs().size(); t++) {
                opt.step();
                s.step(metrics[t - 1]);
                OptimFixtures.assertClose(c.lrs().get(t), lrs(opt), RTOL, 0, c.name() + " step " + t);
                OptimFixtures.assertClose(c.lrs().get(t), list(s.getLastLr()), RTOL, 0, c.name() + " getLastLr " + t);
            }
            return;
        }
        LRScheduler s = c.scheduler().equals("SequentialLR") ? sequential(opt, o) : scheduler(opt, c.scheduler(), o);
        for (int t = 0; t < c.lrs().size(); t++) {
            if (t > 0) {
                opt.step();
                s.step();
            }
            OptimFixtures.assertClose(c.lrs().get(t), lrs(opt), RTOL, 0, c.name() + " lr at step " + t);
            OptimFixtures.assertClose(c.lrs().get(t), list(s.getLastLr()), RTOL, 0, c.name() + " getLastLr at " + t);
            if (!c.momenta().isEmpty()) {
                OptimFixtures.assertClose(c.momenta().get(t), momenta(opt), RTOL, 1e-15, c.name() + " momentum at " + t);
            }
        }
        assertEquals(c.lrs().size() - 1, s.lastEpoch());
    }
}
