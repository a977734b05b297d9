package dev.sluice.pipeline;

import java.util.List;
import java.util.Map;

/** One entry of the spec's {@code sources}: a named input stream of text lines. */
public sealed interface SourceSpec {

    /** Its name. */
    String name();

    /** Where it is in the spec ({@code sources.<name>}). */
    String path();

    /** {@code socket: "host:port"}: lines read from a TCP server, by a receiver. */
    record Socket(String name, String path, String host, int port) implements SourceSpec {
    }

    /** {@code dir: /path}: lines of the files that appear in a directory. */
    record Dir(String name, String path, String directory) implements SourceSpec {
    }

    /** {@code http: name}: lines POSTed to the receivers' {@code /api/ingest/<name>}. */
    record Http(String name, String path, String ingestPath) implements SourceSpec {
    }

    /**
     * {@code kafka: {servers: ..., topics: [...], options: {...}}}: the values of a topic's
     * records, read directly.
     */
    record Kafka(String name, String path, String servers, List<String> topics, Map<String, String> options)
            implements SourceSpec {
    }

    /**
     * {@code arg: NAME}: the source given by the job argument NAME, in the form the
     * {@code wordcount} example takes: {@code socket://host:port}, {@code dir:/path},
     * {@code http:<path>}, {@code kafka:<servers>/<topic>}, or several separated by commas.
     */
    record Arg(String name, String path, String argument) implements SourceSpec {
    }
}
