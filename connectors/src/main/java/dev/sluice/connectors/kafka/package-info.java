/**
 * Kafka for Sluice jobs.
 *
 * <p>{@link dev.sluice.connectors.kafka.KafkaDirectSource} is the direct source behind
 * {@code StreamingContext.kafkaStream(...)}, found by the engine through
 * {@link dev.sluice.connectors.kafka.KafkaSourceProvider} (ServiceLoader, kind {@code kafka}):
 * the coordinator gives each batch an offset range per topic partition (capped by
 * {@code maxRatePerPartition}) and commits the ranges' ends to the consumer group once the
 * batch's outputs are done; workers read exactly those ranges. Nothing is received ahead of
 * time and no consumer joins the group.
 *
 * <p>{@link dev.sluice.connectors.kafka.KafkaSink} writes each batch of a stream to a topic in
 * one Kafka transaction, skipping batches it wrote before; readers that use
 * {@code isolation.level=read_committed} see every batch once and whole.
 *
 * <p>Together, with a job that only reads Kafka and writes through an idempotent sink (this
 * one or the JDBC sink), each record's effect lands once. The client is
 * {@code org.apache.kafka:kafka-clients} (the version the Quarkus BOM manages); the tests run
 * against a Kafka 4.1 broker in KRaft mode.
 */
package dev.sluice.connectors.kafka;
