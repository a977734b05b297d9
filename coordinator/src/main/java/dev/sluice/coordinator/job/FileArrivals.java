package dev.sluice.coordinator.job;

import dev.sluice.engine.graph.InputSplit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the files that arrived in a directory, as Spark's file stream does: a batch at
 * time t takes each file not taken before whose modification time is in
 * (t − remember window, t]. Files that were there before the job started, files older
 * than the window, hidden files and files still being copied are ignored.
 */
public final class FileArrivals {

    private static final long REMEMBER_MS = 60_000;

    private final Path directory;
    private final long ignoreThroughMs;
    private final Map<Path, Long> taken = new HashMap<>();

    /**
     * @param startMs files modified at or before this time count as already there
     */
    public FileArrivals(String directory, long startMs) {
        this.directory = Path.of(directory);
        this.ignoreThroughMs = startMs;
    }

    /** The files that arrived by {@code batchTimeMs} and were not taken before, sorted by name. */
    public synchronized List<InputSplit> take(long batchTimeMs) {
        long floor = Math.max(ignoreThroughMs, batchTimeMs - REMEMBER_MS);
        List<Path> fresh = new ArrayList<>();
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    if (name.startsWith(".") || name.startsWith("_") || name.endsWith("_COPYING_") || !Files.isRegularFile(f)) {
                        continue;
                    }
                    long mtime = Files.getLastModifiedTime(f).toMillis();
                    if (mtime > floor && mtime <= batchTimeMs && !taken.containsKey(f)) {
                        fresh.add(f);
                        taken.put(f, mtime);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("textFileStream: cannot list " + directory, e);
            }
        }
        // Files at or below the floor are ignored from now on, so they need not be remembered.
        taken.values().removeIf(mtime -> mtime <= floor);
        fresh.sort(null);
        List<InputSplit> splits = new ArrayList<>(fresh.size());
        fresh.forEach(f -> splits.add(new InputSplit.File(f.toString())));
        return splits;
    }
}
