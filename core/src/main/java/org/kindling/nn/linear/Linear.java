package org.kindling.nn.linear;

import org.kindling.Kindling;
import org.kindling.nn.F;
import org.kindling.nn.Init;
import org.kindling.nn.Module;
import org.kindling.nn.Parameter;
import org.kindling.nn.internal.PyRepr;
import org.kindling.tensor.Tensor;

/**
 * Applies {@code y = x A^T + b} ({@code nn.Linear}).
 *
 * <p>Args: {@code inFeatures} size of each input sample; {@code outFeatures} size of each output
 * sample; {@code bias} whether to learn an additive bias (default true).
 *
 * <p>Shape: input {@code (*, in_features)}, output {@code (*, out_features)}.
 *
 * <p>Attributes: {@code weight} {@code (out_features, in_features)} from
 * U(-1/sqrt(in_features), 1/sqrt(in_features)) (kaiming_uniform with a = sqrt(5)); {@code bias}
 * {@code (out_features)} from the same range.
 *
 * <pre>
 * Linear m = new Linear(20, 30);
 * Tensor out = m.forward(Kindling.randn(128, 20));   // [128, 30]
 * </pre>
 */
public class Linear extends Module {
    public final int inFeatures;
    public final int outFeatures;
    public final Parameter weight;
    public final Parameter bias;

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: in_features and out_features must be >= 0, got "
                    + inFeatures + " and " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", new Parameter(Kindling.empty(outFeatures, inFeatures)));
        this.bias = bias ? registerParameter("bias", new Parameter(Kindling.empty(outFeatures))) : null;
        resetParameters();
    }

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    /** Re-draws weight and bias with the default initialisation. */
    public void resetParameters() {
        Init.kaimingUniform_(weight, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu");
        if (bias != null) {
            double bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
            Init.uniform_(bias, -bound, bound);
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.linear(input, weight, bias);
    }

    @Override
    public String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + PyRepr.b(bias != null);
    }
}
