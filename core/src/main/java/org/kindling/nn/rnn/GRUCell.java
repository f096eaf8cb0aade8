package org.kindling.nn.rnn;

import org.kindling.Kindling;
import org.kindling.nn.internal.Recurrence;
import org.kindling.tensor.Tensor;

/**
 * One GRU step ({@code nn.GRUCell}).
 *
 * <pre>
 * GRUCell cell = new GRUCell(10, 20);
 * Tensor h = cell.forward(Kindling.randn(3, 10), null);   // [3, 20]
 * </pre>
 */
public class GRUCell extends RNNCellBase {
    public GRUCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    public GRUCell(int inputSize, int hiddenSize, boolean bias) {
        super("GRUCell", inputSize, hiddenSize, bias, 3);
    }

    /** The next hidden state; {@code h} may be null (zeros). */
    public Tensor forward(Tensor input, Tensor h) {
        Tensor x1 = step(input);
        Tensor bhh = biasHh != null ? biasHh : Kindling.zeros(new int[] {3 * hiddenSize}, input.dtype());
        Tensor out = new Recurrence.GruFn(false).apply(projectInput(x1, false), state("h", h, input), weightHh, bhh);
        return unstep(out, input);
    }

    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null);
    }
}
