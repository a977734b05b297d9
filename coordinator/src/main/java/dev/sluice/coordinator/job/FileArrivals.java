package dev.sluice.coordinator.job;

import dev.sluice.engine.graph.InputSplit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * Finds the files that arrived in a directory, as Spark's file stream does: a batch at
 * time t takes each file not taken before whose modification time is in
 * (t − remember window, t]. Files that were there before the job started, files older
 * than the window, hidden files and files still being copied are ignored.
 *
 * <p>The files of completed batches are saved in a progress file, so a coordinator that
 * restarts on the same checkpoint directory neither reads them again nor skips the files
 * of batches that were cut but not completed.
 */
public final class FileArrivals {

    private static final Logger LOG = Logger.getLogger(FileArrivals.class.getName());
    private static final long REMEMBER_MS = 60_000;

    private final Path directory;
    private final Path progress;
    private long ignoreThroughMs;
    // Taken files of completed batches, and those of batches cut and not completed, by batch time.
    private final Map<Path, Long> committed = new HashMap<>();
    private final TreeMap<Long, Map<Path, Long>> pending = new TreeMap<>();

    /**
     * @param startMs  files modified at or before this time count as already there, unless progress says otherwise
     * @param progress where the files of completed batches are saved
     */
    public FileArrivals(String directory, long startMs, Path progress) {
        this.directory = Path.of(directory);
        this.progress = progress;
        this.ignoreThroughMs = startMs;
        restore();
    }

    /**
     * The files that arrived by {@code batchTimeMs} and were not taken before, sorted by name.
     *
     * @throws IllegalStateException when the directory does not exist
     */
    public synchronized List<InputSplit> take(long batchTimeMs) {
        long floor = Math.max(ignoreThroughMs, batchTimeMs - REMEMBER_MS);
        List<Path> fresh = new ArrayList<>();
        Map<Path, Long> batch = new HashMap<>();
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("textFileStream(" + directory + "): the directory does not exist; "
                    + "no files are read until it does");
        }
        {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    if (name.startsWith(".") || name.startsWith("_") || name.endsWith("_COPYING_") || !Files.isRegularFile(f)) {
                        continue;
                    }
                    long mtime = Files.getLastModifiedTime(f).toMillis();
                    if (mtime > floor && mtime <= batchTimeMs && !isTaken(f)) {
                        fresh.add(f);
                        batch.put(f, mtime);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("textFileStream: cannot list " + directory, e);
            }
        }
        pending.put(batchTimeMs, batch);
        fresh.sort(null);
        List<InputSplit> splits = new ArrayList<>(fresh.size());
        fresh.forEach(f -> splits.add(new InputSplit.File(f.toString())));
        return splits;
    }

    private boolean isTaken(Path f) {
        if (committed.containsKey(f)) {
            return true;
        }
        for (Map<Path, Long> batch : pending.values()) {
            if (batch.containsKey(f)) {
                return true;
            }
        }
        return false;
    }

    /**
     * After a coordinator restart: the batch at {@code batchTimeMs} was cut with these files
     * before, so no later batch takes them again.
     */
    public synchronized void recovered(long batchTimeMs, List<InputSplit> files) {
        Map<Path, Long> batch = new HashMap<>();
        for (InputSplit split : files) {
            if (split instanceof InputSplit.File f && !committed.containsKey(Path.of(f.path()))) {
                // The batch time stands in for the file's modification time, which was at most that.
                batch.put(Path.of(f.path()), batchTimeMs);
            }
        }
        pending.put(batchTimeMs, batch);
    }

    /** The batch at {@code batchTimeMs} and every one before it are done: their files are read for good. */
    public synchronized void completed(long batchTimeMs) {
        Map<Long, Map<Path, Long>> done = pending.headMap(batchTimeMs, true);
        done.values().forEach(committed::putAll);
        done.clear();
        // Files at or below the floor are ignored from now on, so they need not be remembered.
        long floor = Math.max(ignoreThroughMs, batchTimeMs - REMEMBER_MS);
        committed.values().removeIf(mtime -> mtime <= floor);
        ignoreThroughMs = Math.max(ignoreThroughMs, batchTimeMs - REMEMBER_MS);
        save(batchTimeMs);
    }

    private void save(long completedMs) {
        if (progress == null) {
            return;
        }
        StringBuilder sb = new StringBuilder("completed\t").append(completedMs).append('\n');
        committed.forEach((path, mtime) -> sb.append(mtime).append('\t').append(path).append('\n'));
        try {
            Files.createDirectories(progress.getParent());
            Path tmp = Files.createTempFile(progress.getParent(), "." + progress.getFileName(), ".tmp");
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            Files.move(tmp, progress, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("textFileStream: cannot save progress to " + progress, e);
        }
    }

    private void restore() {
        if (progress == null || !Files.exists(progress)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(progress, StandardCharsets.UTF_8);
            for (String line : lines) {
                String[] parts = line.split("\t", 2);
                if (parts.length != 2) {
                    continue;
                }
                if (parts[0].equals("completed")) {
                    // Files that arrived while the coordinator was down are still taken, once.
                    ignoreThroughMs = Long.parseLong(parts[1]) - REMEMBER_MS;
                } else {
                    committed.put(Path.of(parts[1]), Long.parseLong(parts[0]));
                }
            }
            LOG.info(() -> "textFileStream(" + directory + "): resumed with " + committed.size() + " files already read");
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("textFileStream: cannot read progress file " + progress + ": " + e.getMessage(), e);
        }
    }
}
