package org.kindling.kernel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

class ErfTest {

    @Test
    void knownValues() {
        double[][] known = {
            {0.1, 0.1124629160182849}, {0.5, 0.5204998778130465}, {1, 0.8427007929497149},
            {2, 0.9953222650189527}, {3, 0.9999779095030014}, {-1.5, -0.9661051464753108},
            {5, 0.9999999999984626}};
        for (double[] kv : known) {
            assertEquals(kv[1], Erf.erf(kv[0]), 1e-14 * Math.abs(kv[1]), "erf(" + kv[0] + ")");
        }
    }

    @Test
    void specialValues() {
        assertEquals(0.0, Erf.erf(0.0), 0.0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Erf.erf(-0.0)), "erf(-0) = -0");
        assertEquals(1.0, Erf.erf(Double.POSITIVE_INFINITY), 0.0);
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY), 0.0);
        assertEquals(1.0, Erf.erf(7.0), 0.0);
        assertEquals(-1.0, Erf.erf(-30.0), 0.0);
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
        // Tiny arguments: erf(x) ~ 2x/sqrt(pi).
        assertEquals(2 / Math.sqrt(Math.PI) * 1e-10, Erf.erf(1e-10), 1e-25);
    }

    private static final MathContext MC = new MathContext(60);
    private static final BigDecimal PI = new BigDecimal(
            "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803");
    private static final BigDecimal TWO_OVER_SQRT_PI = BigDecimal.valueOf(2).divide(PI.sqrt(MC), MC);
    private static final BigDecimal NEGLIGIBLE = new BigDecimal("1e-40");

    /** erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1)), summed with 60 significant digits. */
    private static double erfReference(double xd) {
        BigDecimal x = new BigDecimal(xd);
        BigDecimal x2 = x.multiply(x, MC);
        BigDecimal power = x; // (-1)^n x^(2n+1) / n!
        BigDecimal sum = x;
        for (int n = 1; ; n++) {
            power = power.multiply(x2, MC).divide(BigDecimal.valueOf(-n), MC);
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), MC);
            sum = sum.add(term, MC);
            if (n > x2.doubleValue() && term.abs().compareTo(NEGLIGIBLE) < 0) break;
        }
        return sum.multiply(TWO_OVER_SQRT_PI, MC).doubleValue();
    }

    @Test
    void matchesHighPrecisionSeriesAcrossAllBranches() {
        // Covers |x| < 0.5, 0.5 <= |x| < 4 and |x| >= 4 (the three rational approximations), their
        // boundaries, and both signs. The worst error measured is under 4e-16 relative (2 ulps).
        double[] edges = {0.5, 4.0};
        for (double x = -6.0; x <= 6.0; x += 0.0731) check(x);
        for (double e : edges) {
            for (double x : new double[] {Math.nextDown(e), e, Math.nextUp(e), -e}) check(x);
        }
        for (double x = 1e-8; x < 0.5; x *= 3.7) check(x);
    }

    private static void check(double x) {
        double want = erfReference(x);
        double got = Erf.erf(x);
        assertTrue(Math.abs(got - want) <= 1e-15 * Math.abs(want),
                "erf(" + x + ") = " + got + ", expected " + want + " (diff " + (got - want) + ")");
    }

    @Test
    void oddAndMonotone() {
        double prev = -1;
        for (double x = -6; x <= 6; x += 0.01) {
            double e = Erf.erf(x);
            assertEquals(-e, Erf.erf(-x), 0.0, "erf is odd at " + x);
            assertTrue(e >= prev, "erf is non-decreasing at " + x);
            prev = e;
        }
    }
}
