package org.kindling.nn.rnn;

import org.kindling.nn.internal.Recurrence;
import org.kindling.tensor.Tensor;

/**
 * One Elman RNN step ({@code nn.RNNCell}): {@code h' = act(W_ih x + b_ih + W_hh h + b_hh)}.
 *
 * <pre>
 * RNNCell cell = new RNNCell(10, 20, true, "relu");
 * Tensor h = cell.forward(Kindling.randn(3, 10), null);   // [3, 20]
 * </pre>
 */
public class RNNCell extends RNNCellBase {
    private final boolean relu;

    public RNNCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, "tanh");
    }

    public RNNCell(int inputSize, int hiddenSize, boolean bias, String nonlinearity) {
        super("RNNCell", inputSize, hiddenSize, bias, 1);
        this.relu = RNN.mode(nonlinearity) == RNNBase.Mode.RNN_RELU;
    }

    /** The next hidden state; {@code h} may be null (zeros). */
    public Tensor forward(Tensor input, Tensor h) {
        Tensor x1 = step(input);
        Tensor out = new Recurrence.RnnFn(false, relu).apply(projectInput(x1, true), state("h", h, input), weightHh);
        return unstep(out, input);
    }

    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null);
    }

    @Override
    public String extraRepr() {
        return super.extraRepr() + (relu ? ", nonlinearity=relu" : "");
    }
}
