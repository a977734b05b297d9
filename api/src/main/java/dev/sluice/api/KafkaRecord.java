package dev.sluice.api;

import java.io.Serializable;

/**
 * One record read from Kafka by {@link StreamingContext#kafkaStream}: where it was read from
 * and its key and value, decoded as UTF-8.
 *
 * @param topic       the topic it was read from
 * @param partition   the topic partition
 * @param offset      its offset in that partition
 * @param timestampMs the record's timestamp (create or log-append time, as the topic says), epoch ms
 * @param key         the key as UTF-8 text; {@code null} when the record has no key
 * @param value       the value as UTF-8 text; {@code null} for a tombstone (a record with no value)
 */
public record KafkaRecord(String topic, int partition, long offset, long timestampMs, String key, String value)
        implements Serializable {
}
