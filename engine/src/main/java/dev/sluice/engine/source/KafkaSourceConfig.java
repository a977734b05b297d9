package dev.sluice.engine.source;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The settings of a {@code kafkaStream}, checked when the job is defined: what the job graph
 * records (as a flat string map, {@link #toMap}) and what the Kafka source in
 * {@code sluice-connectors} reads back ({@link #fromMap}). No Kafka classes here: the engine
 * knows the options, not the client.
 *
 * @param bootstrapServers    {@code host:port} of brokers, comma-separated
 * @param topics              the topics, in the order given
 * @param groupId             the consumer group offsets are committed to
 * @param startingOffsets     {@code earliest} or {@code latest}: where a partition without a
 *                            committed offset starts
 * @param maxRatePerPartition records per second per partition; 0 for no limit
 * @param timeoutMs           how long one request to Kafka may take
 * @param clientSettings      Kafka consumer settings, without the {@code kafka.} prefix
 */
public record KafkaSourceConfig(String bootstrapServers, List<String> topics, String groupId, String startingOffsets,
                                double maxRatePerPartition, long timeoutMs, Map<String, String> clientSettings) {

    /** The kind of the Kafka direct source. */
    public static final String KIND = "kafka";

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String TOPICS = "topics";
    public static final String GROUP_ID = "group.id";
    public static final String STARTING_OFFSETS = "startingOffsets";
    public static final String MAX_RATE_PER_PARTITION = "maxRatePerPartition";
    public static final String TIMEOUT_MS = "timeoutMs";
    /** Options with this prefix are Kafka consumer settings. */
    public static final String CLIENT_PREFIX = "kafka.";

    public static final String EARLIEST = "earliest";
    public static final String LATEST = "latest";
    public static final long DEFAULT_TIMEOUT_MS = 30_000;

    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Set<String> OPTIONS = Set.of(GROUP_ID, STARTING_OFFSETS, MAX_RATE_PER_PARTITION, TIMEOUT_MS);
    /** Consumer settings Sluice sets itself, and the option to use instead where there is one. */
    private static final Map<String, String> RESERVED = Map.of(
            "bootstrap.servers", "the bootstrapServers argument",
            "group.id", "the option group.id",
            "auto.offset.reset", "the option startingOffsets",
            "enable.auto.commit", "none: offsets are committed when a batch's outputs are done",
            "key.deserializer", "none: keys are read as UTF-8 text",
            "value.deserializer", "none: values are read as UTF-8 text");

    public KafkaSourceConfig {
        topics = List.copyOf(topics);
        clientSettings = Map.copyOf(clientSettings);
    }

    /**
     * Checks the arguments of {@code kafkaStream} and fills in defaults.
     *
     * @throws IllegalArgumentException naming {@code kafkaStream} and what is wrong
     */
    public static KafkaSourceConfig of(String bootstrapServers, List<String> topics, Map<String, String> options) {
        String servers = checkServers(bootstrapServers);
        List<String> topicList = checkTopics(topics);
        String label = label(topicList);
        Map<String, String> opts = options == null ? Map.of() : options;
        Map<String, String> client = new TreeMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(opts).entrySet()) {
            String key = e.getKey();
            if (e.getValue() == null) {
                throw new IllegalArgumentException(label + ": option '" + key + "' has no value");
            }
            if (key.startsWith(CLIENT_PREFIX)) {
                String setting = key.substring(CLIENT_PREFIX.length());
                if (setting.isBlank()) {
                    throw new IllegalArgumentException(label + ": option '" + key + "' names no Kafka setting");
                }
                String instead = RESERVED.get(setting);
                if (instead != null) {
                    throw new IllegalArgumentException(label + ": option '" + key
                            + "' is a setting Sluice makes itself; use " + instead);
                }
                client.put(setting, e.getValue());
            } else if (!OPTIONS.contains(key)) {
                throw new IllegalArgumentException(label + ": unknown option '" + key + "'; the options are "
                        + String.join(", ", new TreeMap<>(Map.of(GROUP_ID, 0, STARTING_OFFSETS, 0,
                        MAX_RATE_PER_PARTITION, 0, TIMEOUT_MS, 0)).keySet()) + " and kafka.<consumer setting>");
            }
        }
        String group = opts.getOrDefault(GROUP_ID, "sluice-" + String.join(",", topicList)).trim();
        if (group.isEmpty()) {
            throw new IllegalArgumentException(label + ": option '" + GROUP_ID + "' is empty");
        }
        String start = opts.getOrDefault(STARTING_OFFSETS, LATEST).trim().toLowerCase(Locale.ROOT);
        if (!start.equals(EARLIEST) && !start.equals(LATEST)) {
            throw new IllegalArgumentException(label + ": option '" + STARTING_OFFSETS + "' must be '" + EARLIEST
                    + "' or '" + LATEST + "', got '" + opts.get(STARTING_OFFSETS) + "'");
        }
        double rate = 0;
        String rateText = opts.get(MAX_RATE_PER_PARTITION);
        if (rateText != null) {
            try {
                rate = Double.parseDouble(rateText.trim());
            } catch (NumberFormatException notNumber) {
                rate = Double.NaN;
            }
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException(label + ": option '" + MAX_RATE_PER_PARTITION
                        + "' must be a positive number of records per second, got '" + rateText + "'");
            }
        }
        long timeout = DEFAULT_TIMEOUT_MS;
        String timeoutText = opts.get(TIMEOUT_MS);
        if (timeoutText != null) {
            try {
                timeout = Long.parseLong(timeoutText.trim());
            } catch (NumberFormatException notNumber) {
                timeout = -1;
            }
            if (timeout <= 0) {
                throw new IllegalArgumentException(label + ": option '" + TIMEOUT_MS
                        + "' must be a positive number of milliseconds, got '" + timeoutText + "'");
            }
        }
        return new KafkaSourceConfig(servers, topicList, group, start, rate, timeout, client);
    }

    /**
     * The settings a job graph recorded with {@link #toMap}.
     *
     * @throws IllegalArgumentException as {@link #of} does
     */
    public static KafkaSourceConfig fromMap(Map<String, String> config) {
        Map<String, String> options = new TreeMap<>(config);
        String servers = options.remove(BOOTSTRAP_SERVERS);
        String topics = options.remove(TOPICS);
        return of(servers, topics == null ? List.of() : Arrays.asList(topics.split(",", -1)), options);
    }

    /** The settings as a flat map, sorted by key: what the job graph records and fingerprints. */
    public Map<String, String> toMap() {
        Map<String, String> m = new TreeMap<>();
        m.put(BOOTSTRAP_SERVERS, bootstrapServers);
        m.put(TOPICS, String.join(",", topics));
        m.put(GROUP_ID, groupId);
        m.put(STARTING_OFFSETS, startingOffsets);
        if (maxRatePerPartition > 0) {
            m.put(MAX_RATE_PER_PARTITION, BigDecimal.valueOf(maxRatePerPartition).stripTrailingZeros().toPlainString());
        }
        m.put(TIMEOUT_MS, Long.toString(timeoutMs));
        clientSettings.forEach((k, v) -> m.put(CLIENT_PREFIX + k, v));
        return m;
    }

    /** Whether partitions without a committed offset start at the earliest offset. */
    public boolean startsFromEarliest() {
        return EARLIEST.equals(startingOffsets);
    }

    /**
     * The most records one partition contributes to a batch of {@code batchIntervalMs}:
     * rate × interval, at least 1; {@link Long#MAX_VALUE} without a rate limit.
     */
    public long maxRecordsPerPartition(long batchIntervalMs) {
        if (maxRatePerPartition <= 0) {
            return Long.MAX_VALUE;
        }
        double n = Math.floor(maxRatePerPartition * batchIntervalMs / 1000.0);
        return n >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, (long) n);
    }

    /** Names the stream in errors: {@code kafkaStream([a, b])}. */
    public String label() {
        return label(topics);
    }

    private static String label(List<String> topics) {
        return "kafkaStream(" + topics + ")";
    }

    private static String checkServers(String bootstrapServers) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafkaStream: the bootstrap servers are empty; give host:port of a broker");
        }
        List<String> servers = new ArrayList<>();
        for (String part : bootstrapServers.split(",")) {
            String s = part.trim();
            int colon = s.lastIndexOf(':');
            boolean ok = colon > 0 && colon < s.length() - 1;
            if (ok) {
                try {
                    int port = Integer.parseInt(s.substring(colon + 1));
                    ok = port > 0 && port <= 65535;
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
            if (!ok) {
                throw new IllegalArgumentException("kafkaStream: bootstrap server '" + s + "' in '" + bootstrapServers
                        + "' is not host:port");
            }
            servers.add(s);
        }
        return String.join(",", servers);
    }

    private static List<String> checkTopics(List<String> topics) {
        if (topics == null || topics.isEmpty()) {
            throw new IllegalArgumentException("kafkaStream: no topics given; name at least one topic");
        }
        Set<String> seen = new HashSet<>();
        Set<String> ordered = new LinkedHashSet<>();
        for (String t : topics) {
            if (t == null || !TOPIC.matcher(t).matches() || t.equals(".") || t.equals("..")) {
                throw new IllegalArgumentException("kafkaStream: '" + t + "' is not a Kafka topic name (1 to 249 "
                        + "letters, digits, '.', '_' or '-')");
            }
            if (!seen.add(t)) {
                throw new IllegalArgumentException("kafkaStream: topic '" + t + "' is listed twice");
            }
            ordered.add(t);
        }
        return List.copyOf(ordered);
    }
}
