package org.kindling.data;

/**
 * A batch could not be produced: the sampler, a dataset {@code get}, or the collate function threw.
 * The message names the batch, the stage and, for a failed fetch, the dataset index; with worker
 * threads also the thread, e.g. {@code "DataLoader: batch 1 failed while fetching index 5 in
 * worker thread kindling-data-3: java.lang.IllegalStateException: corrupt record"}. The original
 * exception is the {@linkplain #getCause() cause}.
 *
 * <pre>
 * try {
 *     for (Batch b : loader) { ... }
 * } catch (DataLoaderException e) {
 *     e.batchIndex();   // 1
 *     e.getCause();     // what the dataset threw
 * }
 * </pre>
 */
public final class DataLoaderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int batchIndex;

    /** A failure of batch {@code batchIndex} (0-based, in sampler order). */
    public DataLoaderException(int batchIndex, String message, Throwable cause) {
        super(message, cause);
        this.batchIndex = batchIndex;
    }

    /** The 0-based position of the failed batch in the epoch. */
    public int batchIndex() {
        return batchIndex;
    }
}
