package org.kindling.nn.rnn;

import java.util.ArrayList;
import java.util.List;
import org.kindling.Kindling;
import org.kindling.nn.F;
import org.kindling.nn.Module;
import org.kindling.nn.Parameter;
import org.kindling.nn.internal.Fused;
import org.kindling.nn.internal.Inits;
import org.kindling.nn.internal.Recurrence;
import org.kindling.tensor.Tensor;

/**
 * What RNN, LSTM and GRU share ({@code nn.RNNBase}): the stacked, optionally bidirectional layer
 * loop, parameters {@code weight_ih_l{k}[_reverse]}, {@code weight_hh_l{k}}, {@code bias_ih_l{k}},
 * {@code bias_hh_l{k}}, initialised from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)), and dropout
 * between layers in training mode.
 */
public abstract class RNNBase extends Module {
    /** The recurrence a layer runs. */
    protected enum Mode {
        RNN_TANH(1), RNN_RELU(1), LSTM(4), GRU(3);

        final int gates;

        Mode(int gates) {
            this.gates = gates;
        }
    }

    private final String layerName;
    private final Mode mode;
    private final int inputSize;
    private final int hiddenSize;
    private final int numLayers;
    private final boolean bias;
    private final boolean batchFirst;
    private final double dropout;
    private final boolean bidirectional;
    private final List<Parameter[]> weights = new ArrayList<>();

