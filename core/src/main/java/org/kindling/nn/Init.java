package org.kindling.nn;

import java.util.Locale;
import org.kindling.Kindling;
import org.kindling.tensor.Generator;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;

/**
 * In-place weight initialisers ({@code torch.nn.init}). Each fills its tensor under
 * {@link GradMode#noGrad()} from the global {@link Generator} (so {@code Kindling.manualSeed}
 * makes initialisation reproducible) and returns it.
 *
 * <pre>
 * Tensor w = Kindling.empty(256, 784);
 * Init.kaimingUniform_(w, Math.sqrt(5), FanMode.FAN_IN, "leaky_relu");   // nn.Linear's default
 * Tensor b = Init.uniform_(Kindling.empty(256), -1 / Math.sqrt(784), 1 / Math.sqrt(784));
 * </pre>
 */
public final class Init {
    private Init() {}

    /** Which fan {@code kaiming*_} preserves: the forward pass ({@code fan_in}) or the backward pass ({@code fan_out}). */
    public enum FanMode { FAN_IN, FAN_OUT }

    private static Tensor fill(Tensor t, double[] values) {
        try (var g = GradMode.noGrad()) {
            t.copy_(Kindling.fromArray(values, t.shape().toArray()).to(t.dtype()));
        }
        return t;
    }

    /** Fills with U(a, b). */
    public static Tensor uniform_(Tensor t, double a, double b) {
        if (!(a <= b)) throw new IllegalArgumentException("uniform_: expected a <= b, got a=" + a + ", b=" + b);
        Generator g = Generator.global();
        double[] v = new double[t.numel()];
        synchronized (g) {
            for (int i = 0; i < v.length; i++) v[i] = a + (b - a) * g.nextDouble();
        }
        return fill(t, v);
    }

    /** Fills with U(0, 1). */
    public static Tensor uniform_(Tensor t) {
        return uniform_(t, 0, 1);
    }

    /** Fills with N(mean, std^2). */
    public static Tensor normal_(Tensor t, double mean, double std) {
        if (std < 0) throw new IllegalArgumentException("normal_: expected std >= 0, got " + std);
        Generator g = Generator.global();
        double[] v = new double[t.numel()];
        synchronized (g) {
            for (int i = 0; i < v.length; i++) v[i] = mean + std * g.nextGaussian();
        }
        return fill(t, v);
    }

    /** Fills with N(0, 1). */
    public static Tensor normal_(Tensor t) {
        return normal_(t, 0, 1);
    }

    public static Tensor constant_(Tensor t, double value) {
        try (var g = GradMode.noGrad()) {
            t.fill_(value);
        }
        return t;
    }

    public static Tensor zeros_(Tensor t) {
        return constant_(t, 0);
    }

    public static Tensor ones_(Tensor t) {
        return constant_(t, 1);
    }

