package org.kindling.bench.compare;

/** One engine in the comparison: Kindling or libtorch (through DJL). */
interface Side extends AutoCloseable {
    String name();

    /** The operands of {@code c}, made from the same float data on both sides. */
    Prepared prepare(Case c, float[][] operands) throws Exception;

    /** A case ready to time on one side. */
    interface Prepared extends AutoCloseable {
        /** One call of the op, result allocated and dropped (or freed) as the engine does. */
        void call() throws Exception;

        /** One call's result, row-major, to check that both sides compute the same thing. */
        float[] result() throws Exception;

        @Override
        default void close() throws Exception {}
    }

    @Override
    default void close() throws Exception {}
}
