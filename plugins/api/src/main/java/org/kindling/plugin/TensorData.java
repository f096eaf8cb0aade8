package org.kindling.plugin;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor as a neutral immutable value: element type, shape and row-major values. It crosses the boundary between
 * hosts and plugins (prediction inputs and outputs) without either side sharing core's classes. Values are kept as
 * doubles, which hold every float32, int32 and bool exactly and int64 up to 2^53.
 *
 * <pre>
 * TensorData x = TensorData.float32(new int[] {1, 2}, 0.5f, -1.0f);
 * x.numel();          // 2
 * x.get(0);           // 0.5
 * x.toFloatArray();   // {0.5f, -1.0f}
 * </pre>
 */
public final class TensorData {

    private final ElementType type;
    private final int[] shape;
    private final double[] values;

    /**
     * @param type element type
     * @param shape dimensions, each &gt;= 0
     * @param values row-major values, as many as the shape holds
     * @throws IllegalArgumentException when a dimension is negative or the count does not match the shape
     */
    public TensorData(ElementType type, int[] shape, double[] values) {
        this.type = Objects.requireNonNull(type, "type");
        this.shape = shape.clone();
        long n = 1;
        for (int d : this.shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor dimensions must be >= 0, got shape " + Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " is too large");
            }
        }
        if (values.length != n) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " values, got "
                    + values.length);
        }
        this.values = values.clone();
    }

    /**
     * @param shape dimensions
     * @param values row-major float32 values
     * @return a FLOAT32 tensor
     */
    public static TensorData float32(int[] shape, float... values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return new TensorData(ElementType.FLOAT32, shape, d);
    }

    /** @return the element type */
    public ElementType type() {
        return type;
    }

    /** @return a copy of the shape */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of elements */
    public int numel() {
        return values.length;
    }

    /** @param index row-major index @return the value there */
    public double get(int index) {
        return values[index];
    }

    /** @return a copy of the values */
    public double[] values() {
        return values.clone();
    }

    /** @return the values as floats */
    public float[] toFloatArray() {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData && ((TensorData) o).type == type && Arrays.equals(((TensorData) o).shape, shape)
                && Arrays.equals(((TensorData) o).values, values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, Arrays.hashCode(shape), Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        String v = values.length <= 8 ? Arrays.toString(values) : Arrays.toString(Arrays.copyOf(values, 8)) + "...";
        return "TensorData(" + type + ", " + Arrays.toString(shape) + ", " + v + ")";
    }
}
