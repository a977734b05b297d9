package dev.sluice.engine.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where checkpointed partitions go — {@code <dir>/<job>/node-<id>/<batchTimeMs>/part-NNNNN} —
 * and how old checkpoints are pruned once newer ones are complete.
 */
public final class CheckpointFiles {

    /**
     * The location of a kept partition restored from its checkpoint: tasks read it from the
     * checkpoint directory, which every worker shares.
     */
    public static final String LOCATION = "checkpoint";

    private CheckpointFiles() {
    }

    /** The file of one checkpointed partition. */
    public static Path partFile(String checkpointDirectory, String job, int node, long timeMs, int partition) {
        return batchDirectory(checkpointDirectory, job, node, timeMs).resolve(String.format("part-%05d", partition));
    }

    /** Whether every one of {@code partitions} of the node's batch at {@code timeMs} is checkpointed. */
    public static boolean hasAll(String checkpointDirectory, String job, int node, long timeMs, List<Integer> partitions) {
        for (int p : partitions) {
            if (!Files.isRegularFile(partFile(checkpointDirectory, job, node, timeMs, p))) {
                return false;
            }
        }
        return true;
    }

    /** The encoded records of one checkpointed partition. */
    public static byte[] read(String checkpointDirectory, String job, int node, long timeMs, int partition) {
        Path part = partFile(checkpointDirectory, job, node, timeMs, partition);
        try {
            return Files.readAllBytes(part);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint of node " + node + " of job " + job
                    + " at " + timeMs + " from " + part, e);
        }
    }

    /** The directory of one checkpointed batch of one node. */
    public static Path batchDirectory(String checkpointDirectory, String job, int node, long timeMs) {
        return Path.of(checkpointDirectory, job, "node-" + node, Long.toString(timeMs));
    }

    /** Deletes the checkpointed batches of {@code node} older than {@code keepFromMs}. */
    public static void prune(String checkpointDirectory, String job, int node, long keepFromMs) {
        Path nodeDir = Path.of(checkpointDirectory, job, "node-" + node);
        if (!Files.isDirectory(nodeDir)) {
            return;
        }
        try (DirectoryStream<Path> batches = Files.newDirectoryStream(nodeDir)) {
            for (Path batch : batches) {
                String name = batch.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit) && Long.parseLong(name) < keepFromMs) {
                    deleteRecursively(batch);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prune checkpoints under " + nodeDir, e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
