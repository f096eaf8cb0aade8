package org.kindling.nn.rnn;

import org.kindling.Kindling;
import org.kindling.nn.Module;
import org.kindling.nn.Parameter;
import org.kindling.nn.internal.Fused;
import org.kindling.nn.internal.Inits;
import org.kindling.tensor.Tensor;

/**
 * What the single-step cells share ({@code nn.RNNCellBase}): {@code weight_ih [G*H, inputSize]},
 * {@code weight_hh [G*H, H]}, {@code bias_ih}, {@code bias_hh [G*H]}, all from
 * U(-1/sqrt(H), 1/sqrt(H)). A step runs the fused sequence Function with one time step.
 */
public abstract class RNNCellBase extends Module {
    private final String cellName;
    protected final int inputSize;
    protected final int hiddenSize;
    protected final Parameter weightIh;
    protected final Parameter weightHh;
    protected final Parameter biasIh;
    protected final Parameter biasHh;

    protected RNNCellBase(String cellName, int inputSize, int hiddenSize, boolean bias, int gates) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(cellName + ": inputSize and hiddenSize must be positive, got "
                    + inputSize + " and " + hiddenSize);
        }
        this.cellName = cellName;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        weightIh = registerParameter("weight_ih", Inits.empty(gates * hiddenSize, inputSize));
        weightHh = registerParameter("weight_hh", Inits.empty(gates * hiddenSize, hiddenSize));
        biasIh = bias ? registerParameter("bias_ih", Inits.empty(gates * hiddenSize)) : null;
        biasHh = bias ? registerParameter("bias_hh", Inits.empty(gates * hiddenSize)) : null;
        resetParameters();
    }

    public void resetParameters() {
        double bound = 1.0 / Math.sqrt(hiddenSize);
        for (Parameter p : parameters()) Inits.uniform(p, bound);
    }

    /** The input as {@code [1, B, I]} (one time step); checks its shape. */
    protected Tensor step(Tensor x) {
        if ((x.dim() != 2 && x.dim() != 1) || x.size(x.dim() - 1) != inputSize) {
            throw new IllegalArgumentException(cellName + ": expected input with 2 dims [B, " + inputSize
                    + "] (or 1 unbatched), got " + x.shape());
        }
        return x.reshape(1, x.dim() == 1 ? 1 : x.size(0), inputSize);
    }

    /** A state as {@code [B, H]} (zeros when null). */
    protected Tensor state(String what, Tensor s, Tensor x) {
        int b = x.dim() == 1 ? 1 : x.size(0);
        if (s == null) return Kindling.zeros(new int[] {b, hiddenSize}, x.dtype());
        if (s.numel() != b * hiddenSize || s.size(s.dim() - 1) != hiddenSize || s.dim() != x.dim()) {
            throw new IllegalArgumentException(cellName + ": expected " + what + " of shape [" + b + ", " + hiddenSize
                    + "] for input " + x.shape() + ", got " + s.shape());
        }
        return s.reshape(b, hiddenSize);
    }

    protected Tensor projectInput(Tensor x1, boolean addHiddenBias) {
        Tensor b = biasIh == null ? null : addHiddenBias ? biasIh.add(biasHh) : biasIh;
        return Fused.linear(x1, weightIh, b);
    }

    /** Back to the caller's layout: {@code [B, H]}, or {@code [H]} for unbatched input. */
    protected Tensor unstep(Tensor h, Tensor x) {
        return x.dim() == 1 ? h.reshape(hiddenSize) : h.reshape(h.numel() / hiddenSize, hiddenSize);
    }

    @Override
    public String extraRepr() {
        return inputSize + ", " + hiddenSize + (biasIh == null ? ", bias=False" : "");
    }
}
