package org.kindling.plugin.hub.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.kindling.Kindling;
import org.kindling.io.Safetensors;
import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.optim.Adam;
import org.kindling.optim.Optimizer;
import org.kindling.plugin.ModelInfo;
import org.kindling.plugin.NewModel;
import org.kindling.plugin.Workload;
import org.kindling.plugin.WorkloadContext;
import org.kindling.plugin.WorkloadProperties;
import org.kindling.plugin.WorkloadResult;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;
import org.osgi.service.component.annotations.Component;

/**
 * The built-in demo: trains a small MLP with core's nn and optim on generated spiral data, checks it on held-out
 * points, stores it in the model store, and predicts with the stored copy to prove the round trip.
 */
@Component
@WorkloadProperties(id = "demo.mlp", title = "Train a small MLP on generated spiral data",
        description = "Three interleaved spiral arms in 2-D, one class per arm; a 2-h-h-3 MLP trained with Adam. "
                + "Stores the model as safetensors and predicts with it.",
        tags = {"demo", "train"},
        options = {"epochs:int=300 Full-batch training steps",
                   "hidden:int=32 Width of the two hidden layers",
                   "lr:double=0.02 Adam learning rate",
                   "points:int=200 Training points per class",
                   "model:string=demo-mlp Name to store the model under"})
public class DemoMlpWorkload implements Workload {

    static final String ID = "demo.mlp";

    @Override
    public WorkloadResult run(WorkloadContext context) throws Exception {
        int epochs = context.intOption("epochs");
        int hidden = context.intOption("hidden");
        double lr = context.doubleOption("lr");
        int points = context.intOption("points");
        if (epochs < 1 || hidden < 1 || points < 1 || !(lr > 0)) {
            throw new IllegalArgumentException("epochs, hidden and points must be >= 1 and lr > 0, got epochs="
                    + epochs + " hidden=" + hidden + " points=" + points + " lr=" + lr);
        }
        SplittableRandom random = new SplittableRandom(context.seed());
        DemoMlp.Points train = DemoMlp.spiral(points, random);
        DemoMlp.Points test = DemoMlp.spiral(Math.max(20, points / 4), random);
        Kindling.manualSeed(context.seed());
        Module model = DemoMlp.build(hidden);
        Optimizer optimizer = new Adam(model.parameters(), lr);
        double loss = Double.NaN;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            context.checkCancelled();
            optimizer.zeroGrad();
            Tensor l = F.crossEntropy(model.forward(train.x()), train.y());
            l.backward();
            optimizer.step();
            loss = l.item();
            if (epoch % 10 == 0 || epoch == epochs) {
                context.metric("loss", loss);
                context.progress((double) epoch / epochs, String.format("epoch %d/%d loss %.4f", epoch, epochs, loss));
            }
        }
        model.eval();
        double trainAccuracy = accuracy(model, train);
        double testAccuracy = accuracy(model, test);
        context.metric("train_accuracy", trainAccuracy);
        context.metric("test_accuracy", testAccuracy);

        Path file = context.outputDir().resolve("model.safetensors");
        Safetensors.save(model.stateDict(), file);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", loss);
        metrics.put("train_accuracy", trainAccuracy);
        metrics.put("test_accuracy", testAccuracy);
        ModelInfo stored = context.models().put(new NewModel(context.stringOption("model"), "safetensors", file, ID,
                metrics, Map.of("architecture", "mlp", "hidden", Integer.toString(hidden),
                        "inputs", Integer.toString(DemoMlp.INPUTS), "classes", Integer.toString(DemoMlp.CLASSES))));

        // Predict with the stored copy, as a client would, and check it agrees with the trained model.
        Module reloaded = DemoMlpPredictor.load(stored, context.models().file(stored));
        double agreement = agreement(model, reloaded, test);
        metrics.put("reload_agreement", agreement);
        context.metric("reload_agreement", agreement);
        context.log("stored " + stored.reference() + " sha256 " + stored.sha256());
        return new WorkloadResult(org.kindling.plugin.RunStatus.SUCCEEDED, String.format(
                "stored model %s (test accuracy %.3f, reloaded copy agrees on %.0f%% of test points)",
                stored.reference(), testAccuracy, 100 * agreement), metrics, List.of(file));
    }

    static double accuracy(Module model, DemoMlp.Points points) {
        try (var g = GradMode.noGrad()) {
            Tensor predicted = model.forward(points.x()).argmax(1);
            return predicted.eq(points.y()).to(org.kindling.tensor.DType.FLOAT32).mean().item();
        }
    }

    private static double agreement(Module a, Module b, DemoMlp.Points points) {
        try (var g = GradMode.noGrad()) {
            return a.forward(points.x()).argmax(1).eq(b.forward(points.x()).argmax(1))
                    .to(org.kindling.tensor.DType.FLOAT32).mean().item();
        }
    }
}
