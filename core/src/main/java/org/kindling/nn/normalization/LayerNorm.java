package org.kindling.nn.normalization;

import org.kindling.Kindling;
import org.kindling.nn.F;
import org.kindling.nn.Init;
import org.kindling.nn.Module;
import org.kindling.nn.Parameter;
import org.kindling.nn.internal.PyRepr;
import org.kindling.tensor.Tensor;

/**
 * Normalizes over the trailing {@code normalizedShape} dims, then applies an element-wise affine
 * ({@code nn.LayerNorm}).
 *
 * <p>Args: {@code normalizedShape}; {@code eps} (default 1e-5); {@code elementwiseAffine} (default true).
 *
 * <p>Shape: {@code (*, normalized_shape)} to the same shape.
 *
 * <p>Attributes: {@code weight} (ones) and {@code bias} (zeros) of shape {@code normalized_shape}.
 *
 * <pre>
 * LayerNorm ln = new LayerNorm(new int[] {10}, 1e-5, true);
 * Tensor y = ln.forward(Kindling.randn(20, 5, 10));
 * </pre>
 */
public class LayerNorm extends Module {
    private final int[] normalizedShape;
    public final double eps;
    public final boolean elementwiseAffine;
    public final Parameter weight;
    public final Parameter bias;

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0) throw new IllegalArgumentException("LayerNorm: normalized_shape must be non-empty");
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        this.weight = elementwiseAffine ? registerParameter("weight", new Parameter(Kindling.empty(normalizedShape))) : null;
        this.bias = elementwiseAffine ? registerParameter("bias", new Parameter(Kindling.empty(normalizedShape))) : null;
        resetParameters();
    }

    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    public int[] normalizedShape() {
        return normalizedShape.clone();
    }

    public void resetParameters() {
        if (elementwiseAffine) {
            Init.ones_(weight);
            Init.zeros_(bias);
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.layerNorm(input, normalizedShape, weight, bias, eps);
    }

    @Override
    public String extraRepr() {
        return PyRepr.tuple(normalizedShape) + ", eps=" + PyRepr.f(eps) + ", elementwise_affine="
                + PyRepr.b(elementwiseAffine);
    }
}
