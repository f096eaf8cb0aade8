package org.kindling.nn.internal;

import org.kindling.Kindling;
import org.kindling.nn.Init;
import org.kindling.nn.Parameter;

/** PyTorch's default initialisations of the conv, recurrent and attention layers, on top of {@link Init}. */
public final class Inits {
    private Inits() {}

    /** Fills {@code p} from U(-bound, bound) in place, keeping its dtype. */
    public static void uniform(Parameter p, double bound) {
        Init.uniform_(p, -bound, bound);
    }

    /** PyTorch's kaiming_uniform_(a=sqrt(5)) for layer weights: U(-1/sqrt(fanIn), 1/sqrt(fanIn)). */
    public static void kaimingUniformA5(Parameter p, int fanIn) {
        uniform(p, fanIn > 0 ? 1.0 / Math.sqrt(fanIn) : 0);
    }

    /** Xavier (Glorot) uniform: U(-b, b) with b = sqrt(6 / (fanIn + fanOut)). */
    public static void xavierUniform(Parameter p, int fanIn, int fanOut) {
        uniform(p, Math.sqrt(6.0 / (fanIn + fanOut)));
    }

    public static void zeros(Parameter p) {
        Init.zeros_(p);
    }

    public static Parameter empty(int... shape) {
        return new Parameter(Kindling.zeros(shape));
    }

    static String ints(int[] a) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < a.length; i++) sb.append(i > 0 ? ", " : "").append(a[i]);
        return sb.append(a.length == 1 ? ",)" : ")").toString();
    }

    /** PyTorch's tuple printout: {@code (3, 3)}. */
    public static String tuple(int... a) {
        return ints(a);
    }
}
