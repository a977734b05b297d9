package dev.sluice.receiver;

import dev.sluice.engine.codec.RecordCodec;
import dev.sluice.protocol.BlockReport;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.sluice.receiver.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replay of the write-ahead log a previous run left (seeded by the fake coordinator before the
 * app started): logged blocks are reported again with their original ids at this process's
 * address, the one the coordinator says is processed is dropped with its file, and the
 * corrupt files are moved aside and counted without stopping anything.
 */
@QuarkusTest
@WithTestResource(FakeCoordinator.class)
class WalReplayAppTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    FakeCoordinator coordinator;

    private Optional<BlockReport> accepted(String blockId) {
        return coordinator.accepted().stream().filter(r -> r.getBlock().getBlockId().equals(blockId)).findFirst();
    }

    private Path file(String blockId) {
        return coordinator.walFile(FakeCoordinator.REPLAY_JOB, FakeCoordinator.REPLAY_NODE, blockId);
    }

    @Test
    void reportsLoggedBlocksAgainWithTheirOriginalIds() {
        String kept = FakeCoordinator.REPLAYED_KEPT.id();
        await(WAIT, "the replayed report of " + kept, () -> accepted(kept).isPresent());
        BlockReport r = accepted(kept).orElseThrow();
        assertEquals(FakeCoordinator.REPLAY_JOB, r.getJob());
        assertEquals(FakeCoordinator.REPLAY_NODE, r.getNode());
        assertEquals(3, r.getBlock().getRecords());
        assertEquals(FakeCoordinator.REPLAYED_KEPT.receivedAtMs(), r.getReceivedAtMs());
        assertEquals(coordinator.hellos().get(0).getAddress(), r.getBlock().getAddress(), "at its new address");
        assertEquals(RecordCodec.decode(FakeCoordinator.REPLAYED_KEPT.data()),
                BlockFetch.records(r.getBlock().getAddress(), kept));
        assertTrue(Files.exists(file(kept)), "kept in the log until processed");

        coordinator.processed(FakeCoordinator.REPLAY_JOB, FakeCoordinator.REPLAY_NODE, kept);
        await(WAIT, "the processed block's file to go", () -> !Files.exists(file(kept)));
    }

    @Test
    void dropsABlockTheCoordinatorSaysIsAlreadyProcessed() {
        String done = FakeCoordinator.REPLAYED_DONE.id();
        await(WAIT, "the replayed report of " + done, () -> coordinator.alreadyProcessed().stream()
                .anyMatch(r -> r.getBlock().getBlockId().equals(done)));
        await(WAIT, "its file to go", () -> !Files.exists(file(done)));
        assertTrue(accepted(done).isEmpty());
    }

    @Test
    void movesCorruptFilesAsideAndCountsThem() {
        for (String id : List.of(FakeCoordinator.TRUNCATED.id(), FakeCoordinator.FLIPPED.id())) {
            Path f = file(id);
            assertFalse(Files.exists(f), f + " moved away");
            assertTrue(Files.exists(f.resolveSibling(f.getFileName() + ".corrupt")), f + " moved aside");
            assertTrue(accepted(id).isEmpty(), "a corrupt block is not reported");
        }
        assertEquals(2, Metrics.value("sluice_receiver_wal_corrupt_total"));
    }
}
