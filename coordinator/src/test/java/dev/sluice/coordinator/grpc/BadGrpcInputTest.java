package dev.sluice.coordinator.grpc;

import dev.sluice.coordinator.RefusedCount;
import dev.sluice.protocol.BlockRef;
import dev.sluice.protocol.BlockReport;
import dev.sluice.protocol.BlockTrackerGrpc;
import dev.sluice.protocol.ControlGrpc;
import dev.sluice.protocol.CoordinatorMessage;
import dev.sluice.protocol.Heartbeat;
import dev.sluice.protocol.ReceiverCommand;
import dev.sluice.protocol.ReceiverHello;
import dev.sluice.protocol.Register;
import dev.sluice.protocol.TaskId;
import dev.sluice.protocol.TaskStatus;
import dev.sluice.protocol.WorkerMessage;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad messages sent over real gRPC to the running coordinator: each is refused with the
 * status and the field it names, or ignored, and counted in {@code sluice_refused_total};
 * the coordinator keeps serving.
 */
@QuarkusTest
@TestProfile(BadGrpcInputTest.HttpJob.class)
class BadGrpcInputTest {

    static final int GRPC_PORT = 19475;

    /** wordcount over an HTTP source (node 0), so that block reports have a source to name. */
    public static class HttpJob implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.grpc.server.test-port", Integer.toString(GRPC_PORT),
                    "%test.sluice.job.args.source", "http:events", "sluice.scheduler.max-slots-per-worker", "8",
                    // The test's workers send no heartbeats of their own.
                    "sluice.heartbeat.misses", "200");
        }
    }

    private static ManagedChannel channel;

    @BeforeAll
    static void connect() {
        channel = ManagedChannelBuilder.forAddress("localhost", GRPC_PORT).usePlaintext().build();
    }

    @AfterAll
    static void disconnect() {
        channel.shutdownNow();
    }

    /** One worker's control stream: what the coordinator sent down it, and how it ended. */
    private static final class WorkerStream {
        final BlockingQueue<CoordinatorMessage> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Status> ended = new CompletableFuture<>();
        final StreamObserver<WorkerMessage> up = ControlGrpc.newStub(channel).connect(new StreamObserver<>() {
            @Override
            public void onNext(CoordinatorMessage m) {
                received.add(m);
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                ended.complete(Status.OK);
            }
        });

        void send(WorkerMessage.Builder m) {
            up.onNext(m.build());
        }

        /** Registers as {@code id} with {@code slots}; the epoch the coordinator gave. */
        long register(String id, int slots) throws InterruptedException {
            send(WorkerMessage.newBuilder().setRegister(Register.newBuilder().setWorkerId(id).setAddress(id + ":9191")
                    .setSlots(slots)));
            for (CoordinatorMessage m = received.poll(10, TimeUnit.SECONDS); m != null;
                 m = received.poll(10, TimeUnit.SECONDS)) {
                if (m.hasRegistered()) {
                    return m.getRegistered().getEpoch();
                }
            }
            throw new AssertionError("never registered");
        }

        /** The status the stream ended with. */
        Status end() throws Exception {
            return ended.get(10, TimeUnit.SECONDS);
        }

        void close() {
            if (!ended.isDone()) {
                up.onCompleted();
            }
        }
    }

    private static double refused(String boundary, String reason) {
        return RefusedCount.of(boundary, reason);
    }

    private static long zeroTimeMs() {
        return given().when().get("/api/jobs/wordcount").then().statusCode(200).extract().jsonPath().getLong("zeroTime");
    }

    /** A status of partition 999, which no task of the job has: it can only be ignored. */
    private static TaskStatus.Builder status(long epoch, long batchTimeMs) {
        return TaskStatus.newBuilder().setId(TaskId.newBuilder().setJob("wordcount").setBatchTimeMs(batchTimeMs)
                .setStage(0).setPartition(999)).setState(TaskStatus.State.SUCCEEDED).setEpoch(epoch);
    }

    /** A heartbeat that closes the stream: proof that what was sent before it did not. */
    private static WorkerMessage.Builder badHeartbeat() {
        return WorkerMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().setFreeSlots(-7));
    }

    /** A well-formed worker still registers: the coordinator keeps serving. */
    private static void aWorkerStillRegisters() throws Exception {
        WorkerStream w = new WorkerStream();
        try {
            assertTrue(w.register("healthy", 2) > 0);
        } finally {
            w.close();
        }
    }

    @Test
    void aMalformedRegistrationClosesTheStreamNamingTheField() throws Exception {
        double before = refused("control", "invalid");
        WorkerStream w = new WorkerStream();
        w.send(WorkerMessage.newBuilder().setRegister(Register.newBuilder().setWorkerId("w").setAddress("nowhere")
                .setSlots(2)));
        Status s = w.end();
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
        assertEquals("address must be host:port with a port from 1 to 65535, got 'nowhere'", s.getDescription());

        w = new WorkerStream();
        w.send(WorkerMessage.newBuilder().setRegister(Register.newBuilder().setWorkerId("w").setAddress("w:1")
                .setSlots(-1)));
        assertEquals("slots must be at least 1, got -1", w.end().getDescription());
        assertEquals(before + 2, refused("control", "invalid"));
        aWorkerStillRegisters();
    }

    @Test
    void aMessageBeforeRegisteringIsRefused() throws Exception {
        WorkerStream w = new WorkerStream();
        w.send(WorkerMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().setFreeSlots(1)));
        assertEquals(Status.Code.FAILED_PRECONDITION, w.end().getCode());
        aWorkerStillRegisters();
    }

    @Test
    void anAbsurdSlotCountIsClampedToTheMaximum() throws Exception {
        double before = refused("control", "clamped");
        WorkerStream w = new WorkerStream();
        try {
            w.register("greedy", Integer.MAX_VALUE);
            int slots = when().get("/api/workers").then().statusCode(200).extract().jsonPath()
                    .getInt("find { it.id == 'greedy' }.slots");
            assertEquals(8, slots, "sluice.scheduler.max-slots-per-worker caps the slots");
            assertEquals(before + 1, refused("control", "clamped"));
            // Free slots up to what it advertised are fine.
            w.send(WorkerMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().setFreeSlots(Integer.MAX_VALUE)));
            w.send(badHeartbeat());
            assertEquals("free_slots must be from 0 to 2147483647, got -7", w.end().getDescription());
        } finally {
            w.close();
        }
    }

    @Test
    void aMalformedStatusClosesTheStreamAndTheWorkerIsGone() throws Exception {
        double before = refused("control", "invalid");
        WorkerStream w = new WorkerStream();
        long epoch = w.register("broken", 2);
        TaskStatus.Builder bad = status(epoch, zeroTimeMs() + 200);
        bad.setId(bad.getId().toBuilder().setPartition(-1));
        w.send(WorkerMessage.newBuilder().setStatus(bad));
        Status s = w.end();
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
        assertEquals("id.partition must not be negative, got -1", s.getDescription());
        assertEquals(before + 1, refused("control", "invalid"));
        assertEquals(0, when().get("/api/workers").then().extract().jsonPath().getList("findAll { it.id == 'broken' }")
                .size(), "a refused worker is dropped at once");
        aWorkerStillRegisters();
    }

    @Test
    void statusesAWorkerMaySendLateAreIgnoredAndCountedNeverTaken() throws Exception {
        double stale = refused("control", "stale");
        double unknown = refused("control", "unknown");
        double future = refused("control", "future");
        double offGrid = refused("control", "off_grid");
        WorkerStream w = new WorkerStream();
        try {
            long epoch = w.register("late", 2);
            long onGrid = zeroTimeMs() + 200;
            // From a fenced epoch; of a job that does not run; a batch 10 minutes ahead; off the grid;
            // and of an attempt that was never assigned to it.
            w.send(WorkerMessage.newBuilder().setStatus(status(epoch - 1, onGrid)));
            TaskStatus.Builder otherJob = status(epoch, onGrid);
            otherJob.setId(otherJob.getId().toBuilder().setJob("no-such-job"));
            w.send(WorkerMessage.newBuilder().setStatus(otherJob));
            w.send(WorkerMessage.newBuilder().setStatus(status(epoch, onGrid + 600_000)));
            w.send(WorkerMessage.newBuilder().setStatus(status(epoch, onGrid + 1)));
            w.send(WorkerMessage.newBuilder().setStatus(status(epoch, onGrid)));
            // The stream is still open: the next bad message is the one that closes it.
            w.send(badHeartbeat());
            assertEquals("free_slots must be from 0 to 2, got -7", w.end().getDescription());
            assertEquals(stale + 2, refused("control", "stale"), "the fenced epoch and the unassigned attempt");
            assertEquals(unknown + 1, refused("control", "unknown"));
            assertEquals(future + 1, refused("control", "future"));
            assertEquals(offGrid + 1, refused("control", "off_grid"));
        } finally {
            w.close();
        }
        aWorkerStillRegisters();
    }

    private static BlockReport.Builder report() {
        return BlockReport.newBuilder().setJob("wordcount").setNode(0).setReceivedAtMs(System.currentTimeMillis())
                .setBlock(BlockRef.newBuilder().setBlockId("test-0-x.1").setAddress("receiver-0:9095").setRecords(3));
    }

    private static StatusRuntimeException refusedReport(BlockReport.Builder report) {
        return assertThrows(StatusRuntimeException.class,
                () -> BlockTrackerGrpc.newBlockingStub(channel).reportBlock(report.build()));
    }

    @Test
    void badBlockReportsAreRefusedNamingTheFieldAndCounted() throws Exception {
        double invalid = refused("block_tracker", "invalid");
        double unknown = refused("block_tracker", "unknown");
        double future = refused("block_tracker", "future");
        double conflict = refused("block_tracker", "conflict");

        StatusRuntimeException e = refusedReport(report().setBlock(report().getBlock().toBuilder().setRecords(-5)));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("block.records must not be negative, got -5", e.getStatus().getDescription());
        assertEquals("block.block_id must be set, got ''",
                refusedReport(report().setBlock(report().getBlock().toBuilder().setBlockId(""))).getStatus().getDescription());
        e = refusedReport(report().setJob("no-such-job"));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals("job 'no-such-job' does not run on this coordinator", e.getStatus().getDescription());
        e = refusedReport(report().setNode(1));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals("node 1 is not a receiver-based source of job wordcount; those are [0]", e.getStatus().getDescription());
        e = refusedReport(report().setReceivedAtMs(System.currentTimeMillis() + 3_600_000));
        assertTrue(e.getStatus().getDescription().startsWith("received_at_ms "), e.getStatus().getDescription());

        // The same block twice is harmless; with another record count it is refused.
        assertTrue(BlockTrackerGrpc.newBlockingStub(channel).reportBlock(report().build()).getAccepted());
        assertTrue(BlockTrackerGrpc.newBlockingStub(channel).reportBlock(report().build()).getAccepted());
        e = refusedReport(report().setBlock(report().getBlock().toBuilder().setRecords(4)));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());

        assertEquals(invalid + 2, refused("block_tracker", "invalid"));
        assertEquals(unknown + 2, refused("block_tracker", "unknown"));
        assertEquals(future + 1, refused("block_tracker", "future"));
        assertEquals(conflict + 1, refused("block_tracker", "conflict"));
    }

    /** Found by FuzzIT: such a message failed the call with UNKNOWN and logged a SEVERE stack trace. */
    @Test
    void anUndecodableMessageIsRefusedAsInvalid() throws Exception {
        double invalid = refused("block_tracker", "invalid");
        MethodDescriptor.Marshaller<byte[]> bytes = new MethodDescriptor.Marshaller<>() {
            @Override
            public java.io.InputStream stream(byte[] value) {
                return new java.io.ByteArrayInputStream(value);
            }

            @Override
            public byte[] parse(java.io.InputStream stream) {
                try {
                    return stream.readAllBytes();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        MethodDescriptor<byte[], byte[]> raw = BlockTrackerGrpc.getReportBlockMethod().toBuilder(bytes, bytes).build();
        // Field 1 (job) claims 127 bytes and has 1.
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
                channel, raw, CallOptions.DEFAULT, new byte[] {0x0a, 0x7f, 0x41}));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("the message to sluice.v1.BlockTracker/ReportBlock is not a valid protobuf message of its type",
                e.getStatus().getDescription());
        assertEquals(invalid + 1, refused("block_tracker", "invalid"));
        assertNotNull(BlockTrackerGrpc.newBlockingStub(channel).reportBlock(report().build()));
    }

    @Test
    void aMalformedAttachIsRefused() {
        Iterator<ReceiverCommand> commands = BlockTrackerGrpc.newBlockingStub(channel)
                .attach(ReceiverHello.newBuilder().setReceiverId("").setAddress("receiver-0:9095").build());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, commands::hasNext);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("receiver_id must be set, got ''", e.getStatus().getDescription());
        assertNotNull(BlockTrackerGrpc.newBlockingStub(channel).reportBlock(report().build()));
    }
}
