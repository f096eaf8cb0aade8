package org.kindling.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kindling.nn.NnRef.assertClose;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kindling.nn.loss.BCELoss;
import org.kindling.nn.loss.BCEWithLogitsLoss;
import org.kindling.nn.loss.CrossEntropyLoss;
import org.kindling.nn.loss.HuberLoss;
import org.kindling.nn.loss.KLDivLoss;
import org.kindling.nn.loss.L1Loss;
import org.kindling.nn.loss.Loss;
import org.kindling.nn.loss.MSELoss;
import org.kindling.nn.loss.NLLLoss;
import org.kindling.nn.loss.SmoothL1Loss;
import org.kindling.tensor.Tensor;

/** Every loss against PyTorch 1.13: value and gradient of the input. */
class LossReferenceTest {

    /** The Kindling loss module for a fixture name, given the fixture (for weight arguments). */
    static Loss build(NnRef.Case c) {
        Function<String, Tensor> arg = k -> c.t().get("arg." + k);
        Tensor w = arg.apply("weight");
        Reduction none = Reduction.NONE;
        Reduction sum = Reduction.SUM;
        Reduction mean = Reduction.MEAN;
        return switch (c.name()) {
            case "mse" -> new MSELoss();
            case "mse_sum" -> new MSELoss(sum);
            case "mse_none" -> new MSELoss(none);
            case "l1" -> new L1Loss();
            case "l1_none" -> new L1Loss(none);
            case "smooth_l1" -> new SmoothL1Loss();
            case "smooth_l1_beta" -> new SmoothL1Loss(sum, 0.5);
            case "huber" -> new HuberLoss();
            case "huber_delta" -> new HuberLoss(none, 0.7);
            case "ce", "ce_ignore", "ce_4d", "ce_1d", "ce_prob" -> new CrossEntropyLoss();
            case "ce_sum" -> new CrossEntropyLoss(null, -100, sum, 0);
            case "ce_none", "ce_4d_none", "ce_prob_none" -> new CrossEntropyLoss(null, -100, none, 0);
            case "ce_weight" -> new CrossEntropyLoss(w, -100, mean, 0);
            case "ce_weight_ignore_none" -> new CrossEntropyLoss(w, -100, none, 0);
            case "ce_ignore_custom" -> new CrossEntropyLoss(null, 2, mean, 0);
            case "ce_smooth" -> new CrossEntropyLoss(null, -100, mean, 0.1);
            case "ce_smooth_ignore" -> new CrossEntropyLoss(null, -100, mean, 0.2);
            case "ce_smooth_weight_ignore" -> new CrossEntropyLoss(w, -100, mean, 0.2);
            case "ce_smooth_weight_sum" -> new CrossEntropyLoss(w, -100, sum, 0.3);
            case "ce_smooth_none" -> new CrossEntropyLoss(null, -100, none, 0.3);
            case "ce_prob_smooth_weight" -> new CrossEntropyLoss(w, -100, mean, 0.1);
            case "nll" -> new NLLLoss();
            case "nll_weight_ignore" -> new NLLLoss(w, -100, mean);
            case "nll_none" -> new NLLLoss(null, -100, none);
            case "bce", "bce_soft_target" -> new BCELoss();
            case "bce_weight_sum" -> new BCELoss(w, sum);
            case "bce_logits" -> new BCEWithLogitsLoss();
            case "bce_logits_pos_weight" -> new BCEWithLogitsLoss(w, mean, arg.apply("pos_weight"));
            case "bce_logits_none" -> new BCEWithLogitsLoss(null, none, null);
            case "kl" -> new KLDivLoss();
            case "kl_batchmean" -> new KLDivLoss(Reduction.BATCHMEAN, false);
            case "kl_sum" -> new KLDivLoss(sum, false);
            case "kl_log_target" -> new KLDivLoss(Reduction.BATCHMEAN, true);
            case "kl_none" -> new KLDivLoss(none, false);
            default -> throw new IllegalArgumentException("no loss for fixture " + c.name());
        };
    }

    static List<NnRef.Case> cases() {
        return NnRef.cases("nn_losses.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(NnRef.Case c) {
        Loss loss = build(c);
        Tensor in = c.get("in").clone().requiresGrad_();
        Tensor out = loss.forward(in, c.get("target"));
        assertClose(c.get("out"), out, c.name() + " value");
        if (c.t().containsKey("gout")) out.backward(c.get("gout"));
        else out.backward();
        assertClose(c.get("grad.in"), in.grad(), c.name() + " grad of input");
    }

    @Test
    void clampedLogsKeepBceFinite() {
        Tensor p = org.kindling.Kindling.tensor(new double[] {0.0, 1.0, 0.5});
        Tensor t = org.kindling.Kindling.tensor(new double[] {1.0, 0.0, 1.0});
        double v = F.binaryCrossEntropy(p, t, null, Reduction.SUM).item();
        assertTrue(Math.abs(v - (200 + Math.log(2))) < 1e-4, "got " + v);
    }
}
