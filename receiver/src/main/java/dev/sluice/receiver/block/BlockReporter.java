package dev.sluice.receiver.block;

/** Tells the coordinator that a stored block exists. */
@FunctionalInterface
public interface BlockReporter {

    /** How the coordinator took a report. */
    enum Outcome {
        /** It knows the block now: keep it until it is processed. */
        ACCEPTED,
        /** It had the block before and every batch that reads it is done: drop it. */
        ALREADY_PROCESSED
    }

    /**
     * Reports {@code block} and returns once the coordinator has taken it.
     *
     * @throws RuntimeException if the coordinator could not be reached or did not accept the
     *                          block; the caller retries
     */
    Outcome report(Block block);
}
