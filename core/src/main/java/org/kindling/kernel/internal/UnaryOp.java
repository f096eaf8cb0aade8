package org.kindling.kernel.internal;

/** Float unary elementwise primitives; {@link #apply(double)} is the reference definition. */
public enum UnaryOp {
    NEG, ABS, SIGN, SQUARE, EXP, LOG, LOG1P, EXPM1, SQRT, RSQRT, RECIPROCAL, SIN, COS, TANH, SIGMOID,
    RELU, SILU, GELU, GELU_TANH, SOFTPLUS, FLOOR, CEIL, ROUND;

    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
    private static final double INV_SQRT_2 = 1.0 / Math.sqrt(2.0);

    public float apply(float x) {
        return (float) apply((double) x);
    }

    public double apply(double x) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            // torch.sign(nan) is 0.
            case SIGN -> x != x ? 0.0 : Math.signum(x);
            case SQUARE -> x * x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case EXPM1 -> Math.expm1(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1.0 / Math.sqrt(x);
            case RECIPROCAL -> 1.0 / x;
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
            // NaN stays NaN, like PyTorch's relu.
            case RELU -> x > 0 || x != x ? x : 0.0;
            case SILU -> x * (x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x)));
            case GELU -> 0.5 * x * (1.0 + Erf.erf(x * INV_SQRT_2));
            case GELU_TANH -> 0.5 * x * (1.0 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
            // PyTorch's softplus with beta=1, threshold=20: linear above the threshold.
            case SOFTPLUS -> x > 20 ? x : Math.log1p(Math.exp(x));
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            // Round half to even, as torch.round.
            case ROUND -> Math.rint(x);
        };
    }
}
