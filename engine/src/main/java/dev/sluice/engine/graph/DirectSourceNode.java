package dev.sluice.engine.graph;

import dev.sluice.engine.exec.TaskContext;
import dev.sluice.engine.source.DirectSource;
import dev.sluice.engine.source.DirectSources;

import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A source without a receiver whose input the coordinator assigns batch by batch, such as
 * Kafka's offset ranges: a {@link DirectSource} of {@link #kind()} from a
 * {@link dev.sluice.engine.source.DirectSourceProvider}, configured by {@link #config()}.
 * The source is created when first needed, never when the job is defined, so defining a job
 * connects nowhere.
 */
public final class DirectSourceNode extends SourceNode {

    /** Settings whose values stay out of the description (logs, errors, the fingerprint's input). */
    private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|jaas|credential|token|\\.key$).*");

    private final String kind;
    private final String label;
    private final SortedMap<String, String> config;
    private DirectSource source;

    /**
     * @param kind   the provider's kind, e.g. {@code kafka}
     * @param label  names the stream in errors, e.g. {@code kafkaStream([orders])}
     * @param config the source's settings
     */
    public DirectSourceNode(int id, long batchIntervalMs, String kind, String label, Map<String, String> config) {
        super(id, batchIntervalMs);
        this.kind = kind;
        this.label = label;
        this.config = Collections.unmodifiableSortedMap(new TreeMap<>(config));
    }

    public String kind() {
        return kind;
    }

    /** Names the stream in errors, e.g. {@code kafkaStream([orders])}. */
    public String label() {
        return label;
    }

    /** The source's settings, sorted by key. */
    public SortedMap<String, String> config() {
        return config;
    }

    /**
     * The source this node reads its splits with, created on first use and shared by the
     * tasks of this process.
     */
    public synchronized DirectSource source() {
        if (source == null) {
            source = createSource();
        }
        return source;
    }

    /** A new source of this node's kind and config, owned (and closed) by the caller, as the coordinator's. */
    public DirectSource createSource() {
        return DirectSources.create(kind, config, label);
    }

    /** Closes the shared source, if one was created. */
    public synchronized void closeSource() {
        if (source != null) {
            source.close();
            source = null;
        }
    }

    @Override
    protected Iterator<Object> read(InputSplit split, TaskContext ctx) {
        return source().read(split);
    }

    @Override
    public String describe() {
        StringJoiner j = new StringJoiner(",", "directStream(" + kind + ",{", "})");
        config.forEach((k, v) -> j.add(k + "=" + (SECRET.matcher(k).matches() ? "***" : v)));
        return j.toString();
    }
}
