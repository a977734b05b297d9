package dev.sluice.connectors.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/** What the Kafka source and sink share: checking settings, making admin clients, waiting on futures. */
final class KafkaClients {

    private KafkaClients() {
    }

    /**
     * Checks {@code settings} against {@code def} (types, ranges, required values) without making
     * a client, so that a malformed setting fails before anything connects.
     *
     * @throws IllegalArgumentException starting with {@code what}
     */
    static void check(ConfigDef def, Map<String, Object> settings, String what) {
        try {
            def.parse(settings);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(what + ": bad Kafka setting: " + e.getMessage(), e);
        }
    }

    /** The settings among {@code settings} an admin client knows: security and connection settings. */
    static Map<String, Object> adminSettings(Map<String, Object> settings, long timeoutMs) {
        Map<String, Object> admin = new HashMap<>();
        settings.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k) && !k.equals("client.id")) {
                admin.put(k, v);
            }
        });
        admin.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
        admin.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeoutMs));
        return admin;
    }

    /** A new admin client; a setting the client refuses is named with {@code what}. */
    static Admin admin(Map<String, Object> settings, String what) {
        try {
            return Admin.create(settings);
        } catch (KafkaException e) {
            throw new IllegalArgumentException(what + ": cannot make a Kafka client: " + message(e), e);
        }
    }

    /**
     * Waits up to {@code timeoutMs} for {@code future}.
     *
     * @param failure makes the exception to throw from a description of what went wrong and its cause
     */
    static <T> T await(KafkaFuture<T> future, long timeoutMs, BiFunction<String, Throwable, RuntimeException> failure)
            throws InterruptedException {
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw failure.apply("no answer within " + timeoutMs + " ms (is a broker running there?)", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw failure.apply("no answer within " + timeoutMs + " ms (is a broker running there?): "
                        + message(cause), cause);
            }
            throw failure.apply(message(cause), cause);
        }
    }

    /** The exception's message, or its class name when it has none. */
    static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
    }
}
