package org.kindling.train;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import org.kindling.data.Batch;
import org.kindling.data.DataLoader;
import org.kindling.io.Checkpoints;
import org.kindling.nn.Module;
import org.kindling.optim.ClipGrad;
import org.kindling.optim.Optimizer;
import org.kindling.optim.lr.LRScheduler;
import org.kindling.tensor.DType;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;

/**
 * A small fit/evaluate loop over the raw PyTorch steps (zeroGrad, forward, loss, backward,
 * step), with a progress bar, per-epoch validation, an LR scheduler, gradient clipping, early
 * stopping, periodic checkpoints and listeners. Workloads reuse it; the raw loop stays
 * first-class.
 *
 * <pre>
 * Trainer trainer = Trainer.builder(model, new Adam(model.parameters(), 1e-3), F::crossEntropy)
 *         .epochs(5)
 *         .progress(System.err)
 *         .build();
 * List&lt;Trainer.EpochResult&gt; history = trainer.fit(trainLoader, testLoader);
 * </pre>
 */
public final class Trainer {
    private final Module model;
    private final Optimizer optimizer;
    private final BiFunction<Tensor, Tensor, Tensor> lossFn;
    private final int epochs;
    private final LRScheduler scheduler;
    private final boolean schedulerPerBatch;
    private final double clipNorm;
    private final PrintStream progress;
    private final List<TrainingListener> listeners;
    private final Path checkpointDir;
    private final long checkpointEvery;
    private final int patience;
    private final double minDelta;
    private long step;

    /** Loss and accuracy (NaN when not a classification) of one pass over a loader. */
    public record Evaluation(double loss, double accuracy, long samples) {}

