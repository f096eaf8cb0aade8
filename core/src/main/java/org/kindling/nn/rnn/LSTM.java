package org.kindling.nn.rnn;

import org.kindling.tensor.Tensor;

/**
 * Multi-layer long short-term memory ({@code nn.LSTM}), gates i, f, g, o:
 * {@code c' = f*c + i*g}, {@code h' = o*tanh(c')}.
 *
 * <p>Args: inputSize, hiddenSize, numLayers (1), bias (true), batchFirst (false), dropout (0,
 * between layers in training), bidirectional (false).
 * Shape: input {@code [T, B, inputSize]} ({@code [B, T, inputSize]} with batchFirst, or unbatched
 * {@code [T, inputSize]}); h0, c0 {@code [numLayers*D, B, H]} or null for zeros.
 * Attributes: {@code weight_ih_l{k} [4H, in]}, {@code weight_hh_l{k} [4H, H]},
 * {@code bias_ih_l{k}}, {@code bias_hh_l{k} [4H]}, with {@code _reverse} for the backward direction.
 *
 * <pre>
 * LSTM lstm = new LSTM(10, 20, 2, true, true, 0.0, false);
 * LSTMOutput r = lstm.forward(Kindling.randn(3, 5, 10), null, null);
 * r.output();   // [3, 5, 20]
 * r.hN();       // [2, 3, 20]
 * </pre>
 */
public class LSTM extends RNNBase {
    public LSTM(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1, true, false, 0, false);
    }

    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout,
                boolean bidirectional) {
        super("LSTM", Mode.LSTM, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
    }

    /** Output, final hidden and cell states; {@code h0} and {@code c0} may be null (zeros). */
    public LSTMOutput forward(Tensor input, Tensor h0, Tensor c0) {
        Tensor[] r = run(input, h0, c0);
        return new LSTMOutput(r[0], r[1], r[2]);
    }

    /** The output sequence only, from zero initial states. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null, null).output();
    }
}
