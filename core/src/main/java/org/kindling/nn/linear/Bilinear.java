package org.kindling.nn.linear;

import org.kindling.Kindling;
import org.kindling.nn.F;
import org.kindling.nn.Init;
import org.kindling.nn.Module;
import org.kindling.nn.Parameter;
import org.kindling.nn.internal.PyRepr;
import org.kindling.tensor.Tensor;

/**
 * Applies {@code y = x1^T A x2 + b} ({@code nn.Bilinear}).
 *
 * <p>Args: {@code in1Features}, {@code in2Features}, {@code outFeatures}, {@code bias} (default true).
 *
 * <p>Shape: input1 {@code (*, in1)}, input2 {@code (*, in2)}, output {@code (*, out)}.
 *
 * <p>Attributes: {@code weight} {@code (out, in1, in2)} and {@code bias} {@code (out)}, both from
 * U(-1/sqrt(in1), 1/sqrt(in1)).
 *
 * <pre>
 * Bilinear m = new Bilinear(20, 30, 40);
 * Tensor out = m.forward(Kindling.randn(128, 20), Kindling.randn(128, 30));   // [128, 40]
 * </pre>
 */
public class Bilinear extends Module {
    public final int in1Features;
    public final int in2Features;
    public final int outFeatures;
    public final Parameter weight;
    public final Parameter bias;

    public Bilinear(int in1Features, int in2Features, int outFeatures, boolean bias) {
        this.in1Features = in1Features;
        this.in2Features = in2Features;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight",
                new Parameter(Kindling.empty(outFeatures, in1Features, in2Features)));
        this.bias = bias ? registerParameter("bias", new Parameter(Kindling.empty(outFeatures))) : null;
        resetParameters();
    }

    public Bilinear(int in1Features, int in2Features, int outFeatures) {
        this(in1Features, in2Features, outFeatures, true);
    }

    public void resetParameters() {
        double bound = 1 / Math.sqrt(weight.size(1));
        Init.uniform_(weight, -bound, bound);
        if (bias != null) Init.uniform_(bias, -bound, bound);
    }

    public Tensor forward(Tensor input1, Tensor input2) {
        return F.bilinear(input1, input2, weight, bias);
    }

    @Override
    public String extraRepr() {
        return "in1_features=" + in1Features + ", in2_features=" + in2Features + ", out_features=" + outFeatures
                + ", bias=" + PyRepr.b(bias != null);
    }
}
