package org.kindling.nn.normalization;

import org.kindling.Kindling;
import org.kindling.nn.F;
import org.kindling.nn.Init;
import org.kindling.nn.Module;
import org.kindling.nn.Parameter;
import org.kindling.nn.internal.PyRepr;
import org.kindling.tensor.Tensor;

/**
 * Normalizes each group of {@code numChannels / numGroups} channels, then applies a per-channel
 * affine ({@code nn.GroupNorm}).
 *
 * <p>Args: {@code numGroups}; {@code numChannels} (divisible by numGroups); {@code eps} (default
 * 1e-5); {@code affine} (default true).
 *
 * <p>Shape: {@code (N, C, *)} to the same shape. Attributes: {@code weight} (ones) and
 * {@code bias} (zeros) of shape {@code (C)}.
 *
 * <pre>
 * GroupNorm gn = new GroupNorm(3, 6);
 * Tensor y = gn.forward(Kindling.randn(20, 6, 10, 10));
 * </pre>
 */
public class GroupNorm extends Module {
    public final int numGroups;
    public final int numChannels;
    public final double eps;
    public final boolean affine;
    public final Parameter weight;
    public final Parameter bias;

    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
        if (numGroups <= 0 || numChannels % numGroups != 0) {
            throw new IllegalArgumentException("num_channels must be divisible by num_groups, got " + numChannels
                    + " and " + numGroups);
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        this.affine = affine;
        this.weight = affine ? registerParameter("weight", new Parameter(Kindling.empty(numChannels))) : null;
        this.bias = affine ? registerParameter("bias", new Parameter(Kindling.empty(numChannels))) : null;
        resetParameters();
    }

    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, 1e-5, true);
    }

    public void resetParameters() {
        if (affine) {
            Init.ones_(weight);
            Init.zeros_(bias);
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() < 2 || input.size(1) != numChannels) {
            throw new IllegalArgumentException("GroupNorm: expected input with " + numChannels + " channels, got "
                    + input.shape());
        }
        return F.groupNorm(input, numGroups, weight, bias, eps);
    }

    @Override
    public String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + PyRepr.f(eps) + ", affine=" + PyRepr.b(affine);
    }
}
