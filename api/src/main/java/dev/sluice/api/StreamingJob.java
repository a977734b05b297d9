package dev.sluice.api;

/**
 * A streaming job: a stable name and a {@link #define} that declares sources,
 * transformations and outputs. Found with {@link java.util.ServiceLoader}; list the
 * implementation in {@code META-INF/services/dev.sluice.api.StreamingJob}.
 *
 * <p>The coordinator and every worker call {@code define} themselves and must get the
 * same graph, so {@code define} must be deterministic for the same arguments.
 */
public interface StreamingJob {

    /** The job's stable name, e.g. {@code "wordcount"}. */
    String name();

    /** Declares the job's streams on {@code ctx}. */
    void define(StreamingContext ctx, JobArgs args);
}
