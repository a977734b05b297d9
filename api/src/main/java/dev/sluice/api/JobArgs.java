package dev.sluice.api;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The {@code key=value} arguments a job is started with. Immutable. */
public final class JobArgs {

    private final Map<String, String> values;

    private JobArgs(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** Arguments from a map. */
    public static JobArgs of(Map<String, String> values) {
        return new JobArgs(values);
    }

    /** No arguments. */
    public static JobArgs empty() {
        return new JobArgs(Map.of());
    }

    /**
     * Parses {@code key=value} strings.
     *
     * @throws IllegalArgumentException naming the first entry without {@code =} or with an empty key
     */
    public static JobArgs parse(List<String> entries) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("job argument '" + entry + "' is not of the form key=value");
            }
            values.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        return new JobArgs(values);
    }

    /** The value of {@code key}, or {@code null}. */
    public String get(String key) {
        return values.get(key);
    }

    /** The value of {@code key}, or {@code fallback} when absent. */
    public String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    /** The value of {@code key}, which must be present. */
    public String require(String key) {
        String value = values.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("job argument '" + key + "' is required");
        }
        return value;
    }

    /** The value of {@code key} as an int, or {@code fallback} when absent. */
    public int getInt(String key, int fallback) {
        String value = values.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("job argument '" + key + "' must be an integer, got '" + value + "'");
        }
    }

    /** The value of {@code key} as a duration ({@code 500ms}, {@code 2s}, {@code 1m}), or {@code fallback}. */
    public Duration getDuration(String key, Duration fallback) {
        String value = values.get(key);
        return value == null ? fallback : Durations.parse(key, value);
    }

    /** All arguments, sorted by key. */
    public Map<String, String> asMap() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobArgs other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
