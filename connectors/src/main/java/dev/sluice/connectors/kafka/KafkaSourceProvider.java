package dev.sluice.connectors.kafka;

import dev.sluice.engine.source.DirectSource;
import dev.sluice.engine.source.DirectSourceProvider;
import dev.sluice.engine.source.KafkaSourceConfig;

import java.util.Map;

/** Makes the {@link KafkaDirectSource}s of {@code kafkaStream}s (kind {@code kafka}). */
public final class KafkaSourceProvider implements DirectSourceProvider {

    @Override
    public String kind() {
        return KafkaSourceConfig.KIND;
    }

    @Override
    public DirectSource create(Map<String, String> config) {
        return new KafkaDirectSource(KafkaSourceConfig.fromMap(config));
    }

    /** Checks the Kafka consumer settings ({@code kafka.*}) as a source would, connecting nowhere. */
    @Override
    public void validate(Map<String, String> config) {
        KafkaDirectSource.consumerSettings(KafkaSourceConfig.fromMap(config));
    }
}
