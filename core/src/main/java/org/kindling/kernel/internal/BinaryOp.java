package org.kindling.kernel.internal;

/** Float32 binary elementwise primitives; {@link #apply} is the reference definition. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, MAX, MIN, POW,
    /** Python-style remainder: the result has the sign of the divisor. */
    REMAINDER,
    /** Floor of the true quotient. */
    FLOOR_DIVIDE;

    public float apply(float a, float b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            // PyTorch's maximum/minimum propagate NaN.
            case MAX -> (a != a || b != b) ? Float.NaN : Math.max(a, b);
            case MIN -> (a != a || b != b) ? Float.NaN : Math.min(a, b);
            case POW -> (float) Math.pow(a, b);
            case REMAINDER -> {
                float r = a % b;
                yield (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
            }
            case FLOOR_DIVIDE -> (float) Math.floor(a / b);
        };
    }

    public double apply(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> (a != a || b != b) ? Double.NaN : Math.max(a, b);
            case MIN -> (a != a || b != b) ? Double.NaN : Math.min(a, b);
            case POW -> Math.pow(a, b);
            case REMAINDER -> {
                double r = a % b;
                yield (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
            }
            case FLOOR_DIVIDE -> Math.floor(a / b);
        };
    }

    /** Integer semantics (DIV is not integral; callers promote it to float first). */
    public long apply(long a, long b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> throw new IllegalStateException("true division is not an integer op");
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case POW -> {
                if (b < 0) {
                    if (a == 1) yield 1;
                    if (a == -1) yield (b & 1) == 0 ? 1 : -1;
                    // As PyTorch's integer pow: |base| > 1 (and 0) to a negative power truncates to 0.
                    yield 0;
                }
                long r = 1;
                long base = a;
                long e = b;
                while (e > 0) {
                    if ((e & 1) != 0) r *= base;
                    base *= base;
                    e >>= 1;
                }
                yield r;
            }
            case REMAINDER -> {
                if (b == 0) throw new ArithmeticException("remainder: ZeroDivisionError (integer division by zero)");
                yield Math.floorMod(a, b);
            }
            case FLOOR_DIVIDE -> {
                if (b == 0) throw new ArithmeticException("floorDivide: ZeroDivisionError (integer division by zero)");
                yield Math.floorDiv(a, b);
            }
        };
    }
}
