package dev.sluice.receiver.coordinator;

import dev.sluice.receiver.block.Block;
import dev.sluice.receiver.block.BlockReporter;
import dev.sluice.receiver.block.ReceivedBlockStore;
import dev.sluice.receiver.replica.Replica;
import dev.sluice.receiver.replica.ReplicaStore;
import dev.sluice.receiver.wal.WriteAheadLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.sluice.receiver.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReattachReporterTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path walDir;

    private final ReceivedBlockStore store = new ReceivedBlockStore(Duration.ofMinutes(2), Clock.systemUTC());
    private final ReplicaStore replicas = new ReplicaStore(Duration.ofMinutes(2), Clock.systemUTC());
    private final List<String> blockReports = new CopyOnWriteArrayList<>();
    private final List<String> replicaReports = new CopyOnWriteArrayList<>();

    private static Block block(String id) {
        return new Block(id, "j", 1, new byte[] {1, 2}, 2, 10);
    }

    @Test
    void reportsEveryHeldBlockAndReplicaAgainAndDropsWhatIsProcessed() throws Exception {
        WriteAheadLog wal = new WriteAheadLog(walDir);
        store.put(block("mem"));
        Block logged = block("logged");
        wal.write(logged);
        store.put(logged);
        // Past its retention in memory, still in the log: not processed yet.
        Block onlyLogged = block("only-logged");
        wal.write(onlyLogged);
        store.put(block("done"));
        replicas.put(new Replica(block("peer-kept"), "peer:1"));
        replicas.put(new Replica(block("peer-done"), "peer:1"));
        Set<String> processed = Set.of("done", "peer-done");
        AtomicInteger failFirst = new AtomicInteger(1);

        ReattachReporter reporter = new ReattachReporter(store, wal, replicas, b -> {
            // The coordinator is still coming up: the first report fails and is retried.
            if (failFirst.getAndDecrement() > 0) {
                throw new IllegalStateException("unavailable");
            }
            blockReports.add(b.id());
            return processed.contains(b.id()) ? BlockReporter.Outcome.ALREADY_PROCESSED
                    : BlockReporter.Outcome.ACCEPTED;
        }, r -> {
            replicaReports.add(r.id());
            return CompletableFuture.completedFuture(processed.contains(r.id())
                    ? BlockReporter.Outcome.ALREADY_PROCESSED : BlockReporter.Outcome.ACCEPTED);
        });
        reporter.reattached();
        await(WAIT, "the run to finish", () -> reporter.runs() == 1);
        reporter.stop();

        assertEquals(Set.of("mem", "logged", "only-logged", "done"), Set.copyOf(blockReports));
        assertEquals(4, blockReports.size());
        assertEquals(Set.of("peer-kept", "peer-done"), Set.copyOf(replicaReports));
        assertEquals(6, reporter.reported());
        assertEquals(2, reporter.dropped());
        assertTrue(store.get("mem").isPresent());
        assertFalse(store.get("done").isPresent());
        assertTrue(wal.contains("only-logged"));
        assertTrue(replicas.get("peer-kept").isPresent());
        assertFalse(replicas.get("peer-done").isPresent());
    }

    @Test
    void doesNotReportABlockThatWasProcessedSinceTheRunBegan() throws Exception {
        WriteAheadLog wal = new WriteAheadLog(walDir);
        store.put(block("a"));
        store.put(block("b"));
        CompletableFuture<Void> firstReported = new CompletableFuture<>();
        CompletableFuture<Void> goOn = new CompletableFuture<>();
        ReattachReporter reporter = new ReattachReporter(store, wal, replicas, b -> {
            blockReports.add(b.id());
            firstReported.complete(null);
            goOn.join();
            return BlockReporter.Outcome.ACCEPTED;
        }, r -> CompletableFuture.completedFuture(BlockReporter.Outcome.ACCEPTED));
        reporter.reattached();
        firstReported.join();
        // The processed command drops the other block while the first report is under way.
        String other = blockReports.get(0).equals("a") ? "b" : "a";
        store.remove(other);
        goOn.complete(null);
        await(WAIT, "the run to finish", () -> reporter.runs() == 1);
        reporter.stop();
        assertEquals(1, blockReports.size());
    }
}