    protected RNNBase(String layerName, Mode mode, int inputSize, int hiddenSize, int numLayers, boolean bias,
                      boolean batchFirst, double dropout, boolean bidirectional) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(layerName + ": inputSize and hiddenSize must be positive, got "
                    + inputSize + " and " + hiddenSize);
        }
        if (numLayers < 1) throw new IllegalArgumentException(layerName + ": numLayers must be >= 1, got " + numLayers);
        if (dropout < 0 || dropout > 1) {
            throw new IllegalArgumentException(layerName + ": dropout should be a number in range [0, 1], got " + dropout);
        }
        this.layerName = layerName;
        this.mode = mode;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.bias = bias;
        this.batchFirst = batchFirst;
        this.dropout = dropout;
        this.bidirectional = bidirectional;
        int gh = mode.gates * hiddenSize, dirs = bidirectional ? 2 : 1;
        for (int l = 0; l < numLayers; l++) {
            for (int d = 0; d < dirs; d++) {
                String sfx = "_l" + l + (d == 1 ? "_reverse" : "");
                int in = l == 0 ? inputSize : hiddenSize * dirs;
                Parameter[] p = new Parameter[4];
                p[0] = registerParameter("weight_ih" + sfx, Inits.empty(gh, in));
                p[1] = registerParameter("weight_hh" + sfx, Inits.empty(gh, hiddenSize));
                if (bias) {
                    p[2] = registerParameter("bias_ih" + sfx, Inits.empty(gh));
                    p[3] = registerParameter("bias_hh" + sfx, Inits.empty(gh));
                }
                weights.add(p);
            }
        }
        resetParameters();
    }

    /** Every weight and bias from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)). */
    public void resetParameters() {
        double bound = 1.0 / Math.sqrt(hiddenSize);
        for (Parameter p : parameters()) Inits.uniform(p, bound);
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public int numLayers() {
        return numLayers;
    }

    public boolean bidirectional() {
        return bidirectional;
    }

    public boolean batchFirst() {
        return batchFirst;
    }

    /** Runs the stack; returns {output, h_n[, c_n]} in the caller's layout. */
    protected Tensor[] run(Tensor input, Tensor h0, Tensor c0) {
        if ((input.dim() != 3 && input.dim() != 2) || input.size(input.dim() - 1) != inputSize) {
            String dims = batchFirst ? "[B, T, " : "[T, B, ";
            throw new IllegalArgumentException(layerName + ": expected input with 3 dims " + dims + inputSize
                    + "] (or 2 unbatched [T, " + inputSize + "]), got " + input.shape());
        }
        boolean unbatched = input.dim() == 2;
        Tensor x = unbatched ? input.reshape(input.size(0), 1, inputSize)
                : batchFirst ? Fused.transpose(input, 0, 1) : input;
        int t = x.size(0), b = x.size(1), dirs = bidirectional ? 2 : 1;
        int[] stateShape = unbatched ? new int[] {numLayers * dirs, hiddenSize} : new int[] {numLayers * dirs, b, hiddenSize};
        h0 = checkState("h0", h0, stateShape, unbatched, input);
        c0 = checkState("c0", c0, stateShape, unbatched, input);
        List<Tensor> hn = new ArrayList<>(), cn = new ArrayList<>();
        Tensor layerIn = x;
        for (int l = 0; l < numLayers; l++) {
            List<Tensor> outs = new ArrayList<>();
            for (int d = 0; d < dirs; d++) {
                int idx = l * dirs + d;
                Parameter[] p = weights.get(idx);
                boolean reverse = d == 1;
                Tensor hi = h0 == null ? Kindling.zeros(new int[] {b, hiddenSize}, x.dtype())
                        : Fused.narrow(h0, 0, idx, 1).reshape(b, hiddenSize);
                Tensor seq;
                switch (mode) {
                    case LSTM -> {
                        Tensor ci = c0 == null ? Kindling.zeros(new int[] {b, hiddenSize}, x.dtype())
                                : Fused.narrow(c0, 0, idx, 1).reshape(b, hiddenSize);
                        Tensor xg = Fused.linear(layerIn, p[0], bias ? p[2].add(p[3]) : null);
                        Tensor out = new Recurrence.LstmFn(reverse).apply(xg, hi, ci, p[1]);
                        seq = Fused.narrow(out, 0, 0, t);
                        cn.add(Fused.narrow(out, 0, t, 1));
                    }
                    case GRU -> {
                        Tensor xg = Fused.linear(layerIn, p[0], bias ? p[2] : null);
                        Tensor bhh = bias ? p[3] : Kindling.zeros(new int[] {3 * hiddenSize}, x.dtype());
                        seq = new Recurrence.GruFn(reverse).apply(xg, hi, p[1], bhh);
                    }
                    default -> {
                        Tensor xg = Fused.linear(layerIn, p[0], bias ? p[2].add(p[3]) : null);
                        seq = new Recurrence.RnnFn(reverse, mode == Mode.RNN_RELU).apply(xg, hi, p[1]);
                    }
                }
                outs.add(seq);
                hn.add(Fused.narrow(seq, 0, reverse ? 0 : t - 1, 1));
            }
            layerIn = Fused.cat(outs, 2);
            if (dropout > 0 && isTraining() && l < numLayers - 1) {
                layerIn = F.dropout(layerIn, dropout, true);
            }
        }
        Tensor output = layerIn, hN = Fused.cat(hn, 0), cN = cn.isEmpty() ? null : Fused.cat(cn, 0);
        if (unbatched) {
            output = output.reshape(t, output.size(2));
            hN = hN.reshape(stateShape);
            if (cN != null) cN = cN.reshape(stateShape);
        } else if (batchFirst) {
            output = Fused.transpose(output, 0, 1);
        }
        return new Tensor[] {output, hN, cN};
    }

    private Tensor checkState(String what, Tensor s, int[] shape, boolean unbatched, Tensor input) {
        if (s == null) return null;
        if (!java.util.Arrays.equals(s.shape().toArray(), shape)) {
            throw new IllegalArgumentException(layerName + ": expected " + what + " of shape "
                    + java.util.Arrays.toString(shape) + " for input " + input.shape() + ", got " + s.shape());
        }
        return unbatched ? s.reshape(shape[0], 1, hiddenSize) : s;
    }

    @Override
    public String extraRepr() {
        StringBuilder sb = new StringBuilder().append(inputSize).append(", ").append(hiddenSize);
        if (numLayers != 1) sb.append(", num_layers=").append(numLayers);
        if (mode == Mode.RNN_RELU) sb.append(", nonlinearity=relu");
        if (!bias) sb.append(", bias=False");
        if (batchFirst) sb.append(", batch_first=True");
        if (dropout != 0) sb.append(", dropout=").append(dropout);
        if (bidirectional) sb.append(", bidirectional=True");
        return sb.toString();
    }
}
