package dev.sluice.receiver.block;

/** Tells the coordinator that a stored block exists. */
@FunctionalInterface
public interface BlockReporter {

    /**
     * Reports {@code block} and returns once the coordinator has accepted it.
     *
     * @throws RuntimeException if the coordinator could not be reached or did not accept the
     *                          block; the caller retries
     */
    void report(Block block);
}
