package dev.sluice.receiver;

import dev.sluice.protocol.ReceiverAssignment;
import dev.sluice.protocol.SocketSource;
import dev.sluice.receiver.block.BlockIds;
import dev.sluice.receiver.block.ReceivedBlockStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunningStreamsTest {

    private final RunningStreams streams = new RunningStreams(Duration.ofMillis(200), 1024, new BlockIds("r", "run"),
            new ReceivedBlockStore(Duration.ofMinutes(2), Clock.systemUTC()), block -> {
            }, (job, node) -> StreamCounters.NONE, Clock.systemUTC());

    @AfterEach
    void stop() {
        streams.stopAll();
    }

    private static ReceiverAssignment socket(String job, int node) {
        // Nothing listens there; the source just keeps retrying until stopped.
        return ReceiverAssignment.newBuilder().setJob(job).setNode(node)
                .setSocket(SocketSource.newBuilder().setHost("localhost").setPort(1)).build();
    }

    @Test
    void startsOneStreamPerJobAndNode() {
        assertTrue(streams.start(socket("a", 0)));
        assertFalse(streams.start(socket("a", 0)), "already running");
        assertTrue(streams.start(socket("a", 1)));
        assertTrue(streams.start(socket("b", 0)));
        assertEquals(3, streams.size());
    }

    @Test
    void ignoresAssignmentsWithoutASource() {
        assertFalse(streams.start(ReceiverAssignment.newBuilder().setJob("a").setNode(0).build()));
        assertEquals(0, streams.size());
    }

    @Test
    void startsNothingOnceStopped() {
        streams.stopAll();
        assertFalse(streams.start(socket("a", 0)));
    }
}
