package dev.sluice.connectors.kafka;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The consumers a process reads offset ranges with, kept between tasks: making a consumer
 * and connecting it costs more than reading a small range. A consumer is used by one task at
 * a time (consumers are not thread-safe); up to {@value #MAX_IDLE_PER_SETTINGS} idle ones are
 * kept per distinct settings, each for at most {@value #MAX_IDLE_MS} ms.
 */
final class KafkaConsumerPool {

    static final int MAX_IDLE_PER_SETTINGS = 4;
    static final long MAX_IDLE_MS = 60_000;

    private record Idle(KafkaConsumer<byte[], byte[]> consumer, long sinceMs) {
    }

    private static final Map<Map<String, Object>, Deque<Idle>> IDLE = new HashMap<>();

    private KafkaConsumerPool() {
    }

    /** An idle consumer with {@code settings}, or a new one. */
    static KafkaConsumer<byte[], byte[]> borrow(Map<String, Object> settings) {
        List<KafkaConsumer<byte[], byte[]>> stale = new ArrayList<>();
        KafkaConsumer<byte[], byte[]> found = null;
        synchronized (IDLE) {
            evictStale(stale);
            Deque<Idle> idle = IDLE.get(settings);
            if (idle != null && !idle.isEmpty()) {
                found = idle.pop().consumer();
            }
        }
        stale.forEach(KafkaConsumerPool::closeQuietly);
        return found != null ? found : new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Takes back a consumer that works; it is unassigned, then kept or closed. */
    static void giveBack(Map<String, Object> settings, KafkaConsumer<byte[], byte[]> consumer) {
        try {
            consumer.unsubscribe();
        } catch (RuntimeException e) {
            closeQuietly(consumer);
            return;
        }
        synchronized (IDLE) {
            Deque<Idle> idle = IDLE.computeIfAbsent(Map.copyOf(settings), k -> new ArrayDeque<>());
            if (idle.size() < MAX_IDLE_PER_SETTINGS) {
                idle.push(new Idle(consumer, System.currentTimeMillis()));
                return;
            }
        }
        closeQuietly(consumer);
    }

    /** Closes every idle consumer. */
    static void closeIdle() {
        List<KafkaConsumer<byte[], byte[]>> all = new ArrayList<>();
        synchronized (IDLE) {
            IDLE.values().forEach(d -> d.forEach(i -> all.add(i.consumer())));
            IDLE.clear();
        }
        all.forEach(KafkaConsumerPool::closeQuietly);
    }

    private static void evictStale(List<KafkaConsumer<byte[], byte[]>> stale) {
        long now = System.currentTimeMillis();
        for (Iterator<Deque<Idle>> it = IDLE.values().iterator(); it.hasNext(); ) {
            Deque<Idle> idle = it.next();
            idle.removeIf(i -> {
                boolean old = now - i.sinceMs() > MAX_IDLE_MS;
                if (old) {
                    stale.add(i.consumer());
                }
                return old;
            });
            if (idle.isEmpty()) {
                it.remove();
            }
        }
    }

    static void closeQuietly(KafkaConsumer<?, ?> consumer) {
        try {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        } catch (RuntimeException ignored) {
            // A consumer that cannot close cleanly is dropped all the same.
        }
    }
}
