package org.kindling.tensor;

/**
 * Whether operations record an autograd graph, per thread ({@code torch.no_grad()} /
 * {@code torch.enable_grad()}). Use with try-with-resources; the previous mode comes back when
 * the block ends.
 *
 * <pre>
 * try (var g = GradMode.noGrad()) {
 *     w.sub_(w.grad().mul(0.1));    // not recorded
 * }
 * </pre>
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {}

    /** True when ops record the graph on this thread (the default). */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Turns recording off until the returned guard is closed. */
    public static Guard noGrad() {
        return set(false);
    }

    /** Turns recording on (inside a noGrad block) until the returned guard is closed. */
    public static Guard enableGrad() {
        return set(true);
    }

    /** Sets the mode until the returned guard is closed ({@code torch.set_grad_enabled}). */
    public static Guard set(boolean enabled) {
        boolean[] cell = ENABLED.get();
        boolean previous = cell[0];
        cell[0] = enabled;
        return new Guard(cell, previous);
    }

    /** Restores the previous mode on close. */
    public static final class Guard implements AutoCloseable {
        private final boolean[] cell;
        private final boolean previous;
        private boolean closed;

        private Guard(boolean[] cell, boolean previous) {
            this.cell = cell;
            this.previous = previous;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                cell[0] = previous;
            }
        }
    }
}
