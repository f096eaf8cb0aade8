package org.kindling.nn.rnn;

import org.kindling.tensor.Tensor;

/**
 * Multi-layer Elman RNN ({@code nn.RNN}): {@code h' = act(W_ih x + b_ih + W_hh h + b_hh)} with
 * act tanh (default) or relu.
 *
 * <p>Args, shapes and parameter names as {@link LSTM}, with H gate rows, plus nonlinearity.
 *
 * <pre>
 * RNN rnn = new RNN(10, 20, 2, "tanh", true, false, 0.0, false);
 * RNNOutput r = rnn.forward(Kindling.randn(5, 3, 10), null);   // output [5, 3, 20], hN [2, 3, 20]
 * </pre>
 */
public class RNN extends RNNBase {
    public RNN(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1, "tanh", true, false, 0, false);
    }

    public RNN(int inputSize, int hiddenSize, int numLayers, String nonlinearity, boolean bias, boolean batchFirst,
               double dropout, boolean bidirectional) {
        super("RNN", mode(nonlinearity), inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
    }

    static Mode mode(String nonlinearity) {
        return switch (nonlinearity) {
            case "tanh" -> Mode.RNN_TANH;
            case "relu" -> Mode.RNN_RELU;
            default -> throw new IllegalArgumentException("RNN: unknown nonlinearity '" + nonlinearity
                    + "'; use 'tanh' or 'relu'");
        };
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
