package dev.sluice.coordinator.job;

import dev.sluice.engine.graph.InputSplit;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ReceivedBlockTrackerTest {

    private static InputSplit.Block block(String id, String at) {
        return new InputSplit.Block(id, at, 3);
    }

    @Test
    void aBatchTakesEveryBlockReportedBeforeItInReportOrder() {
        ReceivedBlockTracker t = new ReceivedBlockTracker(60_000);
        t.add(0, block("b1", "r:1"));
        t.add(0, block("b2", "r:1"));
        t.add(1, block("c1", "r:1"));
        assertEquals(List.of(block("b1", "r:1"), block("b2", "r:1")), t.allocate(0, 1000));
        assertEquals(List.of(), t.allocate(0, 2000));
        assertEquals(List.of(block("c1", "r:1")), t.allocate(1, 2000));
    }

    @Test
    void aReplayedBlockIsNeverCountedTwice() {
        ReceivedBlockTracker t = new ReceivedBlockTracker(60_000);
        assertEquals(ReceivedBlockTracker.Outcome.ADDED, t.add(0, block("b1", "r:1")));
        // Replayed before allocation: it moves, and is still allocated once.
        assertEquals(ReceivedBlockTracker.Outcome.MOVED, t.add(0, block("b1", "r:2")));
        assertEquals(List.of(block("b1", "r:2")), t.allocate(0, 1000));
        // Replayed after allocation: the batch reads it at its new address.
        assertEquals(ReceivedBlockTracker.Outcome.MOVED, t.add(0, block("b1", "r:3")));
        assertEquals(block("b1", "r:3"), t.current("b1"));
        assertEquals(List.of(), t.allocate(0, 2000));
        // Replayed after processing: the receiver is told to drop it.
        assertEquals(Map.of(0, List.of("b1")), t.processedThrough(1000, 5_000));
        assertNull(t.current("b1"));
        assertEquals(ReceivedBlockTracker.Outcome.ALREADY_PROCESSED, t.add(0, block("b1", "r:4")));
        assertEquals(List.of(), t.allocate(0, 3000));
    }

    @Test
    void aBlockIdReportedAgainWithOtherContentIsAConflictAndChangesNothing() {
        ReceivedBlockTracker t = new ReceivedBlockTracker(60_000);
        t.add(0, block("b1", "r:1"));
        assertEquals(ReceivedBlockTracker.Outcome.CONFLICT, t.add(1, block("b1", "r:2")));
        assertEquals(ReceivedBlockTracker.Outcome.CONFLICT, t.add(0, new InputSplit.Block("b1", "r:2", 4)));
        assertEquals(block("b1", "r:1"), t.current("b1"));
        assertEquals(List.of(), t.allocate(1, 1000));
        assertEquals(List.of(block("b1", "r:1")), t.allocate(0, 1000));
    }

    @Test
    void onlyAllocatedBlocksOfFinishedBatchesAreProcessed() {
        ReceivedBlockTracker t = new ReceivedBlockTracker(60_000);
        t.add(0, block("b1", "r:1"));
        t.allocate(0, 1000);
        t.add(0, block("b2", "r:1"));
        t.allocate(0, 2000);
        t.add(0, block("b3", "r:1"));
        assertEquals(Map.of(0, List.of("b1")), t.processedThrough(1000, 0));
        assertEquals(Map.of(0, List.of("b2")), t.processedThrough(2000, 0));
        assertEquals(Map.of(), t.processedThrough(3000, 0));
    }

    @Test
    void processedIdsAreForgottenAfterTheRememberWindow() {
        ReceivedBlockTracker t = new ReceivedBlockTracker(1_000);
        t.add(0, block("b1", "r:1"));
        t.allocate(0, 1000);
        t.processedThrough(1000, 10_000);
        t.processedThrough(2000, 20_000);
        assertEquals(ReceivedBlockTracker.Outcome.ADDED, t.add(0, block("b1", "r:1")));
    }

    @Test
    void aReplicaIsNeverInputByItself() {
        ReceivedBlockTracker t = new ReceivedBlockTracker(1_000);
        // The peer reports the replica first; the primary died before it reported the block.
        assertEquals(ReceivedBlockTracker.Outcome.REPLICA, t.addReplica("b1", "peer:2", 0));
        assertEquals(List.of(), t.allocate(0, 1000));
        assertNull(t.current("b1"));
        assertEquals("peer:2", t.replica("b1"));
        // Forgotten once the remember window is over: its block will never come.
        t.processedThrough(1000, 5_000);
        assertNull(t.replica("b1"));
    }

    @Test
    void aReplicaReportedBeforeItsBlockJoinsIt() {
        ReceivedBlockTracker t = new ReceivedBlockTracker(60_000);
        t.addReplica("b1", "peer:2", 0);
        assertEquals(ReceivedBlockTracker.Outcome.ADDED, t.add(0, block("b1", "r:1")));
        assertEquals("peer:2", t.replica("b1"));
        assertEquals(List.of(block("b1", "r:1")), t.allocate(0, 1000));
        // Reported again by the holder (it re-attached): no change, and still not input.
        assertEquals(ReceivedBlockTracker.Outcome.REPLICA, t.addReplica("b1", "peer:2", 0));
        assertEquals(List.of(), t.allocate(0, 2000));
        t.processedThrough(1000, 0);
        assertEquals(ReceivedBlockTracker.Outcome.ALREADY_PROCESSED, t.addReplica("b1", "peer:2", 0));
    }

    @Test
    void theBlocksOfAReceiverThatWentAwayMoveToTheirReplicas() {
        ReceivedBlockTracker t = new ReceivedBlockTracker(60_000);
        t.addReplica("b1", "peer:2", 0);
        t.add(0, block("b1", "r:1"));
        t.addReplica("b2", "peer:2", 0);
        t.add(0, block("b2", "r:1"));
        t.allocate(0, 1000);
        t.add(0, block("b3", "r:1"));
        t.add(0, block("c1", "other:3"));
        t.addReplica("c1", "r:1", 0);
        t.addReplica("orphan", "r:1", 0);

        ReceivedBlockTracker.FailOver f = t.failOver("r:1");

        assertEquals(2, f.moved());
        assertEquals(List.of("b3"), f.stranded());
        // Allocated or not, a block is read at its replica from now on.
        assertEquals(block("b1", "peer:2"), t.current("b1"));
        assertEquals(block("b2", "peer:2"), t.current("b2"));
        assertEquals(block("b3", "r:1"), t.current("b3"));
        assertEquals(List.of(block("b3", "r:1"), block("c1", "other:3")), t.allocate(0, 2000));
        // The replicas it held went with it.
        assertNull(t.replica("c1"));
        assertNull(t.replica("orphan"));
    }

    @Test
    void aPrimaryThatComesBackTakesItsBlocksBackAndKeepsTheirReplicas() {
        ReceivedBlockTracker t = new ReceivedBlockTracker(60_000);
        t.addReplica("b1", "peer:2", 0);
        t.add(0, block("b1", "r:1"));
        t.failOver("r:1");
        assertEquals(block("b1", "peer:2"), t.current("b1"));
        // It only lost its connection: it re-attaches and reports what it holds.
        assertEquals(ReceivedBlockTracker.Outcome.MOVED, t.add(0, block("b1", "r:1")));
        assertEquals(block("b1", "r:1"), t.current("b1"));
        assertEquals("peer:2", t.replica("b1"));
        // The block is counted once all the same.
        assertEquals(List.of(block("b1", "r:1")), t.allocate(0, 1000));
        // And it can fail over again.
        t.failOver("r:1");
        assertEquals(block("b1", "peer:2"), t.current("b1"));
        // Losing the replica holder too leaves it stranded there.
        ReceivedBlockTracker.FailOver f = t.failOver("peer:2");
        assertEquals(0, f.moved());
        assertEquals(List.of("b1"), f.stranded());
        assertNull(t.replica("b1"));
    }
}
