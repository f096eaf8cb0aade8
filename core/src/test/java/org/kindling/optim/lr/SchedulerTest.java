package org.kindling.optim.lr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.kindling.Kindling;
import org.kindling.optim.Adagrad;
import org.kindling.optim.Adam;
import org.kindling.optim.Optimizer;
import org.kindling.optim.OptimizerStateDict;
import org.kindling.optim.ParamGroup;
import org.kindling.optim.SGD;

class SchedulerTest {
    private static SGD sgd(double... lrs) {
        List<ParamGroup> groups = new ArrayList<>();
        for (double lr : lrs) groups.add(new ParamGroup(List.of(Kindling.zeros(2).requiresGrad_()), Map.of("lr", lr)));
        return SGD.builder(groups).lr(0.1).momentum(0.9).build();
    }

    private static void assertMessage(String expected, Executable e) {
        Throwable ex = assertThrows(RuntimeException.class, e);
        assertEquals(expected, ex.getMessage());
    }

    @Test
    void constructionStoresInitialLrAndTakesTheFirstStep() {
        SGD opt = sgd(0.1, 0.02);
        LinearLR warmup = new LinearLR(opt, 0.5, 1.0, 2);
        assertEquals(List.of(0.1, 0.02), warmup.baseLrs());
        assertEquals(0.1, opt.paramGroups().get(0).getDouble("initial_lr"));
        assertEquals(0, warmup.lastEpoch());
        assertEquals(List.of(0.05, 0.01), warmup.getLastLr());
        warmup.step();
        warmup.step();
        assertArrayEquals(new double[] {0.1, 0.02},
                warmup.getLastLr().stream().mapToDouble(Double::doubleValue).toArray(), 1e-15);
        // a second scheduler keeps the initial lr the first one recorded
        StepLR step = new StepLR(opt, 1, 0.5);
        assertEquals(List.of(0.1, 0.02), step.baseLrs());
    }

    @Test
    void settingsAreValidated() {
        SGD opt = sgd(0.1);
        assertMessage("step_size must be positive, got 0", () -> new StepLR(opt, 0));
        assertMessage("T_max must be positive, got 0", () -> new CosineAnnealingLR(opt, 0));
        assertMessage("Starting multiplicative factor expected to be greater than 0 and less or equal to 1, got 0.0",
                () -> new LinearLR(opt, 0, 1, 5));
        assertMessage("Ending multiplicative factor expected to be between 0 and 1, got 1.5",
                () -> new LinearLR(opt, 0.5, 1.5, 5));
        assertMessage("Expected 1 lr_lambdas, but got 2", () -> new LambdaLR(opt, List.of(e -> 1.0, e -> 2.0)));
        assertMessage("You must define either total_steps OR (epochs AND steps_per_epoch)",
                () -> OneCycleLR.builder(opt, 0.1).epochs(3).build());
        assertMessage("Expected positive integer total_steps, but got 0", () -> new OneCycleLR(opt, 0.1, 0));
        assertMessage("Expected float between 0 and 1 pct_start, but got 1.5",
                () -> OneCycleLR.builder(opt, 0.1).totalSteps(10).pctStart(1.5).build());
        assertMessage("expected 1 values for max_lr, got 2", () -> OneCycleLR.builder(opt, 0.1, 0.2).totalSteps(10).build());
        Adagrad adagrad = new Adagrad(List.of(Kindling.zeros(1).requiresGrad_()));
        assertMessage("optimizer must support momentum with `cycle_momentum` option enabled",
                () -> new OneCycleLR(adagrad, 0.1, 10));
        assertFalse(adagrad.paramGroups().get(0).has("max_lr"), "a rejected OneCycleLR leaves the groups alone");
        assertMessage("Factor should be < 1.0.", () -> ReduceLROnPlateau.builder(opt).factor(1.0).build());
        assertMessage("expected 1 min_lrs, got 2", () -> ReduceLROnPlateau.builder(opt).minLr(0.1, 0.2).build());
        LRScheduler a = new StepLR(opt, 2);
        assertMessage("Sequential Schedulers expects number of schedulers provided to be one more than the number of "
                + "milestone points, but got number of schedulers 1 and the number of milestones to be equal to 1",
                () -> new SequentialLR(opt, List.of(a), 3));
        SGD other = sgd(0.1);
        LRScheduler b = new StepLR(other, 2);
        assertMessage("Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers "
                + "at index 1 to be different than the optimizer passed in.", () -> new SequentialLR(opt, List.of(a, b), 3));
    }

    @Test
    void oneCycleStopsAfterTotalSteps() {
        SGD opt = sgd(0.1);
        OneCycleLR s = new OneCycleLR(opt, 1.0, 10);
        assertEquals(0.04, opt.getLr(0), 1e-15);
        assertEquals(0.95, opt.paramGroups().get(0).getDouble("momentum"));
        for (int i = 0; i < 10; i++) s.step();
        assertMessage("Tried to step 12 times. The specified number of total steps is 10", s::step);
        Adam adam = new Adam(List.of(Kindling.zeros(1).requiresGrad_()));
        OneCycleLR.builder(adam, 0.01).epochs(2).stepsPerEpoch(5).build();
        assertArrayEquals(new double[] {0.95, 0.999}, adam.paramGroups().get(0).getDoubles("betas"),
                "beta1 cycles, beta2 stays");
    }

