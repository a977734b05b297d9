package dev.sluice.receiver.coordinator;

import dev.sluice.protocol.BlockAck;
import dev.sluice.protocol.BlockReport;
import dev.sluice.protocol.BlockTrackerGrpc;
import dev.sluice.protocol.RateLimit;
import dev.sluice.protocol.ReceiverAssignment;
import dev.sluice.protocol.ReceiverCommand;
import dev.sluice.protocol.ReceiverHello;
import dev.sluice.protocol.RunningSource;
import dev.sluice.receiver.block.Block;
import dev.sluice.receiver.block.BlockReporter;
import dev.sluice.receiver.replica.Replica;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.sluice.receiver.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoordinatorLinkTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<ReceiverHello> hellos = new CopyOnWriteArrayList<>();
    private final List<ReceiverCommand> commands = new CopyOnWriteArrayList<>();
    private final List<BlockReport> reports = new CopyOnWriteArrayList<>();
    private final AtomicInteger attaches = new AtomicInteger();
    private final AtomicBoolean acceptReports = new AtomicBoolean(true);
    private final AtomicBoolean processedReports = new AtomicBoolean(false);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private Server server;
    private CoordinatorLink link;

    /** Fails the first Attach, completes the second after one assignment, keeps the third open after two commands. */
    private final class Tracker extends BlockTrackerGrpc.BlockTrackerImplBase {
        @Override
        public void attach(ReceiverHello request, StreamObserver<ReceiverCommand> out) {
            hellos.add(request);
            int n = attaches.incrementAndGet();
            if (n == 1) {
                out.onError(Status.UNAVAILABLE.withDescription("starting up").asRuntimeException());
                return;
            }
            out.onNext(ReceiverCommand.newBuilder()
                    .setAssign(ReceiverAssignment.newBuilder().setJob("j").setNode(n)).build());
            if (n == 2) {
                out.onCompleted();
            } else {
                out.onNext(ReceiverCommand.newBuilder()
                        .setRate(RateLimit.newBuilder().setJob("j").setNode(n).setRecordsPerSecond(50)).build());
            }
        }

        @Override
        public void reportBlock(BlockReport request, StreamObserver<BlockAck> out) {
            reports.add(request);
            out.onNext(acceptReports.get()
                    ? BlockAck.newBuilder().setAccepted(true).setAlreadyProcessed(processedReports.get()).build()
                    : BlockAck.newBuilder().setAccepted(false).setError("unknown job").build());
            out.onCompleted();
        }
    }

    @AfterEach
    void tearDown() {
        if (link != null) {
            link.close();
        }
        scheduler.shutdownNow();
        if (server != null) {
            server.shutdownNow();
        }
    }

    private void connect() throws Exception {
        server = ServerBuilder.forPort(0).addService(new Tracker()).build().start();
        String target = "localhost:" + server.getPort();
        link = new CoordinatorLink(ManagedChannelBuilder.forTarget(target).usePlaintext().build(), target, "r1",
                "receiver-host:9095", scheduler);
    }

    @Test
    void reattachesWhenTheStreamFailsOrCompletes() throws Exception {
        connect();
        assertFalse(link.isAttached());
        link.start(commands::add);

        await(WAIT, "the third attach", () -> attaches.get() == 3 && commands.size() == 3);
        await(WAIT, "the link to count as attached", link::isAttached);
        assertEquals(List.of(ReceiverCommand.KindCase.ASSIGN, ReceiverCommand.KindCase.ASSIGN,
                ReceiverCommand.KindCase.RATE), commands.stream().map(ReceiverCommand::getKindCase).toList());
        assertEquals(List.of(2, 3), commands.stream().filter(ReceiverCommand::hasAssign)
                .map(c -> c.getAssign().getNode()).toList());
        assertEquals(50, commands.get(2).getRate().getRecordsPerSecond());
        for (ReceiverHello h : hellos) {
            assertEquals("r1", h.getReceiverId());
            assertEquals("receiver-host:9095", h.getAddress());
        }
    }

    @Test
    void reportsBlocksAndFailsWhenTheyAreNotAccepted() throws Exception {
        connect();
        Block block = new Block("r1-0-run.7", "j", 4, new byte[] {1}, 12, 1234);
        assertEquals(BlockReporter.Outcome.ACCEPTED, link.report(block));
        BlockReport r = reports.get(0);
        assertEquals("j", r.getJob());
        assertEquals(4, r.getNode());
        assertEquals("r1-0-run.7", r.getBlock().getBlockId());
        assertEquals("receiver-host:9095", r.getBlock().getAddress());
        assertEquals(12, r.getBlock().getRecords());
        assertEquals(1234, r.getReceivedAtMs());

        processedReports.set(true);
        assertEquals(BlockReporter.Outcome.ALREADY_PROCESSED, link.report(block));

        acceptReports.set(false);
        BlockNotAcceptedException e = assertThrows(BlockNotAcceptedException.class, () -> link.report(block));
        assertTrue(e.getMessage().contains("unknown job"), e.getMessage());
    }

    @Test
    void everyAttachNamesTheRunningSourcesAndEveryAttachAfterTheFirstIsAnnounced() throws Exception {
        connect();
        AtomicInteger reattached = new AtomicInteger();
        List<RunningSource> running = new CopyOnWriteArrayList<>();
        link.start(command -> {
            // The receiver starts what it is assigned; the next attach names it.
            if (command.hasAssign()) {
                running.add(RunningSource.newBuilder().setJob(command.getAssign().getJob())
                        .setNode(command.getAssign().getNode()).build());
            }
        }, () -> List.copyOf(running), reattached::incrementAndGet);

        await(WAIT, "the third attach", () -> attaches.get() == 3 && link.isAttached());
        // The first attach failed before any command: the second stream is the first established one.
        await(WAIT, "the re-attach to be announced", () -> reattached.get() == 1);
        assertEquals(List.of(), hellos.get(0).getRunningList());
        assertEquals(List.of(), hellos.get(1).getRunningList());
        assertEquals(List.of(RunningSource.newBuilder().setJob("j").setNode(2).build()),
                hellos.get(2).getRunningList());
    }

    @Test
    void reportsReplicasAtItsOwnAddress() throws Exception {
        connect();
        Replica replica = new Replica(new Block("r2-0-run.3", "j", 4, new byte[] {1}, 5, 99), "peer-host:9095");
        assertEquals(BlockReporter.Outcome.ACCEPTED, link.reportReplica(replica).join());
        BlockReport r = reports.get(0);
        assertTrue(r.getReplica());
        assertEquals("r2-0-run.3", r.getBlock().getBlockId());
        assertEquals("receiver-host:9095", r.getBlock().getAddress());
        assertEquals(5, r.getBlock().getRecords());

        processedReports.set(true);
        assertEquals(BlockReporter.Outcome.ALREADY_PROCESSED, link.reportReplica(replica).join());

        acceptReports.set(false);
        CompletionException e = assertThrows(CompletionException.class, () -> link.reportReplica(replica).join());
        assertTrue(e.getCause() instanceof BlockNotAcceptedException, String.valueOf(e.getCause()));
    }
}
