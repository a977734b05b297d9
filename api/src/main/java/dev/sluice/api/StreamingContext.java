package dev.sluice.api;

import java.time.Duration;
import java.util.List;

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