    /** {@code [fan_in, fan_out]}: dim 1 and dim 0 sizes times the receptive field (the product of dims 2..). */
    public static int[] calculateFanInAndFanOut(Tensor t) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 "
                    + "dimensions");
        }
        int receptive = 1;
        for (int i = 2; i < t.dim(); i++) receptive *= t.size(i);
        return new int[] {t.size(1) * receptive, t.size(0) * receptive};
    }

    /**
     * The recommended gain for a nonlinearity: 1 for linear/conv/sigmoid, 5/3 for tanh, sqrt(2) for
     * relu, sqrt(2 / (1 + slope^2)) for leaky_relu (param = slope, default 0.01), 3/4 for selu.
     */
    public static double calculateGain(String nonlinearity, Double param) {
        String nl = nonlinearity.toLowerCase(Locale.ROOT);
        switch (nl) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
                    "sigmoid" -> {
                return 1;
            }
            case "tanh" -> {
                return 5.0 / 3;
            }
            case "relu" -> {
                return Math.sqrt(2.0);
            }
            case "leaky_relu" -> {
                double slope = param == null ? 0.01 : param;
                return Math.sqrt(2.0 / (1 + slope * slope));
            }
            case "selu" -> {
                return 3.0 / 4;
            }
            default -> throw new IllegalArgumentException("Unsupported nonlinearity " + nonlinearity);
        }
    }

    public static double calculateGain(String nonlinearity) {
        return calculateGain(nonlinearity, null);
    }

    /** U(-a, a) with {@code a = gain * sqrt(6 / (fan_in + fan_out))} (Glorot). */
    public static Tensor xavierUniform_(Tensor t, double gain) {
        int[] f = calculateFanInAndFanOut(t);
        double a = gain * Math.sqrt(6.0 / (f[0] + f[1]));
        return uniform_(t, -a, a);
    }

    public static Tensor xavierUniform_(Tensor t) {
        return xavierUniform_(t, 1);
    }

    /** N(0, std^2) with {@code std = gain * sqrt(2 / (fan_in + fan_out))}. */
    public static Tensor xavierNormal_(Tensor t, double gain) {
        int[] f = calculateFanInAndFanOut(t);
        return normal_(t, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])));
    }

    public static Tensor xavierNormal_(Tensor t) {
        return xavierNormal_(t, 1);
    }

    private static double kaimingStd(Tensor t, double a, FanMode mode, String nonlinearity) {
        int[] f = calculateFanInAndFanOut(t);
        int fan = mode == FanMode.FAN_IN ? f[0] : f[1];
        return calculateGain(nonlinearity, a) / Math.sqrt(fan);
    }

    /** U(-b, b) with {@code b = gain(nonlinearity, a) * sqrt(3 / fan)} (He). */
    public static Tensor kaimingUniform_(Tensor t, double a, FanMode mode, String nonlinearity) {
        double bound = Math.sqrt(3.0) * kaimingStd(t, a, mode, nonlinearity);
        return uniform_(t, -bound, bound);
    }

    /** PyTorch's defaults: a = 0, fan_in, leaky_relu. */
    public static Tensor kaimingUniform_(Tensor t) {
        return kaimingUniform_(t, 0, FanMode.FAN_IN, "leaky_relu");
    }

    /** N(0, std^2) with {@code std = gain(nonlinearity, a) / sqrt(fan)}. */
    public static Tensor kaimingNormal_(Tensor t, double a, FanMode mode, String nonlinearity) {
        return normal_(t, 0, kaimingStd(t, a, mode, nonlinearity));
    }

    public static Tensor kaimingNormal_(Tensor t) {
        return kaimingNormal_(t, 0, FanMode.FAN_IN, "leaky_relu");
    }

    /**
     * A (semi-)orthogonal matrix times {@code gain}: QR of a Gaussian matrix (modified Gram–Schmidt in
     * double), signs fixed by diag(R). Tensors of more than 2 dims are flattened after dim 0.
     */
    public static Tensor orthogonal_(Tensor t, double gain) {
        if (t.dim() < 2) throw new IllegalArgumentException("Only tensors with 2 or more dimensions are supported");
        int rows = t.size(0);
        int cols = t.numel() / rows;
        boolean transpose = rows < cols;
        int m = Math.max(rows, cols);
        int n = Math.min(rows, cols);
        // a[j] is column j (length m) of the m x n matrix to factor.
        double[][] a = new double[n][m];
        Generator g = Generator.global();
        synchronized (g) {
            double[] flat = new double[rows * cols];
            for (int i = 0; i < flat.length; i++) flat[i] = g.nextGaussian();
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    if (transpose) a[r][c] = flat[r * cols + c];
                    else a[c][r] = flat[r * cols + c];
                }
            }
        }
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < m; i++) dot += a[k][i] * a[j][i];
                for (int i = 0; i < m; i++) a[j][i] -= dot * a[k][i];
            }
            double norm = 0;
            for (int i = 0; i < m; i++) norm += a[j][i] * a[j][i];
            norm = Math.sqrt(norm);
            // R's diagonal is +norm, so Q is already sign-fixed (q *= sign(diag(R))).
            for (int i = 0; i < m; i++) a[j][i] = norm == 0 ? 0 : a[j][i] / norm;
        }
        double[] out = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) out[r * cols + c] = gain * (transpose ? a[r][c] : a[c][r]);
        }
        return fill(t, out);
    }

    public static Tensor orthogonal_(Tensor t) {
        return orthogonal_(t, 1);
    }
}
