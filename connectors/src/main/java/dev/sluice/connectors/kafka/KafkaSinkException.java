package dev.sluice.connectors.kafka;

/**
 * A batch could not be written to Kafka. Its transaction was aborted (or will be, when the
 * next producer with the sink's transactional id starts), so consumers reading with
 * {@code isolation.level=read_committed} see nothing of it, and it is not recorded as
 * written: running it again writes it once.
 */
public class KafkaSinkException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String sinkName;
    private final String topic;
    private final long batchTimeMs;

    public KafkaSinkException(String sinkName, String topic, long batchTimeMs, String detail, Throwable cause) {
        super("Kafka sink '" + sinkName + "' could not write batch " + batchTimeMs + " to topic " + topic + ": " + detail,
                cause);
        this.sinkName = sinkName;
        this.topic = topic;
        this.batchTimeMs = batchTimeMs;
    }

    /** The sink's name: its transactional id and progress group derive from it. */
    public String sinkName() {
        return sinkName;
    }

    public String topic() {
        return topic;
    }

    /** The time of the batch that failed. */
    public long batchTimeMs() {
        return batchTimeMs;
    }
}
