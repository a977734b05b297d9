package dev.sluice.receiver.custom;

import dev.sluice.api.Receiver;
import dev.sluice.protocol.JobDefinition;

/** Finds the {@link Receiver} instance a custom source assignment names. */
@FunctionalInterface
public interface ReceiverResolver {

    /**
     * The receiver of source node {@code node} of {@code job}, from the job's
     * {@code definition}.
     *
     * @throws ReceiverDefinitionException when it cannot be had: an unknown job, a graph whose
     *                                     fingerprint differs, a node that is no custom source
     */
    Receiver<Object> resolve(String job, int node, JobDefinition definition) throws ReceiverDefinitionException;
}