    @Test
    void aSubclassMustCallInitialStep() {
        SGD opt = sgd(0.1);
        LRScheduler forgetful = new LRScheduler(opt) {
            @Override
            protected double[] computeLr() {
                return new double[] {1};
            }
        };
        assertThrows(IllegalStateException.class, forgetful::step);
        LRScheduler constant = new LRScheduler(opt) {
            {
                initialStep();
            }

            @Override
            protected double[] computeLr() {
                double[] lr = new double[numGroups()];
                for (int i = 0; i < lr.length; i++) lr[i] = baseLr(i) / (lastEpoch() + 1);
                return lr;
            }
        };
        constant.step();
        assertEquals(List.of(0.05), constant.getLastLr());
    }

    @Test
    void reduceLrOnPlateauWaitsForPatience() {
        SGD opt = sgd(1.0);
        ReduceLROnPlateau s = ReduceLROnPlateau.builder(opt).patience(1).factor(0.5).build();
        s.step(1.0);
        s.step(1.0);
        assertEquals(1.0, opt.getLr(0), "one bad epoch is tolerated");
        s.step(1.0);
        assertEquals(0.5, opt.getLr(0));
        assertEquals(1.0, s.best());
        assertEquals(0, s.numBadEpochs());
    }

    /** Steps, interrupts at step 7 with a checkpoint of optimizer and scheduler, resumes, and compares. */
    private static void assertResumesExactly(String what, Function<Optimizer, LRScheduler> make) {
        List<double[]> straight = new ArrayList<>();
        SGD a = sgd(0.1, 0.02);
        LRScheduler sa = make.apply(a);
        for (int i = 0; i < 20; i++) {
            a.step();
            sa.step();
            straight.add(new double[] {a.getLr(0), a.getLr(1), a.paramGroups().get(0).getDouble("momentum")});
        }

        SGD b = sgd(0.1, 0.02);
        LRScheduler sb = make.apply(b);
        for (int i = 0; i < 7; i++) {
            b.step();
            sb.step();
        }
        OptimizerStateDict optState = OptimizerStateDict.fromTensors(b.stateDict().toTensors());
        Map<String, Object> schedState = sb.stateDict();

        SGD c = sgd(0.3, 0.3);  // built the same way; the learning rates come from the checkpoint
        LRScheduler sc = make.apply(c);
        c.loadStateDict(optState);
        sc.loadStateDict(schedState);
        assertEquals(sb.getLastLr(), sc.getLastLr(), what);
        for (int i = 7; i < 20; i++) {
            c.step();
            sc.step();
            assertArrayEquals(straight.get(i),
                    new double[] {c.getLr(0), c.getLr(1), c.paramGroups().get(0).getDouble("momentum")}, what + " step " + i);
        }
        assertEquals(sa.lastEpoch(), sc.lastEpoch());
    }

    @Test
    void stateDictRoundTripResumesTheSchedule() {
        assertResumesExactly("StepLR", o -> new StepLR(o, 3, 0.5));
        assertResumesExactly("MultiStepLR", o -> new MultiStepLR(o, new int[] {4, 9, 9}, 0.5));
        assertResumesExactly("ExponentialLR", o -> new ExponentialLR(o, 0.9));
        assertResumesExactly("CosineAnnealingLR", o -> new CosineAnnealingLR(o, 6, 0.001));
        assertResumesExactly("LinearLR", o -> new LinearLR(o, 0.2, 1.0, 10));
        assertResumesExactly("LambdaLR", o -> new LambdaLR(o, e -> 1.0 / (1 + e)));
        assertResumesExactly("OneCycleLR", o -> OneCycleLR.builder(o, 1.0, 0.5).totalSteps(25).threePhase(true).build());
        assertResumesExactly("SequentialLR", o -> new SequentialLR(o,
                List.of(new LinearLR(o, 0.1, 1.0, 5), new CosineAnnealingLR(o, 10)), 5));
    }

    @Test
    void reduceLrOnPlateauStateDictRoundTrip() {
        double[] metrics = {1, 0.9, 0.95, 0.96, 0.97, 0.98, 0.85, 0.9, 0.91, 0.92, 0.93, 0.94};
        SGD a = sgd(0.1, 0.02);
        ReduceLROnPlateau sa = ReduceLROnPlateau.builder(a).patience(1).cooldown(1).factor(0.5).build();
        for (double m : metrics) sa.step(m);

        SGD b = sgd(0.1, 0.02);
        ReduceLROnPlateau sb = ReduceLROnPlateau.builder(b).patience(1).cooldown(1).factor(0.5).build();
        for (int i = 0; i < 5; i++) sb.step(metrics[i]);
        SGD c = sgd(0.1, 0.02);
        ReduceLROnPlateau sc = ReduceLROnPlateau.builder(c).patience(1).cooldown(1).factor(0.5).build();
        c.loadStateDict(b.stateDict());
        sc.loadStateDict(sb.stateDict());
        for (int i = 5; i < metrics.length; i++) sc.step(metrics[i]);
        assertEquals(sa.getLastLr(), sc.getLastLr());
        assertEquals(sa.best(), sc.best());
        assertEquals(sa.lastEpoch(), sc.lastEpoch());
    }
}
