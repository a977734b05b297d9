package dev.sluice.engine.exec;

import java.nio.file.Path;

/** Where checkpointed partitions go: {@code <dir>/<job>/node-<id>/<batchTimeMs>/part-NNNNN}. */
public final class CheckpointFiles {

    private CheckpointFiles() {
    }

    /** The directory of one checkpointed batch of one node. */
    public static Path batchDirectory(String checkpointDirectory, String job, int node, long timeMs) {
        return Path.of(checkpointDirectory, job, "node-" + node, Long.toString(timeMs));
    }
}
