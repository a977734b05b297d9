package dev.sluice.engine.exec;

/** Hears when one batch starts and ends; both calls come on the thread that runs the batch. */
public interface BatchListener {

    /** The batch starts running. */
    default void started() {
    }

    /**
     * The batch ended, after every batch before it ended, and before any batch after it can
     * end.
     *
     * @param tasks   the number of tasks that ran, recomputations included
     * @param failure why the batch failed ({@link TaskFailedException}, {@link OutputFailedException}),
     *                or {@code null} when it succeeded
     */
    void ended(int tasks, RuntimeException failure);
}
