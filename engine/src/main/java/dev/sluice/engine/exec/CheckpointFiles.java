package dev.sluice.engine.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where checkpointed partitions go — {@code <dir>/<job>/node-<id>/<batchTimeMs>/part-NNNNN} —
 * and how old checkpoints are pruned once newer ones are complete.
 */
public final class CheckpointFiles {

    private CheckpointFiles() {
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
