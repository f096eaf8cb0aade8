package org.kindling.bench.training;

import org.kindling.Kindling;
import org.kindling.tensor.Tensor;

/**
 * The three training steps, and one fixed batch of data per workload that both engines get
 * (generated with Kindling's seeded generator, then copied into libtorch).
 */
enum Workload {
    /** MLP 784-512-256-10 with ReLU, batch 128, 10 classes. */
    MLP("mlp", "MLP 784-512-256-10, batch 128", 128, 10),
    /** conv 1-32 3x3 p1, ReLU, maxpool 2, conv 32-64 3x3 p1, ReLU, maxpool 2, flatten, 3136-128, ReLU, 128-10; batch 64. */
    CNN("cnn", "CNN 2x(conv3x3+ReLU+maxpool2) + 3136-128-10, batch 64, 1x28x28", 64, 10),
    /** Embedding 20000x64, LSTM 64-128 (1 layer, batch_first), last step, linear 128-2; batch 32, sequence 100. */
    LSTM("lstm", "Embedding 20000x64 + LSTM 128 + linear 128-2, batch 32, seq 100", 32, 2);

    static final int VOCAB = 20000;
    static final int EMBED = 64;
    static final int HIDDEN = 128;
    static final int SEQ = 100;
    static final double LR = 0.01;

    final String id;
    final String title;
    final int batch;
    final int classes;

    Workload(String id, String title, int batch, int classes) {
        this.id = id;
        this.title = title;
        this.batch = batch;
        this.classes = classes;
    }

    /** Input shape: [128, 784], [64, 1, 28, 28], or [32, 100] (token ids). */
    int[] inputShape() {
        return switch (this) {
            case MLP -> new int[] {batch, 784};
            case CNN -> new int[] {batch, 1, 28, 28};
            case LSTM -> new int[] {batch, SEQ};
        };
    }

    boolean tokenInput() {
        return this == LSTM;
    }

    static Workload byId(String id) {
        for (Workload w : values()) if (w.id.equals(id)) return w;
        throw new IllegalArgumentException("unknown case " + id + " (mlp, cnn, lstm)");
    }

    /** One batch: float inputs (or int64 token ids) and int64 labels, seeded. */
    record Data(int[] shape, float[] x, long[] tokens, long[] labels) {}

    Data data(long seed) {
        Kindling.manualSeed(seed);
        int[] shape = inputShape();
        float[] x = null;
        long[] tokens = null;
        if (tokenInput()) {
            tokens = Kindling.randint(0, VOCAB, shape).toLongArray();
        } else {
            Tensor t = Kindling.randn(shape);
            x = t.toFloatArray();
        }
        long[] labels = Kindling.randint(0, classes, batch).toLongArray();
        return new Data(shape, x, tokens, labels);
    }
}
