package org.kindling.onnx.export;

import static org.kindling.onnx.export.ExportChecks.check;
import static org.kindling.onnx.export.ExportChecks.dynamic;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.Kindling;
import org.kindling.nn.Module;
import org.kindling.onnx.ExportOptions;
import org.kindling.nn.Sequential;
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
import org.kindling.nn.conv.Conv1d;
import org.kindling.nn.conv.Conv2d;
import org.kindling.nn.conv.ConvTranspose2d;
import org.kindling.nn.dropout.Dropout;
import org.kindling.nn.flatten.Flatten;
import org.kindling.nn.flatten.Unflatten;
import org.kindling.nn.linear.Bilinear;
import org.kindling.nn.linear.Linear;
import org.kindling.nn.normalization.GroupNorm;
import org.kindling.nn.normalization.LayerNorm;
import org.kindling.nn.pooling.AdaptiveAvgPool2d;
import org.kindling.nn.pooling.AvgPool1d;
import org.kindling.nn.pooling.AvgPool2d;
import org.kindling.nn.pooling.MaxPool1d;
import org.kindling.nn.pooling.MaxPool2d;
import org.kindling.nn.rnn.GRU;
import org.kindling.nn.rnn.LSTM;
import org.kindling.nn.rnn.LSTMOutput;
import org.kindling.nn.rnn.RNN;
import org.kindling.nn.rnn.RNNOutput;
import org.kindling.nn.sparse.Embedding;
import org.kindling.nn.transformer.MultiheadAttention;
import org.kindling.nn.transformer.TransformerEncoderLayer;
import org.kindling.tensor.DType;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;

/** One export per layer family, checked by ONNX Runtime and Kindling's importer at batch 2 (traced) and 5. */
class LayerExportTest {
    @TempDir
    Path dir;

    @BeforeEach
    void seed() {
        Kindling.manualSeed(42);
    }

    @Test
    void linear() {
        check(dir, "linear2d", new Linear(6, 4), dynamic(), Kindling.randn(2, 6), Kindling.randn(5, 6));
        check(dir, "linear3d", new Linear(6, 4, false), dynamic(), Kindling.randn(2, 3, 6), Kindling.randn(5, 3, 6));
    }

    @Test
    void bilinear() {
        Bilinear b = new Bilinear(3, 4, 5);
        check(dir, "bilinear", b, in -> new Tensor[] {b.forward(in[0], in[1])}, dynamic(),
                new Tensor[] {Kindling.randn(2, 3), Kindling.randn(2, 4)}, new Tensor[] {Kindling.randn(5, 3), Kindling.randn(5, 4)});
    }

