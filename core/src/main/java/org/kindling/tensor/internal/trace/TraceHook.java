package org.kindling.tensor.internal.trace;

import org.kindling.tensor.Function;
import org.kindling.tensor.Tensor;

/**
 * The link between the engine and a running trace. Only top-level ops are reported: while a
 * function's forward runs (or a description is written) the trace is suspended, so the ops
 * inside it take the engine's direct path. When no trace runs anywhere, every check is a read of
 * one static field, so ops pay nothing measurable.
 */
public final class TraceHook {

    /** Receives the top-level ops of a forward pass on the thread that started the trace. */
    public interface Listener {
        /**
         * Called after a top-level function's forward; returns the tensor the caller gets (a fresh
         * object when the forward returned one of its inputs).
         */
        Tensor record(Function f, Tensor[] inputs, Tensor output);

        /** A top-level in-place op replaced the contents of {@code target} by those of the recorded {@code result}. */
        void rebind(Tensor target, Tensor result);
    }

    /** Stops the trace it was returned for. */
    public interface Handle extends AutoCloseable {
        @Override
        void close();
    }

    private static final class State {
        final Listener listener;
        int suspended;

        State(Listener listener) {
            this.listener = listener;
        }
    }

    private static final ThreadLocal<State> CURRENT = new ThreadLocal<>();
    private static volatile int active;

    private TraceHook() {}

    /** The listener of this thread when it is tracing and not suspended, else null. */
    public static Listener listener() {
        if (active == 0) return null;
        State s = CURRENT.get();
        return s == null || s.suspended > 0 ? null : s.listener;
    }

    /** True when this thread records top-level ops now: every op must go through {@link Function#apply}. */
    public static boolean tracing() {
        return listener() != null;
    }

    /** Suspends recording on this thread (nestable); pair with {@link #resume()}. */
    public static void suspend() {
        State s = CURRENT.get();
        if (s != null) s.suspended++;
    }

    public static void resume() {
        State s = CURRENT.get();
        if (s != null) s.suspended--;
    }

    /** Starts delivering this thread's top-level ops to {@code l}; close the returned handle to stop. */
    public static Handle start(Listener l) {
        if (CURRENT.get() != null) throw new IllegalStateException("a trace is already running on this thread");
        synchronized (TraceHook.class) {
            active++;
        }
        CURRENT.set(new State(l));
        return () -> {
            CURRENT.remove();
            synchronized (TraceHook.class) {
                active--;
            }
        };
    }
}
