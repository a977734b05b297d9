package dev.sluice.connectors.kafka;

import dev.sluice.api.KafkaRecord;
import dev.sluice.engine.graph.InputSplit;
import dev.sluice.engine.source.DirectSource;
import dev.sluice.engine.source.KafkaSourceConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The Kafka direct source behind {@code kafkaStream}: no receiver, no consumer group
 * membership. On the coordinator, every cut lists the topics' partitions and their end
 * offsets with an admin client and gives the batch, per partition, the range from where the
 * previous batch's range ended to the end, at most {@code maxRatePerPartition × interval}
 * records. The first range of a partition starts at the group's committed offset, else at
 * the earliest or latest offset ({@code startingOffsets}; partitions that appear later start
 * at their earliest). {@link #completed} commits the until-offsets of the batches that are
 * done to the consumer group. On workers, {@link #read} reads exactly one range with a
 * pooled consumer that has no group (assign and seek).
 *
 * <p>The coordinator lists end offsets with the consumer's {@code isolation.level}
 * ({@code kafka.isolation.level}): with {@code read_committed} ranges end at the last stable
 * offset, so they never cover open transactions, and reads skip aborted records.
 */
public final class KafkaDirectSource implements DirectSource {

    private static final System.Logger LOG = System.getLogger(KafkaDirectSource.class.getName());
    private static final Duration MAX_POLL = Duration.ofMillis(500);

    private final KafkaSourceConfig config;
    private final String what;
    private final Map<String, Object> consumerSettings;
    private final Map<String, Object> adminSettings;
    private final IsolationLevel isolation;

    private Admin admin;
    /** Per partition, where the next batch's range starts. */
    private final Map<TopicPartition, Long> next = new HashMap<>();
    /** Per cut batch not yet completed, the until-offset of every partition after it. */
    private final NavigableMap<Long, Map<TopicPartition, Long>> pending = new TreeMap<>();
    private Map<TopicPartition, Long> lastCommitted = Map.of();
    private boolean cutBefore;
    private boolean closed;

    /**
     * A source with {@code config}; connects nowhere yet.
     *
     * @throws IllegalArgumentException naming the stream when a Kafka setting is malformed
     */
    public KafkaDirectSource(KafkaSourceConfig config) {
        this.config = config;
        this.what = config.label() + " from " + config.bootstrapServers();
        this.consumerSettings = consumerSettings(config);
        this.adminSettings = KafkaClients.adminSettings(consumerSettings, config.timeoutMs());
        String level = String.valueOf(consumerSettings.getOrDefault(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"));
        this.isolation = IsolationLevel.valueOf(level.toUpperCase(Locale.ROOT));
    }

    /**
     * The settings of the consumers that read ranges (without deserializers), checked.
     *
     * @throws IllegalArgumentException naming the stream when a Kafka setting is malformed
     */
    static Map<String, Object> consumerSettings(KafkaSourceConfig config) {
        Map<String, Object> settings = new HashMap<>(config.clientSettings());
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        settings.putIfAbsent(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        int timeout = (int) Math.min(Integer.MAX_VALUE, config.timeoutMs());
        settings.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        settings.putIfAbsent(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        Map<String, Object> checked = new HashMap<>(settings);
        checked.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        checked.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        KafkaClients.check(ConsumerConfig.configDef(), checked, config.label());
        for (String key : config.clientSettings().keySet()) {
            if (!ConsumerConfig.configNames().contains(key)) {
                LOG.log(System.Logger.Level.WARNING, () -> config.label() + ": 'kafka." + key
                        + "' is not a Kafka consumer setting; passing it on anyway (a plugin may use it)");
            }
        }
        return Map.copyOf(settings);
    }

    public KafkaSourceConfig config() {
        return config;
    }

    // ------------------------------------------------------------------ coordinator

    @Override
    public List<InputSplit> splitsFor(long batchTimeMs, long batchIntervalMs) {
        try {
            return cut(batchTimeMs, batchIntervalMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaSourceException(what + ": interrupted while cutting batch " + batchTimeMs, e);
        }
    }

    private List<InputSplit> cut(long batchTimeMs, long batchIntervalMs) throws InterruptedException {
        Admin a = admin();
        List<TopicPartition> partitions = partitions(a);
        Map<TopicPartition, Long> ends = offsets(a, partitions, OffsetSpec.latest(), "end offsets");
        Map<TopicPartition, Long> starts;
        boolean first;
        synchronized (this) {
            starts = new HashMap<>(next);
            first = !cutBefore;
        }
        List<TopicPartition> fresh = partitions.stream().filter(tp -> !starts.containsKey(tp)).toList();
        if (!fresh.isEmpty()) {
            starts.putAll(initialOffsets(a, fresh, ends, first));
        }
        long cap = config.maxRecordsPerPartition(batchIntervalMs);
        List<InputSplit> splits = new ArrayList<>();
        Map<TopicPartition, Long> untils = new HashMap<>();
        for (TopicPartition tp : partitions) {
            long from = starts.get(tp);
            long end = ends.get(tp);
            if (end < from) {
                LOG.log(System.Logger.Level.WARNING, what + ": " + tp + " ends at " + end + ", before offset " + from
                        + " where its next batch would start (was the topic recreated?); going on from " + end);
                from = end;
            }
            long until = from + Math.min(cap, end - from);
            if (until > from) {
                splits.add(new InputSplit.OffsetRange(tp.topic(), tp.partition(), from, until));
            }
            untils.put(tp, until);
        }
        synchronized (this) {
            next.putAll(untils);
            cutBefore = true;
            pending.put(batchTimeMs, Map.copyOf(next));
        }
        return splits;
    }

    /** The topics' partitions, topics in the order given, partitions by number. */
    private List<TopicPartition> partitions(Admin a) throws InterruptedException {
        Map<String, TopicDescription> topics = KafkaClients.await(a.describeTopics(config.topics()).allTopicNames(),
                config.timeoutMs(), (problem, cause) -> {
                    if (cause instanceof UnknownTopicOrPartitionException) {
                        return new KafkaSourceException(what + ": a topic of " + config.topics()
                                + " does not exist: " + KafkaClients.message(cause), cause);
                    }
                    return new KafkaSourceException(what + ": cannot list the partitions of " + config.topics()
                            + ": " + problem, cause);
                });
        List<TopicPartition> out = new ArrayList<>();
        for (String topic : config.topics()) {
            TopicDescription d = topics.get(topic);
            if (d == null) {
                throw new KafkaSourceException(what + ": topic '" + topic + "' does not exist", null);
            }
            d.partitions().stream().map(TopicPartitionInfo::partition).sorted()
                    .forEach(p -> out.add(new TopicPartition(topic, p)));
        }
        return out;
    }

    private Map<TopicPartition, Long> offsets(Admin a, List<TopicPartition> partitions, OffsetSpec spec, String which)
            throws InterruptedException {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result = KafkaClients.await(
                a.listOffsets(request, new ListOffsetsOptions(isolation)).all(), config.timeoutMs(),
                (problem, cause) -> new KafkaSourceException(what + ": cannot list the " + which + " of "
                        + partitions + ": " + problem, cause));
        Map<TopicPartition, Long> out = new HashMap<>();
        result.forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private Map<TopicPartition, Long> initialOffsets(Admin a, List<TopicPartition> fresh, Map<TopicPartition, Long> ends,
                                                     boolean firstCut) throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = KafkaClients.await(
                a.listConsumerGroupOffsets(config.groupId(), new ListConsumerGroupOffsetsOptions().requireStable(true))
                        .partitionsToOffsetAndMetadata(), config.timeoutMs(),
                (problem, cause) -> new KafkaSourceException(what + ": cannot read the committed offsets of group '"
                        + config.groupId() + "': " + problem, cause));
        Map<TopicPartition, Long> earliest = offsets(a, fresh, OffsetSpec.earliest(), "earliest offsets");
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : fresh) {
            OffsetAndMetadata c = committed.get(tp);
            long start;
            if (c != null) {
                start = Math.max(c.offset(), earliest.get(tp));
                if (start != c.offset()) {
                    long lost = start - c.offset();
                    LOG.log(System.Logger.Level.WARNING, () -> what + ": group '" + config.groupId() + "' committed "
                            + tp + " at " + c.offset() + ", but its earliest offset is now " + start + ": " + lost
                            + " records were deleted (retention) before they were read");
                }
            } else if (firstCut && !config.startsFromEarliest()) {
                start = ends.get(tp);
            } else {
                start = earliest.get(tp);
            }
            out.put(tp, start);
        }
        LOG.log(System.Logger.Level.INFO, () -> what + ": starting " + new TreeMap<>(out.entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().toString(), Map.Entry::getValue))) + " (group '"
                + config.groupId() + "', " + (committed.isEmpty() ? "no committed offsets, " + config.startingOffsets()
                : "committed offsets") + ")");
        return out;
    }

    @Override
    public void completed(long batchTimeMs) {
        Map<TopicPartition, Long> offsets;
        synchronized (this) {
            NavigableMap<Long, Map<TopicPartition, Long>> done = pending.headMap(batchTimeMs, true);
            if (done.isEmpty()) {
                return;
            }
            offsets = done.lastEntry().getValue();
            done.clear();
            if (offsets.isEmpty() || offsets.equals(lastCommitted)) {
                return;
            }
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        offsets.forEach((tp, o) -> commit.put(tp, new OffsetAndMetadata(o, "sluice batch " + batchTimeMs)));
        try {
            KafkaClients.await(admin().alterConsumerGroupOffsets(config.groupId(), commit).all(), config.timeoutMs(),
                    (problem, cause) -> new KafkaSourceException(what + ": cannot commit the offsets of batch "
                            + batchTimeMs + " to group '" + config.groupId() + "': " + problem
                            + (cause instanceof GroupNotEmptyException || cause instanceof UnknownMemberIdException
                            ? " (the group has active consumers: give kafkaStream a group of its own, option group.id)"
                            : ""), cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaSourceException(what + ": interrupted while committing batch " + batchTimeMs, e);
        }
        synchronized (this) {
            lastCommitted = offsets;
        }
    }

    @Override
    public synchronized void recovered(long batchTimeMs, List<InputSplit> splits) {
        for (InputSplit split : splits) {
            if (split instanceof InputSplit.OffsetRange r) {
                next.merge(new TopicPartition(r.topic(), r.partition()), r.untilOffset(), Math::max);
            }
        }
        pending.put(batchTimeMs, Map.copyOf(next));
    }

    /** Per partition, where the next batch's range starts; empty before the first cut. */
    public synchronized Map<TopicPartition, Long> nextOffsets() {
        return Map.copyOf(next);
    }

    private synchronized Admin admin() {
        if (closed) {
            throw new IllegalStateException(what + ": the source is closed");
        }
        if (admin == null) {
            admin = KafkaClients.admin(adminSettings, config.label());
        }
        return admin;
    }

    // ------------------------------------------------------------------ workers

    @Override
    public Iterator<Object> read(InputSplit split) {
        if (!(split instanceof InputSplit.OffsetRange range)) {
            throw new IllegalArgumentException(config.label() + " cannot read split " + split);
        }
        if (!config.topics().contains(range.topic())) {
            throw new IllegalArgumentException(config.label() + " does not read topic '" + range.topic() + "' (split "
                    + range + ")");
        }
        if (range.records() == 0) {
            return Collections.emptyIterator();
        }
        KafkaConsumer<byte[], byte[]> consumer;
        try {
            consumer = KafkaConsumerPool.borrow(consumerSettings);
        } catch (KafkaException e) {
            throw new IllegalArgumentException(what + ": cannot make a Kafka consumer: " + KafkaClients.message(e), e);
        }
        boolean healthy = false;
        try {
            List<Object> records = read(consumer, range);
            healthy = true;
            return records.iterator();
        } finally {
            if (healthy) {
                KafkaConsumerPool.giveBack(consumerSettings, consumer);
            } else {
                KafkaConsumerPool.closeQuietly(consumer);
            }
        }
    }

    private List<Object> read(KafkaConsumer<byte[], byte[]> consumer, InputSplit.OffsetRange range) {
        TopicPartition tp = new TopicPartition(range.topic(), range.partition());
        long from = range.fromOffset();
        long until = range.untilOffset();
        List<Object> out = new ArrayList<>((int) Math.min(range.records(), 10_000));
        long timeout = config.timeoutMs();
        try {
            consumer.assign(List.of(tp));
            consumer.seek(tp, from);
            long position = from;
            long deadline = System.currentTimeMillis() + timeout;
            while (position < until) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new KafkaSourceException(what + ": reading " + tp + " offsets [" + from + ", " + until
                            + ") made no progress for " + timeout + " ms at offset " + position
                            + " (is the broker reachable, did the records go away?)", null);
                }
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(left < MAX_POLL.toMillis() ? Duration.ofMillis(left) : MAX_POLL);
                for (ConsumerRecord<byte[], byte[]> r : batch.records(tp)) {
                    if (r.offset() >= until) {
                        break;
                    }
                    if (r.offset() >= from) {
                        out.add(new KafkaRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), text(r.key()),
                                text(r.value())));
                    }
                }
                // Past transaction markers, aborted or compacted records, the position moves on without records.
                long now = consumer.position(tp, Duration.ofMillis(Math.max(1, deadline - System.currentTimeMillis())));
                if (now > position) {
                    position = now;
                    deadline = System.currentTimeMillis() + timeout;
                }
            }
            return out;
        } catch (OffsetOutOfRangeException e) {
            throw new KafkaSourceException(what + ": offsets [" + from + ", " + until + ") of " + tp
                    + " are no longer in Kafka (deleted by retention, or the topic was recreated): "
                    + KafkaClients.message(e), e);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new KafkaSourceException(what + ": reading " + tp + " offsets [" + from + ", " + until
                    + ") timed out after " + timeout + " ms: " + KafkaClients.message(e), e);
        } catch (KafkaException e) {
            throw new KafkaSourceException(what + ": cannot read " + tp + " offsets [" + from + ", " + until + "): "
                    + KafkaClients.message(e), e);
        }
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        Admin a;
        synchronized (this) {
            closed = true;
            a = admin;
            admin = null;
        }
        if (a != null) {
            a.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public String toString() {
        return "KafkaDirectSource(" + what + ", group " + config.groupId() + ")";
    }
}
