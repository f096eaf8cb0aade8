package org.kindling.vision.internal;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.kindling.data.Batch;
import org.kindling.data.DataLoader;
import org.kindling.data.Dataset;
import org.kindling.data.Example;
import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;
import org.kindling.vision.ClassificationMetrics;

/** A model's mean loss and predictions over a data set, in eval mode without gradients. */
record Evaluation(double loss, long[] predicted, long[] actual, ClassificationMetrics metrics) {

    static Evaluation run(Module model, Dataset<Example> data, List<String> classes, int batchSize,
            BooleanSupplier cancelled) {
        boolean wasTraining = model.isTraining();
        model.eval();
        try {
            return run((UnaryOperator<Tensor>) model::forward, data, classes, batchSize, cancelled);
        } finally {
            model.train(wasTraining);
        }
    }

    /** Evaluates any batch-of-images-to-logits function, such as an imported ONNX model. */
    static Evaluation run(UnaryOperator<Tensor> forward, Dataset<Example> data, List<String> classes, int batchSize,
            BooleanSupplier cancelled) {
        long[] predicted = new long[data.size()];
        long[] actual = new long[data.size()];
        double lossSum = 0;
        int seen = 0;
        try (var g = GradMode.noGrad();
             DataLoader<Example, Batch> loader = DataLoader.builder(data).batchSize(batchSize).build()) {
            for (Batch b : loader) {
                if (cancelled.getAsBoolean()) {
                    throw new java.util.concurrent.CancellationException("evaluation cancelled");
                }
                Tensor logits = forward.apply(b.x());
                int n = b.batchSize();
                lossSum += F.crossEntropy(logits, b.y()).item() * n;
                System.arraycopy(logits.argmax(1).toLongArray(), 0, predicted, seen, n);
                System.arraycopy(b.y().toLongArray(), 0, actual, seen, n);
                seen += n;
            }
        }
        return new Evaluation(seen == 0 ? Double.NaN : lossSum / seen, predicted, actual,
                ClassificationMetrics.of(predicted, actual, classes));
    }
}
