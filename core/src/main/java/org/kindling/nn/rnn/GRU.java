package org.kindling.nn.rnn;

import org.kindling.tensor.Tensor;

/**
 * Multi-layer gated recurrent unit ({@code nn.GRU}), gates r, z, n:
 * {@code n = tanh(W_in x + b_in + r*(W_hn h + b_hn))}, {@code h' = (1-z)*n + z*h}.
 *
 * <p>Args, shapes and parameter names as {@link LSTM}, with 3H gate rows.
 *
 * <pre>
 * GRU gru = new GRU(10, 20, 2, true, false, 0.0, false);
 * RNNOutput r = gru.forward(Kindling.randn(5, 3, 10), null);   // output [5, 3, 20], hN [2, 3, 20]
 * </pre>
 */
public class GRU extends RNNBase {
    public GRU(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1, true, false, 0, false);
    }

    public GRU(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout,
               boolean bidirectional) {
        super("GRU", Mode.GRU, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
    }

    /** Output and final hidden state; {@code h0} may be null (zeros). */
    public RNNOutput forward(Tensor input, Tensor h0) {
        Tensor[] r = run(input, h0, null);
        return new RNNOutput(r[0], r[1]);
    }

    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null).output();
    }
}
