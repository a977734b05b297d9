package dev.sluice.coordinator.job;

import dev.sluice.engine.graph.InputSplit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchLogTest {

    private static final Map<Integer, List<InputSplit>> SPLITS = Map.of(
            0, List.of(new InputSplit.Block("b-1", "host:1", 10), new InputSplit.Block("b-2", "host:2", 5)),
            3, List.of(new InputSplit.File("/in/a.txt")),
            5, List.of(new InputSplit.OffsetRange("topic", 1, 10, 20)));

    @TempDir
    Path dir;

    @Test
    void aReopenedLogGivesTheZeroTimeTheCutBatchesAndWhichEnded() {
        try (BatchLog log = BatchLog.open(dir, "graph-1", 1000, 5000, 10_000)) {
            assertNull(log.saved(), "a new log has nothing saved");
            assertEquals(5000, log.zeroTimeMs());
            log.cut(6000, SPLITS);
            log.cut(7000, Map.of(0, List.of()));
            log.end(6000, true);
            log.cut(8000, Map.of());
        }
        try (BatchLog log = BatchLog.open(dir, "graph-1", 1000, 99_000, 10_000)) {
            BatchLog.Saved saved = log.saved();
            assertEquals(5000, log.zeroTimeMs(), "a resumed job keeps its zero time");
            assertEquals(List.of(6000L, 7000L, 8000L), List.copyOf(saved.cuts().keySet()));
            assertEquals(List.of(7000L, 8000L), List.copyOf(saved.unfinished().keySet()));
            assertEquals(SPLITS, saved.cuts().get(6000L));
            assertEquals(8000, saved.lastCutMs());
        }
    }

    @Test
    void aTornLastEntryIsIgnored() throws IOException {
        try (BatchLog log = BatchLog.open(dir, "graph-1", 1000, 0, 10_000)) {
            log.cut(1000, SPLITS);
        }
        // A crash while appending: a length prefix promising more bytes than follow.
        Files.write(dir.resolve("batches.log"), new byte[] {40, 1, 2}, StandardOpenOption.APPEND);
        try (BatchLog log = BatchLog.open(dir, "graph-1", 1000, 0, 10_000)) {
            assertEquals(List.of(1000L), List.copyOf(log.saved().unfinished().keySet()));
        }
    }

    @Test
    void aChangedJobIsRefusedWithWhatToDo() {
        try (BatchLog log = BatchLog.open(dir, "graph-1", 1000, 0, 10_000)) {
            log.cut(1000, SPLITS);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BatchLog.open(dir, "graph-2", 1000, 0, 10_000));
        assertTrue(e.getMessage().contains("graph-1") && e.getMessage().contains("graph-2")
                && e.getMessage().contains("new checkpoint directory"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> BatchLog.open(dir, "graph-1", 2000, 0, 10_000));
    }

    @Test
    void endedBatchesOlderThanTheInputRetentionAreCompactedAway() throws IOException {
        try (BatchLog log = BatchLog.open(dir, "graph-1", 1000, 0, 3000)) {
            log.cut(1000, SPLITS);   // never ends: kept however old
            for (long t = 2000; t <= 3000_000; t += 1000) {
                log.cut(t, SPLITS);
                log.end(t, true);
            }
        }
        assertTrue(Files.size(dir.resolve("batches.log")) < 200_000, "the log stays small");
        try (BatchLog log = BatchLog.open(dir, "graph-1", 1000, 0, 3000)) {
            assertEquals(List.of(1000L), List.copyOf(log.saved().unfinished().keySet()));
            assertTrue(log.saved().cuts().containsKey(3000_000L - 3000), "recent inputs are kept for recomputation");
            assertEquals(3000_000, log.saved().lastCutMs());
        }
    }
}
