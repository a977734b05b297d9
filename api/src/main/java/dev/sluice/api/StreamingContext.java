package dev.sluice.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The entry point a job declares its streams on. The runtime creates it, hands it to
 * {@link StreamingJob#define}, and starts and stops it; a job never does.
 */
public interface StreamingContext {

    /** The interval at which batches are cut. */
    Duration batchInterval();

    /**
     * Lines of UTF-8 text read from a TCP server at {@code host:port}, received by a
     * receiver and cut into blocks every block interval.
     */
    DStream<String> socketTextStream(String host, int port);

    /**
     * Lines of the files that appear in {@code directory}, each file in the batch of its
     * arrival (by modification time). Hidden files ({@code .}-prefixed) and files still
     * being copied ({@code _COPYING_}) are ignored.
     */
    DStream<String> textFileStream(String directory);

    /**
     * Lines POSTed (newline-delimited, UTF-8) to {@code /api/ingest/{path}} on the receivers.
     * A POST is answered 202 only once its records are stored durably (in the receiver's
     * write-ahead log), 413 when it is too large, 503 with {@code Retry-After} when the
     * rate limit says to slow down.
     *
     * @param path letters, digits, {@code -} and {@code _}
     */
    DStream<String> httpStream(String path);

    /**
     * The records of Kafka {@code topics}, read directly (Spark's direct approach): no receiver
     * runs. When a batch is cut, the coordinator assigns it an offset range per topic partition,
     * from where the previous batch's range ended to the partition's end (capped by
     * {@code maxRatePerPartition}); the workers read exactly those ranges. Each batch's
     * until-offsets are committed to the consumer group only after the batch's outputs are done,
     * so no record is lost: a restarted job starts after the last committed batch, and records
     * whose batch was output but not yet committed are output again (at least once). A batch's
     * ranges are fixed when it is cut, so a batch that is re-run reads the same records; with an
     * output that is idempotent per batch (the JDBC and Kafka sinks) that is exactly once.
     *
     * <p>Options:
     * <ul>
     *   <li>{@code group.id}: the consumer group whose committed offsets say where to start and
     *       where the batches' progress is committed; default {@code sluice-} and the topics
     *       joined with commas. Give each job its own group.</li>
     *   <li>{@code startingOffsets}: {@code earliest} or {@code latest} (default): where a
     *       partition starts when the group has no committed offset for it.</li>
     *   <li>{@code maxRatePerPartition}: at most this many records per second per partition; a
     *       batch's range of a partition holds at most rate × batch interval records (at least 1).
     *       Default: no limit.</li>
     *   <li>{@code timeoutMs}: how long one request to Kafka (listing partitions and offsets,
     *       committing, reading a range) may take before it fails; default 30000.</li>
     *   <li>{@code kafka.<setting>}: any Kafka consumer setting, passed on without the prefix, e.g.
     *       {@code kafka.security.protocol} or {@code kafka.isolation.level=read_committed} (to
     *       read only committed records of transactional producers). Sluice sets the
     *       deserializers, auto commit, auto offset reset and the group itself: use the options
     *       above for those.</li>
     * </ul>
     *
     * <p>Nothing connects to Kafka when the job is defined.
     *
     * @param bootstrapServers {@code host:port[,host:port...]} of one or more brokers
     * @param topics           the topics to read, at least one
     * @param options          the options above; may be empty
     * @throws IllegalArgumentException naming {@code kafkaStream} and the option, when the servers
     *                                  or topics are missing or malformed, or an option is unknown
     *                                  or has a bad value
     */
    DStream<KafkaRecord> kafkaStream(String bootstrapServers, List<String> topics, Map<String, String> options);

    /** The records a custom {@link Receiver} stores, received on a receiver process. */
    <T> DStream<T> receiverStream(Receiver<T> receiver);

    /**
     * A stream whose i-th batch (1-based) holds {@code batches.get(i - 1)}; batches past
     * the end are empty. Meant for tests and demos: the data is part of the job definition.
     */
    <T> DStream<T> queueStream(List<List<T>> batches);

    /** The union of several streams of the same type and slide. */
    @SuppressWarnings("unchecked")
    <T> DStream<T> union(DStream<T>... streams);

    /**
     * A stream whose every batch is {@code f} applied to the batches of {@code streams} at
     * the same time (listed in the same order).
     */
    <R> DStream<R> transform(List<DStream<?>> streams, MultiBatchTransform<R> f);

    /** Sets the directory where state and metadata checkpoints go. */
    void checkpoint(String directory);

    /** Keeps each batch's data for at least {@code duration} after it was computed. */
    void remember(Duration duration);
}
