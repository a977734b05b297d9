package dev.sluice.connectors.kafka;

import dev.sluice.api.Batch;
import dev.sluice.api.BatchConsumer;
import dev.sluice.api.Pair;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Writes every batch of a stream to a Kafka topic, exactly once per batch: pass it to
 * {@link dev.sluice.api.DStream#foreachBatch}.
 *
 * <pre>{@code
 * counts.foreachBatch(KafkaSink.pairs("kafka:9092", "word-counts"));
 * }</pre>
 *
 * <p>Each non-empty batch is one Kafka transaction of an idempotent, transactional producer
 * whose {@code transactional.id} is {@code sluice-sink-<name>} (the name is the topic unless
 * {@link #named} says otherwise). Every record carries the header {@value #BATCH_TIME_HEADER}
 * with the batch time in milliseconds (decimal text). In the same transaction the sink
 * commits the batch time as the offset of partition 0 of the topic for the consumer group
 * {@code sluice-sink-<name>}: its progress. Before writing a batch it reads that progress and
 * skips a batch at or before the last one written, so a batch run again (a retry after an
 * unknown outcome, a replay after a coordinator restart) is not written twice. This assumes,
 * as the coordinator guarantees, that a sink sees its batches in time order. Starting the
 * producer fences any earlier producer with the same transactional id and aborts its open
 * transaction.
 *
 * <p>What a reader must do to see each batch once: read with
 * {@code isolation.level=read_committed}. Then it sees whole batches only: the records of a
 * batch whose write failed (an element the key or value function cannot turn into text, a
 * broker error, a process that died or a sink closed in the middle of the batch) are aborted
 * and never delivered. A reader with the default {@code read_uncommitted} also gets those
 * aborted records. The {@value #BATCH_TIME_HEADER} header lets a reader group records by
 * batch.
 *
 * <p>Keys and values are written as UTF-8 text; a {@code null} key or value is written as no
 * key or a tombstone. Two sinks writing the same topic need different names. The producer is
 * made on the first non-empty batch and kept until {@link #close}; settings are Kafka producer
 * settings ({@link #withSettings}), checked when given. The sink runs where batches are
 * finished (the coordinator), once per batch.
 *
 * @param <T> the stream's element type
 */
public final class KafkaSink<T> implements BatchConsumer<T>, AutoCloseable {

    /** The header holding a record's batch time in milliseconds, as decimal text. */
    public static final String BATCH_TIME_HEADER = "sluice-batch-time";

    private static final System.Logger LOG = System.getLogger(KafkaSink.class.getName());
    private static final long DEFAULT_TIMEOUT_MS = 30_000;
    private static final Set<String> RESERVED = Set.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

    private final String bootstrapServers;
    private final String topic;
    private final String name;
    private final Map<String, String> settings;
    private final Function<? super T, String> key;
    private final Function<? super T, String> value;
    private final Map<String, Object> producerSettings;
    private final Map<String, Object> adminSettings;
    private final long timeoutMs;

    private Producer<byte[], byte[]> producer;
    private Admin admin;
    // The last batch this instance committed. The group's offset shows a transaction's commit a
    // moment after commitTransaction returns (the markers are written after it), so a read of
    // it right after may still miss the batch just written.
    private long committedMs = -1;

    private KafkaSink(String bootstrapServers, String topic, String name, Map<String, String> settings,
                      Function<? super T, String> key, Function<? super T, String> value) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.name = name;
        this.settings = Map.copyOf(settings);
        this.key = key;
        this.value = value;
        String what = describe();
        for (String k : settings.keySet()) {
            if (RESERVED.contains(k)) {
                throw new IllegalArgumentException(what + ": the producer setting '" + k + "' is one the sink makes itself");
            }
        }
        Map<String, Object> p = new HashMap<>(settings);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId());
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) DEFAULT_TIMEOUT_MS);
        Map<String, Object> checked = new HashMap<>(p);
        checked.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        checked.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        KafkaClients.check(ProducerConfig.configDef(), checked, what);
        this.producerSettings = Map.copyOf(p);
        this.timeoutMs = ((Number) ProducerConfig.configDef().parse(checked).get(ProducerConfig.MAX_BLOCK_MS_CONFIG)).longValue();
        this.adminSettings = KafkaClients.adminSettings(p, timeoutMs);
    }

    /**
     * A sink writing each element's {@code key} and {@code value} text to {@code topic}.
     *
     * @param bootstrapServers {@code host:port[,host:port...]} of brokers
     * @throws IllegalArgumentException when the servers or topic are empty
     */
    public static <T> KafkaSink<T> of(String bootstrapServers, String topic, Function<? super T, String> key,
                                      Function<? super T, String> value) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("Kafka sink: the topic is empty");
        }
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("Kafka sink for topic " + topic + ": the bootstrap servers are empty");
        }
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return new KafkaSink<>(bootstrapServers.trim(), topic, topic, Map.of(), key, value);
    }

    /** A sink writing each string as a record value without a key. */
    public static KafkaSink<String> values(String bootstrapServers, String topic) {
        return of(bootstrapServers, topic, s -> null, s -> s);
    }

    /** A sink writing each pair as a record: the key's text as the key, the value's text as the value. */
    public static <K, V> KafkaSink<Pair<K, V>> pairs(String bootstrapServers, String topic) {
        return of(bootstrapServers, topic, p -> text(p.first()), p -> text(p.second()));
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }

    /**
     * The same sink under another name: its transactional id and progress group are
     * {@code sluice-sink-<name>}. Needed when two sinks write the same topic.
     */
    public KafkaSink<T> named(String sinkName) {
        if (sinkName == null || sinkName.isBlank()) {
            throw new IllegalArgumentException(describe() + ": sink name is empty");
        }
        return new KafkaSink<>(bootstrapServers, topic, sinkName, settings, key, value);
    }

    /**
     * The same sink with these Kafka producer settings added (security, {@code compression.type},
     * {@code max.block.ms} — how long a write may wait for the brokers, default 30000 — and so on).
     *
     * @throws IllegalArgumentException naming the sink and topic when a setting is malformed, or is
     *                                  one the sink makes itself ({@code bootstrap.servers},
     *                                  {@code transactional.id}, {@code enable.idempotence}, serializers)
     */
    public KafkaSink<T> withSettings(Map<String, String> producerSettings) {
        Map<String, String> all = new TreeMap<>(settings);
        all.putAll(producerSettings);
        return new KafkaSink<>(bootstrapServers, topic, name, all, key, value);
    }

    public String name() {
        return name;
    }

    public String topic() {
        return topic;
    }

    /** The producer's {@code transactional.id}. */
    public String transactionalId() {
        return "sluice-sink-" + name;
    }

    /** The consumer group whose offset on partition 0 of the topic records the last batch written. */
    public String progressGroup() {
        return "sluice-sink-" + name;
    }

    /**
     * Writes the batch in one transaction, unless it was written before.
     *
     * @throws KafkaSinkException if it cannot be written; nothing of it becomes visible to
     *                            {@code read_committed} readers
     */
    @Override
    public synchronized void accept(Batch<T> batch, long batchTimeMs) {
        List<T> elements = batch.collect();
        if (elements.isEmpty()) {
            return;
        }
        Producer<byte[], byte[]> p = producer(batchTimeMs);
        OptionalLong last = lastWritten(batchTimeMs);
        if (last.isPresent() && batchTimeMs <= last.getAsLong()) {
            LOG.log(System.Logger.Level.INFO, () -> describe() + ": batch " + batchTimeMs + " is at or before batch "
                    + last.getAsLong() + ", the last one written; not writing it again");
            return;
        }
        List<Header> headers = List.of(new RecordHeader(BATCH_TIME_HEADER,
                Long.toString(batchTimeMs).getBytes(StandardCharsets.UTF_8)));
        AtomicReference<Exception> sendFailure = new AtomicReference<>();
        try {
            p.beginTransaction();
            for (T element : elements) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, null,
                        bytes(key.apply(element)), bytes(value.apply(element)), headers);
                p.send(record, (metadata, e) -> {
                    if (e != null) {
                        sendFailure.compareAndSet(null, e);
                    }
                });
            }
            p.sendOffsetsToTransaction(Map.of(new TopicPartition(topic, 0),
                    new OffsetAndMetadata(batchTimeMs, "sluice batch " + batchTimeMs)), new ConsumerGroupMetadata(progressGroup()));
            p.commitTransaction();
            committedMs = Math.max(committedMs, batchTimeMs);
        } catch (RuntimeException e) {
            Exception cause = sendFailure.get() != null ? sendFailure.get() : e;
            abort(p, e);
            throw new KafkaSinkException(name, topic, batchTimeMs, detail(cause), e);
        } catch (Error e) {
            closeProducer();
            throw e;
        }
    }

    /** Aborts the open transaction; a producer that cannot go on is closed, and the next batch makes a new one. */
    private void abort(Producer<byte[], byte[]> p, RuntimeException failure) {
        boolean fatal = failure instanceof ProducerFencedException || failure instanceof OutOfOrderSequenceException
                || failure instanceof AuthorizationException || failure instanceof UnsupportedVersionException
                || failure instanceof InvalidProducerEpochException || failure instanceof IllegalStateException;
        if (!fatal) {
            try {
                p.abortTransaction();
                return;
            } catch (RuntimeException abortFailure) {
                failure.addSuppressed(abortFailure);
            }
        }
        // Closing leaves an open transaction to the broker, which aborts it when the next producer
        // with this transactional id starts, or when the transaction times out.
        closeProducer();
    }

    private String detail(Exception e) {
        String m = KafkaClients.message(e);
        if (e instanceof ProducerFencedException || e instanceof InvalidProducerEpochException) {
            return m + " (another producer with transactional id " + transactionalId()
                    + " started: is the sink running twice under one name?)";
        }
        return m;
    }

    /**
     * The batch time of the last batch this sink wrote (across restarts and processes), if any.
     *
     * @throws KafkaSinkException when Kafka cannot be asked
     */
    public synchronized OptionalLong lastWritten() {
        return lastWritten(-1);
    }

    private OptionalLong lastWritten(long batchTimeMs) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = KafkaClients.await(admin(batchTimeMs)
                            .listConsumerGroupOffsets(progressGroup(), new ListConsumerGroupOffsetsOptions().requireStable(true))
                            .partitionsToOffsetAndMetadata(), timeoutMs,
                    (problem, cause) -> new KafkaSinkException(name, topic, batchTimeMs, "cannot read the sink's progress "
                            + "(group " + progressGroup() + ") from " + bootstrapServers + ": " + problem, cause));
            OffsetAndMetadata o = offsets.get(new TopicPartition(topic, 0));
            long last = Math.max(o == null ? -1 : o.offset(), committedMs);
            return last < 0 ? OptionalLong.empty() : OptionalLong.of(last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaSinkException(name, topic, batchTimeMs, "interrupted", e);
        }
    }

    private Producer<byte[], byte[]> producer(long batchTimeMs) {
        if (producer == null) {
            KafkaProducer<byte[], byte[]> p;
            try {
                p = new KafkaProducer<>(producerSettings, new ByteArraySerializer(), new ByteArraySerializer());
            } catch (KafkaException e) {
                throw new KafkaSinkException(name, topic, batchTimeMs, "cannot make a producer for " + bootstrapServers
                        + ": " + KafkaClients.message(e), e);
            }
            try {
                p.initTransactions();
            } catch (KafkaException e) {
                p.close(Duration.ZERO);
                String hint = e instanceof org.apache.kafka.common.errors.TimeoutException
                        ? " (no answer from " + bootstrapServers + " within " + timeoutMs + " ms: is a broker running there?)"
                        : "";
                throw new KafkaSinkException(name, topic, batchTimeMs, "cannot start transactions at "
                        + bootstrapServers + ": " + KafkaClients.message(e) + hint, e);
            }
            producer = p;
        }
        return producer;
    }

    private Admin admin(long batchTimeMs) {
        if (admin == null) {
            try {
                admin = Admin.create(adminSettings);
            } catch (KafkaException e) {
                throw new KafkaSinkException(name, topic, batchTimeMs, "cannot make an admin client for "
                        + bootstrapServers + ": " + KafkaClients.message(e), e);
            }
        }
        return admin;
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private void closeProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(5));
            } catch (RuntimeException ignored) {
                // Closed all the same.
            }
            producer = null;
        }
    }

    /** Closes the producer (an open transaction is aborted by the broker) and the admin client. */
    @Override
    public synchronized void close() {
        closeProducer();
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }

    private String describe() {
        return "Kafka sink '" + name + "' -> topic " + topic + " at " + bootstrapServers;
    }

    @Override
    public String toString() {
        return "KafkaSink(" + name + " -> " + topic + " at " + bootstrapServers + ")";
    }
}