    @Test
    void convolutions() {
        check(dir, "conv1d", new Conv1d(3, 4, 3, 2, 1), dynamic(), Kindling.randn(2, 3, 9), Kindling.randn(5, 3, 9));
        check(dir, "conv2d", new Conv2d(2, 6, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 2}, 2, true,
                "zeros"),
                dynamic(), Kindling.randn(2, 2, 7, 8), Kindling.randn(5, 2, 7, 8));
        check(dir, "conv2d_same", new Conv2d(2, 3, new int[] {4, 3}, new int[] {1, 1}, "same", new int[] {1, 1}, 1, true),
                dynamic(), Kindling.randn(2, 2, 6, 6), Kindling.randn(5, 2, 6, 6));
        check(dir, "convtranspose2d", new ConvTranspose2d(3, 2, 3, 2, 1, 1), dynamic(), Kindling.randn(2, 3, 4, 5),
                Kindling.randn(5, 3, 4, 5));
    }

    @Test
    void pooling() {
        Tensor x = Kindling.randn(2, 3, 8, 8);
        Tensor x5 = Kindling.randn(5, 3, 8, 8);
        check(dir, "maxpool", new MaxPool2d(2), dynamic(), x, x5);
        check(dir, "maxpool_pad", new MaxPool2d(3, 2, 1), dynamic(), x, x5);
        check(dir, "avgpool", new AvgPool2d(2), dynamic(), x, x5);
        check(dir, "avgpool_pad", new AvgPool2d(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, false, false),
                dynamic(), x, x5);
        check(dir, "adaptive1", new AdaptiveAvgPool2d(1), dynamic(), x, x5);
        check(dir, "adaptive2", new AdaptiveAvgPool2d(2), dynamic(), x, x5);
        check(dir, "maxpool1d", new MaxPool1d(2), dynamic(), Kindling.randn(2, 3, 8), Kindling.randn(5, 3, 8));
        check(dir, "avgpool1d", new AvgPool1d(3, 2, 1, false, true), dynamic(), Kindling.randn(2, 3, 8),
                Kindling.randn(5, 3, 8));
    }

    /** Batch norm with running statistics moved away from 0 and 1 by a few training passes. */
    private static Module trainedStats(Module bn, Tensor x) {
        bn.train();
        try (var g = GradMode.noGrad()) {
            for (int i = 0; i < 3; i++) bn.forward(x.mul(2).add(1));
        }
        return bn;
    }

    @Test
    void normalization() {
        Tensor x2 = Kindling.randn(4, 6, 5, 5);
        check(dir, "batchnorm2d", trainedStats(new BatchNorm2d(6), x2), dynamic(), Kindling.randn(2, 6, 5, 5),
                Kindling.randn(5, 6, 5, 5));
        check(dir, "batchnorm1d", trainedStats(new BatchNorm1d(6), Kindling.randn(8, 6)), dynamic(), Kindling.randn(2, 6),
                Kindling.randn(5, 6));
        check(dir, "layernorm", new LayerNorm(4, 6), dynamic(), Kindling.randn(2, 3, 4, 6), Kindling.randn(5, 3, 4, 6));
        check(dir, "groupnorm", new GroupNorm(3, 6), dynamic(), Kindling.randn(2, 6, 4, 4), Kindling.randn(5, 6, 4, 4));
    }

    @Test
    void dropoutIsRemovedAndTheTrainingModeKept() {
        Module m = new Sequential(new Linear(6, 6), new Dropout(0.5), new ReLU());
        m.train();
        check(dir, "dropout", m, dynamic(), Kindling.randn(2, 6), Kindling.randn(5, 6));
    }

    @Test
    void embedding() {
        Tensor idx = Kindling.fromArray(new long[] {0, 3, 9, 1, 1, 2}, 2, 3);
        Tensor idx5 = Kindling.fromArray(new long[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 1, 2, 3, 4}, 5, 3);
        check(dir, "embedding", new Embedding(10, 4), dynamic(), idx, idx5);
    }

    @Test
    void activations() {
        Module m = new Sequential(new Linear(5, 8), new ELU(0.7), new LeakyReLU(0.2), new GELU(), new Linear(8, 8),
                new GELU("tanh"), new SiLU(), new Softplus(), new Tanh(), new Hardtanh(-0.5, 0.5), new Sigmoid(),
                new Softplus(2, 1), new Softmax(-1), new LogSoftmax(1));
        check(dir, "activations", m, dynamic(), Kindling.randn(2, 5).mul(3), Kindling.randn(5, 5).mul(3));
    }

    @Test
    void flattenAndUnflatten() {
        Module m = new Sequential(new Flatten(), new Linear(12, 6), new Unflatten(1, 2, 3));
        check(dir, "flatten", m, dynamic(), Kindling.randn(2, 3, 4), Kindling.randn(5, 3, 4));
    }

    @Test
    void attention() {
        MultiheadAttention mha = new MultiheadAttention(8, 2, 0.0, true, true);
        check(dir, "mha", mha, dynamic(), Kindling.randn(2, 5, 8), Kindling.randn(5, 5, 8));
        MultiheadAttention seqFirst = new MultiheadAttention(8, 4);
        Tensor q = Kindling.randn(4, 2, 8);
        Tensor kv = Kindling.randn(6, 2, 8);
        check(dir, "mha_cross", seqFirst, in -> new Tensor[] {seqFirst.forward(in[0], in[1], in[1], null, false, null).output()},
                org.kindling.onnx.ExportOptions.builder().dynamicAxis(0, 1, "batch").dynamicAxis(1, 1, "batch").build(),
                new Tensor[] {q, kv}, new Tensor[] {Kindling.randn(4, 5, 8), Kindling.randn(6, 5, 8)});
        TransformerEncoderLayer layer = new TransformerEncoderLayer(8, 2, 16, 0.1, "gelu", 1e-5, true, true);
        check(dir, "encoder_layer", layer, dynamic(), Kindling.randn(2, 5, 8), Kindling.randn(5, 5, 8));
    }

    @Test
    void integerInputsKeepTheirType() {
        Module m = new Sequential(new Embedding(5, 3), new Flatten(), new Linear(6, 2));
        Tensor idx = Kindling.fromArray(new long[] {1, 2, 3, 4}, 2, 2);
        check(dir, "int_input", m, dynamic(), idx, Kindling.fromArray(new long[] {0, 0, 1, 1, 2, 2, 3, 3, 4, 4}, 5, 2));
        org.junit.jupiter.api.Assertions.assertEquals(DType.INT64, idx.dtype());
    }

    @Test
    void recurrent() {
        LSTM lstm = new LSTM(5, 6, 2, true, true, 0.0, false);
        check(dir, "lstm", lstm, in -> {
            LSTMOutput r = lstm.forward(in[0], null, null);
            return new Tensor[] {r.output(), r.hN(), r.cN()};
        }, dynamic(), new Tensor[] {Kindling.randn(2, 4, 5)}, new Tensor[] {Kindling.randn(5, 4, 5)});
        // sequence-first, bidirectional, initial states given: the batch is axis 1 of every input
        LSTM bi = new LSTM(5, 6, 1, true, false, 0.0, true);
        ExportOptions batchAxis1 = ExportOptions.builder().dynamicAxis(0, 1, "batch").dynamicAxis(1, 1, "batch")
                .dynamicAxis(2, 1, "batch").build();
        check(dir, "lstm_bi", bi, in -> {
            LSTMOutput r = bi.forward(in[0], in[1], in[2]);
            return new Tensor[] {r.output(), r.hN(), r.cN()};
        }, batchAxis1, new Tensor[] {Kindling.randn(4, 2, 5), Kindling.randn(2, 2, 6), Kindling.randn(2, 2, 6)},
                new Tensor[] {Kindling.randn(4, 5, 5), Kindling.randn(2, 5, 6), Kindling.randn(2, 5, 6)});
        GRU gru = new GRU(5, 6, 2, true, true, 0.0, false);
        check(dir, "gru", gru, in -> {
            RNNOutput r = gru.forward(in[0], null);
            return new Tensor[] {r.output(), r.hN()};
        }, dynamic(), new Tensor[] {Kindling.randn(2, 4, 5)}, new Tensor[] {Kindling.randn(5, 4, 5)});
        GRU gruBi = new GRU(5, 3, 1, false, true, 0.0, true);
        check(dir, "gru_bi_nobias", gruBi, dynamic(), Kindling.randn(2, 4, 5), Kindling.randn(5, 4, 5));
        RNN tanh = new RNN(5, 6, 2, "tanh", true, true, 0.0, false);
        check(dir, "rnn_tanh", tanh, dynamic(), Kindling.randn(2, 4, 5), Kindling.randn(5, 4, 5));
        RNN relu = new RNN(5, 6, 1, "relu", true, true, 0.0, true);
        check(dir, "rnn_relu_bi", relu, dynamic(), Kindling.randn(2, 4, 5), Kindling.randn(5, 4, 5));
    }
}
