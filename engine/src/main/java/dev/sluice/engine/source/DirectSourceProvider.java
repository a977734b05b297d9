package dev.sluice.engine.source;

import java.util.Map;

/**
 * Makes {@link DirectSource}s of one kind, found with {@link java.util.ServiceLoader}: list
 * the implementation in {@code META-INF/services/dev.sluice.engine.source.DirectSourceProvider}.
 * The Kafka source ({@code kafka}) lives in {@code sluice-connectors}.
 */
public interface DirectSourceProvider {

    /** The kind of source this provider makes, e.g. {@code kafka}. */
    String kind();

    /**
     * A source configured by {@code config}, the map the job definition recorded. Must not
     * connect anywhere: connections are made on first use.
     *
     * @throws IllegalArgumentException naming the source and the setting when the config is bad
     */
    DirectSource create(Map<String, String> config);

    /**
     * Checks {@code config} when a job is defined, without connecting anywhere, so that bad
     * settings fail the definition rather than every batch. By default nothing is checked.
     *
     * @throws IllegalArgumentException naming the source and the setting when the config is bad
     */
    default void validate(Map<String, String> config) {
    }
}