    /** What one epoch produced; validation fields are NaN without a validation loader. */
    public record EpochResult(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                              double seconds, long samples) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "epoch %d: train loss %.4f acc %.2f%%, val loss %.4f acc %.2f%%, %.1f s, %,.0f samples/s",
                    epoch, trainLoss, trainAccuracy * 100, valLoss, valAccuracy * 100, seconds, samples / Math.max(seconds, 1e-9));
        }
    }

    private Trainer(Builder b) {
        this.model = b.model;
        this.optimizer = b.optimizer;
        this.lossFn = b.lossFn;
        this.epochs = b.epochs;
        this.scheduler = b.scheduler;
        this.schedulerPerBatch = b.schedulerPerBatch;
        this.clipNorm = b.clipNorm;
        this.progress = b.progress;
        this.listeners = List.copyOf(b.listeners);
        this.checkpointDir = b.checkpointDir;
        this.checkpointEvery = b.checkpointEvery;
        this.patience = b.patience;
        this.minDelta = b.minDelta;
    }

    public static Builder builder(Module model, Optimizer optimizer, BiFunction<Tensor, Tensor, Tensor> lossFn) {
        return new Builder(model, optimizer, lossFn);
    }

    /** Optimizer steps taken so far. */
    public long globalStep() {
        return step;
    }

    /**
     * Trains for the configured epochs (fewer when early stopping triggers on the validation
     * loss) and returns one result per epoch.
     */
    public List<EpochResult> fit(DataLoader<?, Batch> train, DataLoader<?, Batch> validation) {
        List<EpochResult> history = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        int bad = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            for (TrainingListener l : listeners) l.onEpochStart(epoch);
            long t0 = System.nanoTime();
            Evaluation tr = trainEpoch(train, epoch);
            double secs = (System.nanoTime() - t0) / 1e9;
            Evaluation val = validation == null ? new Evaluation(Double.NaN, Double.NaN, 0) : evaluate(validation);
            if (scheduler != null && !schedulerPerBatch) scheduler.step();
            EpochResult r = new EpochResult(epoch, tr.loss(), tr.accuracy(), val.loss(), val.accuracy(), secs, tr.samples());
            history.add(r);
            if (progress != null) progress.println(r);
            for (TrainingListener l : listeners) l.onEpochEnd(r);
            if (patience > 0 && validation != null) {
                if (val.loss() < best - minDelta) {
                    best = val.loss();
                    bad = 0;
                } else if (++bad >= patience) {
                    if (progress != null) progress.println("early stopping: no improvement for " + patience + " epochs");
                    break;
                }
            }
        }
        return history;
    }

    private Evaluation trainEpoch(DataLoader<?, Batch> loader, int epoch) {
        model.train();
        RunningMean loss = new RunningMean();
        RunningMean acc = new RunningMean();
        ProgressBar bar = progress == null ? null
                : new ProgressBar(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs), loader.size(), progress);
        long samples = 0;
        for (Batch batch : loader) {
            Tensor out = model.forward(batch.x());
            Tensor l = lossFn.apply(out, batch.y());
            optimizer.zeroGrad();
            l.backward();
            if (clipNorm > 0) ClipGrad.clipGradNorm(model.parameters(), clipNorm, 2.0);
            optimizer.step();
            if (scheduler != null && schedulerPerBatch) scheduler.step();
            step++;
            int n = batch.batchSize();
            samples += n;
            double lv = l.item();
            loss.add(lv, n);
            double a = accuracy(out, batch.y());
            if (!Double.isNaN(a)) acc.add(a, n);
            for (TrainingListener li : listeners) li.onBatchEnd(epoch, step, lv, n);
            if (bar != null) {
                Map<String, Double> m = new LinkedHashMap<>();
                m.put("loss", loss.mean());
                if (acc.count() > 0) m.put("acc", acc.mean());
                bar.step(n, m);
            }
            if (checkpointDir != null && checkpointEvery > 0 && step % checkpointEvery == 0) checkpoint();
        }
        if (bar != null) bar.close();
        return new Evaluation(loss.mean(), acc.count() > 0 ? acc.mean() : Double.NaN, samples);
    }

    /** Loss and accuracy over a loader, in eval mode and without recording. */
    public Evaluation evaluate(DataLoader<?, Batch> loader) {
        return evaluate(model, loader, lossFn);
    }

    /** Loss and accuracy of {@code model} over {@code loader}, in eval mode and without recording. */
    public static Evaluation evaluate(Module model, DataLoader<?, Batch> loader, BiFunction<Tensor, Tensor, Tensor> lossFn) {
        boolean wasTraining = model.isTraining();
        model.eval();
        RunningMean loss = new RunningMean();
        RunningMean acc = new RunningMean();
        long samples = 0;
        try (var g = GradMode.noGrad()) {
            for (Batch batch : loader) {
                Tensor out = model.forward(batch.x());
                int n = batch.batchSize();
                samples += n;
                loss.add(lossFn.apply(out, batch.y()).item(), n);
                double a = accuracy(out, batch.y());
                if (!Double.isNaN(a)) acc.add(a, n);
            }
        } finally {
            model.train(wasTraining);
        }
        return new Evaluation(loss.mean(), acc.count() > 0 ? acc.mean() : Double.NaN, samples);
    }

    /** Share of rows of {@code logits} [N, C] whose argmax equals the integer target; NaN otherwise. */
    public static double accuracy(Tensor logits, Tensor target) {
        if (logits.dim() != 2 || target.dim() != 1 || target.isFloatingPoint() || target.size(0) != logits.size(0)) {
            return Double.NaN;
        }
        try (var g = GradMode.noGrad()) {
            return logits.argmax(1).eq(target.to(DType.INT64)).to(DType.FLOAT64).mean().item();
        }
    }

    private void checkpoint() {
        try {
            Files.createDirectories(checkpointDir);
            Checkpoints.save(model.stateDict(), checkpointDir.resolve("model-step" + step + ".safetensors"));
            Checkpoints.save(optimizer.stateDict().toTensors(), checkpointDir.resolve("optimizer-step" + step + ".safetensors"));
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint at step " + step + " into " + checkpointDir + " failed", e);
        }
    }

    /** Builder: required model, optimizer and loss; everything else optional with checks in {@link #build()}. */
    public static final class Builder {
        private final Module model;
        private final Optimizer optimizer;
        private final BiFunction<Tensor, Tensor, Tensor> lossFn;
        private int epochs = 1;
        private LRScheduler scheduler;
        private boolean schedulerPerBatch;
        private double clipNorm;
        private PrintStream progress;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private Path checkpointDir;
        private long checkpointEvery;
        private int patience;
        private double minDelta;

        private Builder(Module model, Optimizer optimizer, BiFunction<Tensor, Tensor, Tensor> lossFn) {
            this.model = Objects.requireNonNull(model, "model");
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            this.lossFn = Objects.requireNonNull(lossFn, "lossFn");
        }

        public Builder epochs(int n) {
            this.epochs = n;
            return this;
        }

        /** Steps the scheduler after every epoch, or after every batch when {@code perBatch}. */
        public Builder scheduler(LRScheduler s, boolean perBatch) {
            this.scheduler = s;
            this.schedulerPerBatch = perBatch;
            return this;
        }

        /** Clips the global 2-norm of the gradients before each step. */
        public Builder clipGradNorm(double maxNorm) {
            this.clipNorm = maxNorm;
            return this;
        }

        /** Where the progress bar and the per-epoch lines go (null: silent). */
        public Builder progress(PrintStream out) {
            this.progress = out;
            return this;
        }

        public Builder listener(TrainingListener l) {
            listeners.add(Objects.requireNonNull(l, "listener"));
            return this;
        }

        /** Saves model and optimizer state every {@code steps} optimizer steps into {@code dir}. */
        public Builder checkpointEvery(long steps, Path dir) {
            this.checkpointEvery = steps;
            this.checkpointDir = dir;
            return this;
        }

        /** Stops when the validation loss has not improved by {@code minDelta} for {@code patience} epochs. */
        public Builder earlyStopping(int patience, double minDelta) {
            this.patience = patience;
            this.minDelta = minDelta;
            return this;
        }

        public Trainer build() {
            if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            if (clipNorm < 0) throw new IllegalArgumentException("clipGradNorm must be >= 0, got " + clipNorm);
            if (checkpointEvery < 0) throw new IllegalArgumentException("checkpointEvery must be >= 0, got " + checkpointEvery);
            if (checkpointEvery > 0 && checkpointDir == null) throw new IllegalArgumentException("checkpointEvery needs a folder");
            if (patience < 0) throw new IllegalArgumentException("patience must be >= 0, got " + patience);
            return new Trainer(this);
        }
    }
}
