package dev.sluice.engine.exec;

import dev.sluice.engine.graph.BatchLayout;

/**
 * One attempt at one partition of one stage of one batch: everything a worker needs,
 * besides the job graph it defines itself, to run it.
 */
public record TaskSpec(String job, String fingerprint, int stage, int partition, int attempt, BatchLayout layout) {

    public long batchTimeMs() {
        return layout.batchTimeMs();
    }

    /** A short readable name for logs and errors. */
    public String name() {
        return job + "@" + layout.batchTimeMs() + "/stage " + stage + "/partition " + partition + "/attempt " + attempt;
    }

    /** The same task as attempt {@code attempt}. */
    public TaskSpec withAttempt(int attempt) {
        return new TaskSpec(job, fingerprint, stage, partition, attempt, layout);
    }

    /** The same task reading from {@code newLayout}. */
    public TaskSpec withLayout(BatchLayout newLayout) {
        return new TaskSpec(job, fingerprint, stage, partition, attempt, newLayout);
    }
}
