package org.kindling.kernel.internal;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Float arrays handed back by the inference executor when an intermediate value dies, and taken again by the
 * kernels that allocate outputs while a run is in progress on the same thread, so a network's activations
 * are not allocated (and zeroed) afresh on every run. Outside a run {@link #floats} is {@code new float[n]}.
 * A pooled array is not zeroed: only kernels that write every element of their output take from it.
 *
 * <p>One pool per thread, capped at {@link #MAX_BYTES}; runs may nest (subgraphs), the pool is active until
 * the outermost one exits.
 */
public final class ArrayPool {

    /** Bytes a thread's pool keeps at most; arrays handed back beyond it are left to the garbage collector. */
    static final long MAX_BYTES = Long.getLong("kindling.executor.poolBytes", 256L << 20);

    /** Arrays shorter than this are not worth pooling. */
    private static final int MIN_LENGTH = 1 << 12;

    private static final ThreadLocal<ArrayPool> POOL = ThreadLocal.withInitial(ArrayPool::new);

    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    private long bytes;
    private int depth;

    private ArrayPool() {}

    /** Starts (or nests into) a run on this thread; pair with {@link #exit()}. */
    public static ArrayPool enter() {
        ArrayPool p = POOL.get();
        p.depth++;
        return p;
    }

    /** Ends the run begun by the matching {@link #enter()}. */
    public void exit() {
        depth--;
    }

    /**
     * An array of exactly {@code n} floats whose contents are garbage when a run is active on this thread (the
     * caller must write every element), else a fresh zeroed one.
     */
    public static float[] floats(int n) {
        if (n >= MIN_LENGTH) {
            ArrayPool p = POOL.get();
            if (p.depth > 0) {
                ArrayDeque<float[]> q = p.free.get(n);
                if (q != null && !q.isEmpty()) {
                    float[] a = q.pop();
                    p.bytes -= 4L * a.length;
                    return a;
                }
            }
        }
        return new float[n];
    }

    /** Hands back an array nothing will read again. */
    public void give(float[] a) {
        if (a.length < MIN_LENGTH || bytes + 4L * a.length > MAX_BYTES) return;
        free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
        bytes += 4L * a.length;
    }

    /** Bytes held now (for tests). */
    public long heldBytes() {
        return bytes;
    }
}
