package dev.sluice.engine.exec;

/**
 * What a finished task reports.
 *
 * @param location where the task ran; for a shuffle-map task, where its output can be fetched
 * @param result   what a result task returns for its output operation's {@code finish}
 */
public record TaskOutcome(String location, byte[] result) {
}
