package dev.sluice.connectors.kafka;

/**
 * A {@code kafkaStream} could not list, read or commit what it needed. The message names the
 * stream (its topics), the brokers and, where there is one, the topic partition and range.
 */
public class KafkaSourceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KafkaSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
