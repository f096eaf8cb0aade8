package org.kindling.tensor;

import java.util.Objects;

/**
 * Where a tensor's storage lives. Only the CPU is implemented in this release; the type is in
 * signatures so that callers do not change when CUDA arrives.
 *
 * <pre>
 * Device d = Device.CPU;
 * Device g = Device.parse("cuda:0");
 * </pre>
 */
public final class Device {
    /** Device types, as PyTorch's {@code torch.device.type}. */
    public enum Type { CPU, CUDA }

    /** The host CPU. */
    public static final Device CPU = new Device(Type.CPU, -1);

    private final Type type;
    private final int index;

    private Device(Type type, int index) {
        this.type = type;
        this.index = index;
    }

    /** The CUDA device with the given ordinal. */
    public static Device cuda(int index) {
        if (index < 0) throw new IllegalArgumentException("cuda device index must be >= 0, got " + index);
        return new Device(Type.CUDA, index);
    }

    /** Parses {@code "cpu"}, {@code "cuda"} or {@code "cuda:N"}. */
    public static Device parse(String spec) {
        Objects.requireNonNull(spec, "spec");
        String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("cpu")) return CPU;
        if (s.equals("cuda")) return cuda(0);
        if (s.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(s.substring(5)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad device '" + spec + "': expected cpu, cuda or cuda:N");
            }
        }
        throw new IllegalArgumentException("bad device '" + spec + "': expected cpu, cuda or cuda:N");
    }

    public Type type() {
        return type;
    }

    /** The ordinal for CUDA devices, -1 for the CPU. */
    public int index() {
        return index;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device d && d.type == type && d.index == index;
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + index;
    }

    @Override
    public String toString() {
        return type == Type.CPU ? "cpu" : "cuda:" + index;
    }
}
