package org.kindling.jit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.kindling.tensor.DType;

/**
 * A named value flowing along the edges of a {@link Graph}: a graph input, a constant, or a node output.
 * Its element type and shape are optional declarations (shapes may carry symbolic dims such as
 * {@code "batch"}). Values are identified by name; {@link #absent()} stands for an omitted optional
 * node input (ONNX's empty input name).
 *
 * <pre>
 * Value x = Value.of("x", DType.FLOAT32, List.of(Dim.symbolic("batch"), Dim.of(784)));
 * </pre>
 */
public final class Value {

    private static final Value ABSENT = new Value("", null, null);

    private final String name;
    private final DType dtype;
    private final List<Dim> shape;

    private Value(String name, DType dtype, List<Dim> shape) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape == null ? null : List.copyOf(shape);
    }

    /** A value with only a name (type and shape unknown). */
    public static Value of(String name) {
        return of(name, null, null);
    }

    /** A value with a name and optional dtype and shape (either may be null for unknown). */
    public static Value of(String name, DType dtype, List<Dim> shape) {
        Objects.requireNonNull(name, "value name");
        if (name.isEmpty()) throw new IllegalArgumentException("a value name must not be empty (use Value.absent() for an omitted input)");
        return new Value(name, dtype, shape);
    }

    /** The marker for an omitted optional node input. */
    public static Value absent() {
        return ABSENT;
    }

    public boolean isAbsent() {
        return this == ABSENT;
    }

    public String name() {
        return name;
    }

    public Optional<DType> dtype() {
        return Optional.ofNullable(dtype);
    }

    /** The declared shape, empty when unknown (a rank-0 shape is a present, empty list). */
    public Optional<List<Dim>> shape() {
        return Optional.ofNullable(shape);
    }

    /** The same name with another declared type. */
    public Value withType(DType newDtype, List<Dim> newShape) {
        if (isAbsent()) throw new IllegalStateException("the absent value has no type");
        return new Value(name, newDtype, newShape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Value v && v.name.equals(name) && v.dtype == dtype && Objects.equals(v.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        if (isAbsent()) return "<absent>";
        StringBuilder sb = new StringBuilder(name);
        if (dtype != null || shape != null) {
            sb.append(": ").append(dtype == null ? "?" : dtype.pytorchName());
            if (shape != null) sb.append(shape);
        }
        return sb.toString();
    }
}
