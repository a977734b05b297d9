package dev.sluice.coordinator.job;

import dev.sluice.engine.graph.InputSplit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file stream against a real directory, including a restart on the same progress file. */
class FileArrivalsTest {

    @TempDir
    Path tmp;

    private Path file(String name, long mtime) throws IOException {
        Path f = tmp.resolve("in").resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, name);
        Files.setLastModifiedTime(f, FileTime.fromMillis(mtime));
        return f;
    }

    private static List<String> names(List<InputSplit> splits) {
        return splits.stream().map(s -> Path.of(((InputSplit.File) s).path()).getFileName().toString()).toList();
    }

    @Test
    void eachFileOnceInTheBatchOfItsArrivalIgnoringHiddenAndCopyingFiles() throws IOException {
        FileArrivals files = new FileArrivals(tmp.resolve("in").toString(), 100_000, null);
        file("old.txt", 99_000);
        file("a.txt", 100_500);
        file(".hidden", 100_500);
        file("_temp", 100_500);
        file("b.txt_COPYING_", 100_500);
        file("later.txt", 101_500);
        assertEquals(List.of("a.txt"), names(files.take(101_000)));
        assertEquals(List.of("later.txt"), names(files.take(102_000)));
        assertEquals(List.of(), names(files.take(103_000)));
    }

    @Test
    void aMissingDirectoryIsAnErrorNamingItUntilItAppears() throws IOException {
        FileArrivals files = new FileArrivals(tmp.resolve("in").toString(), 100_000, null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> files.take(101_000));
        assertTrue(e.getMessage().contains("textFileStream(" + tmp.resolve("in") + ")"), e.getMessage());
        file("a.txt", 101_500);
        assertEquals(List.of("a.txt"), names(files.take(102_000)));
    }

    @Test
    void aRestartNeitherRereadsCompletedFilesNorSkipsUncompletedOnes() throws IOException {
        Path progress = tmp.resolve("progress/node-0.files");
        FileArrivals before = new FileArrivals(tmp.resolve("in").toString(), 100_000, progress);
        file("a.txt", 100_500);
        assertEquals(List.of("a.txt"), names(before.take(101_000)));
        before.completed(101_000);
        file("b.txt", 101_500);
        assertEquals(List.of("b.txt"), names(before.take(102_000)));
        // The coordinator dies before batch 102000 completes; c.txt arrives while it is down.
        file("c.txt", 102_500);
        FileArrivals after = new FileArrivals(tmp.resolve("in").toString(), 104_000, progress);
        assertEquals(List.of("b.txt", "c.txt"), names(after.take(105_000)));
        assertEquals(List.of(), names(after.take(106_000)));
    }
}
