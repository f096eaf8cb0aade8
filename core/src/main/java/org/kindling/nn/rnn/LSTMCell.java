package org.kindling.nn.rnn;

import org.kindling.nn.internal.Fused;
import org.kindling.nn.internal.Recurrence;
import org.kindling.tensor.Tensor;

/**
 * One LSTM step ({@code nn.LSTMCell}).
 *
 * <pre>
 * LSTMCell cell = new LSTMCell(10, 20);
 * LSTMState s = cell.forward(Kindling.randn(3, 10), null, null);   // s.h(), s.c(): [3, 20]
 * s = cell.forward(Kindling.randn(3, 10), s.h(), s.c());
 * </pre>
 */
public class LSTMCell extends RNNCellBase {
    public LSTMCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    public LSTMCell(int inputSize, int hiddenSize, boolean bias) {
        super("LSTMCell", inputSize, hiddenSize, bias, 4);
    }

    /** The next (h, c); {@code h} and {@code c} may be null (zeros). */
    public LSTMState forward(Tensor input, Tensor h, Tensor c) {
        Tensor x1 = step(input);
        Tensor out = new Recurrence.LstmFn(false).apply(projectInput(x1, true), state("h", h, input),
                state("c", c, input), weightHh);
        return new LSTMState(unstep(Fused.narrow(out, 0, 0, 1), input), unstep(Fused.narrow(out, 0, 1, 1), input));
    }

    /** The next hidden state from zero states. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null, null).h();
    }
}
