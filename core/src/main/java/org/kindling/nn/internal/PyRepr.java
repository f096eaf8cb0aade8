package org.kindling.nn.internal;

import java.math.BigDecimal;

/** Python's {@code repr} of numbers and booleans, for PyTorch-identical {@code extraRepr()} text. */
public final class PyRepr {
    private PyRepr() {}

    /** {@code repr(float)}: 0.1, 1.0, 1e-05, 1e+16, inf, nan. */
    public static String f(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return (1 / v < 0) ? "-0.0" : "0.0";
        BigDecimal bd = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - bd.scale(); // decimal exponent of the first digit
        String sign = v < 0 ? "-" : "";
        if (exp < -4 || exp >= 16) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        String plain = bd.abs().toPlainString();
        if (!plain.contains(".")) plain += ".0";
        return sign + plain;
    }

    /** A number that PyTorch's defaults give as an int (beta=1) printed without ".0" when integral. */
    public static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : f(v);
    }

    /** {@code repr(bool)}: True / False. */
    public static String b(boolean v) {
        return v ? "True" : "False";
    }

    /** {@code repr(tuple)} of ints: (3,), (2, 5). */
    public static String tuple(int... v) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(v[i]);
        }
        if (v.length == 1) sb.append(',');
        return sb.append(')').toString();
    }
}
