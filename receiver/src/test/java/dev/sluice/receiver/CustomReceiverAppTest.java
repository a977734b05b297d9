package dev.sluice.receiver;

import dev.sluice.api.JobArgs;
import dev.sluice.engine.graph.GraphBuilder;
import dev.sluice.engine.job.JobCatalog;
import dev.sluice.protocol.BlockReport;
import dev.sluice.receiver.testjobs.SequenceReceiverJob;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.sluice.receiver.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A custom receiver end to end: the receiver process defines the test job from the
 * assignment's definition, runs its Receiver (which stores 0..299 and restarts once halfway),
 * and every stored record arrives, once and in order, in reported blocks served by the
 * BlockStore. The same receiver assigned with a wrong fingerprint is not started.
 */
@QuarkusTest
@WithTestResource(FakeCoordinator.class)
class CustomReceiverAppTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int COUNT = 300;

    FakeCoordinator coordinator;

    @Inject
    ReceiverLifecycle receiver;

    @BeforeEach
    void assignTheCustomReceiver() {
        // As the coordinator does: define the job and send its fingerprint with the assignment.
        String fingerprint = GraphBuilder.define(JobCatalog.load().find(SequenceReceiverJob.NAME),
                JobArgs.of(FakeCoordinator.CUSTOM_ARGS), new PrintStream(OutputStream.nullOutputStream()))
                .fingerprint();
        await(WAIT, "the receiver to attach", () -> !coordinator.hellos().isEmpty());
        coordinator.assignCustom(fingerprint);
    }

    private long reported() {
        return coordinator.accepted(SequenceReceiverJob.NAME, SequenceReceiverJob.NODE).stream()
                .mapToLong(r -> r.getBlock().getRecords()).sum();
    }

    @Test
    void everyStoredRecordArrivesInReportedBlocksAcrossTheRestart() throws InterruptedException {
        await(WAIT, COUNT + " records reported", () -> reported() >= COUNT);
        Thread.sleep(150);
        List<BlockReport> reports = coordinator.accepted(SequenceReceiverJob.NAME, SequenceReceiverJob.NODE);
        List<Object> expected = new ArrayList<>();
        for (long i = 0; i < COUNT; i++) {
            expected.add(i);
        }
        assertEquals(expected, BlockFetch.records(reports));

        String job = SequenceReceiverJob.NAME;
        String node = Integer.toString(SequenceReceiverJob.NODE);
        assertEquals(1, Metrics.value("sluice_receiver_restarts_total", "job", job, "node", node));
        assertEquals(0, Metrics.value("sluice_receiver_errors_total", "job", job, "node", node));
        assertEquals(COUNT, Metrics.value("sluice_receiver_records_total", "job", job, "node", node));
    }

    @Test
    void doesNotStartAReceiverWhoseGraphHasAnotherFingerprint() {
        await(WAIT, "the custom receiver to start", () -> receiver.streams() != null
                && receiver.streams().stream(SequenceReceiverJob.NAME, SequenceReceiverJob.NODE).isPresent());
        assertTrue(receiver.streams().stream(FakeCoordinator.MISMATCHED_JOB, SequenceReceiverJob.NODE).isEmpty());
        assertTrue(coordinator.accepted(FakeCoordinator.MISMATCHED_JOB, SequenceReceiverJob.NODE).isEmpty());
    }
}
