package dev.sluice.receiver;

import dev.sluice.engine.codec.RecordCodec;
import dev.sluice.protocol.BlockReport;
import dev.sluice.protocol.BlockStoreGrpc;
import dev.sluice.protocol.DataChunk;
import dev.sluice.protocol.FetchBlockRequest;
import dev.sluice.protocol.transfer.Chunks;
import dev.sluice.receiver.block.Block;
import dev.sluice.receiver.replica.PeerReplicator;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.sluice.receiver.Eventually.await;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The receiver end to end: it attaches to a fake coordinator, runs the socket source it is
 * assigned, and every line sent comes back exactly once, in order, from the blocks it
 * reported, fetched through its real BlockStore gRPC server at the reported address.
 */
@QuarkusTest
@WithTestResource(FakeCoordinator.class)
class ReceiverAppTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    FakeCoordinator coordinator;

    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeEach
    void allLinesReported() {
        long expected = coordinator.lines().size();
        await(WAIT, expected + " records reported", () -> reportedRecords() >= expected);
    }

    @AfterEach
    void closeChannels() throws InterruptedException {
        for (ManagedChannel c : channels) {
            c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private List<BlockReport> socketReports() {
        return coordinator.accepted(FakeCoordinator.JOB, FakeCoordinator.NODE);
    }

    private long reportedRecords() {
        return socketReports().stream().mapToLong(r -> r.getBlock().getRecords()).sum();
    }

    private BlockStoreGrpc.BlockStoreBlockingStub blockStore(String address) {
        ManagedChannel c = ManagedChannelBuilder.forTarget(address).usePlaintext().build();
        channels.add(c);
        return BlockStoreGrpc.newBlockingStub(c).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @Test
    void everyLineSentComesBackOnceAndInOrderFromTheReportedBlocks() throws Exception {
        // Two intervals more, so that a duplicate report would have arrived.
        Thread.sleep(150);
        List<BlockReport> reports = List.copyOf(socketReports());
        assertTrue(coordinator.reportCalls() > coordinator.accepted().size() + coordinator.alreadyProcessed().size(),
                "the turned-down first report was retried");

        String address = coordinator.hellos().get(0).getAddress();
        Set<String> ids = new HashSet<>();
        List<Object> fetched = new ArrayList<>();
        int maxChunks = 0;
        for (BlockReport r : reports) {
            assertEquals(FakeCoordinator.JOB, r.getJob());
            assertEquals(FakeCoordinator.NODE, r.getNode());
            assertEquals(address, r.getBlock().getAddress());
            assertTrue(ids.add(r.getBlock().getBlockId()), "reported twice: " + r.getBlock().getBlockId());
            assertTrue(r.getBlock().getBlockId().startsWith("test-receiver-2-"), r.getBlock().getBlockId());
            // The assignment asks for the write-ahead log: every reported block is in it (none is processed yet).
            assertTrue(Files.exists(coordinator.walFile(r.getJob(), r.getNode(), r.getBlock().getBlockId())),
                    "logged: " + r.getBlock().getBlockId());

            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int chunks = 0;
            Iterator<DataChunk> it = blockStore(r.getBlock().getAddress())
                    .fetchBlock(FetchBlockRequest.newBuilder().setBlockId(r.getBlock().getBlockId()).build());
            while (it.hasNext()) {
                DataChunk c = it.next();
                assertTrue(c.getData().size() <= Chunks.MAX_BYTES, "chunk of " + c.getData().size() + " bytes");
                c.getData().writeTo(bytes);
                chunks++;
            }
            maxChunks = Math.max(maxChunks, chunks);
            List<Object> records = RecordCodec.decode(bytes.toByteArray());
            assertEquals(r.getBlock().getRecords(), records.size(), "records of " + r.getBlock().getBlockId());
            fetched.addAll(records);
        }

        assertEquals(coordinator.lines().size(), fetched.size());
        assertEquals(coordinator.lines(), fetched);
        assertTrue(reports.size() > 1, "the lines arrived over several block intervals");
        assertTrue(maxChunks > 1, "the block with the 1.8 MB line came in several chunks");
        assertEquals(1, coordinator.textConnections(), "the repeated assignment started no second source");
    }

    @Test
    void keepsAPeersReplicaReportsItServesItAndDropsItOnceProcessed() throws Exception {
        String address = coordinator.hellos().get(0).getAddress();
        Block block = new Block("peer-7-run.1", "peer-job", 7, RecordCodec.encode(List.of("from", "a peer")), 2, 5);
        // A peer in replicate mode, as it sends this receiver the replica of one of its blocks.
        try (PeerReplicator peer = new PeerReplicator("peer-host:9095", Duration.ofSeconds(5))) {
            peer.peers(List.of(address));
            peer.make(block);
        }
        BlockReport report = coordinator.accepted("peer-job", 7).get(0);
        assertTrue(report.getReplica(), "reported as a replica");
        assertEquals(address, report.getBlock().getAddress());
        assertEquals(2, report.getBlock().getRecords());
        assertEquals(List.of("from", "a peer"), BlockFetch.records(address, block.id()));

        coordinator.processed("peer-job", 7, block.id());
        await(WAIT, "the replica to be dropped", () -> {
            try {
                BlockFetch.records(address, block.id());
                return false;
            } catch (StatusRuntimeException e) {
                return e.getStatus().getCode() == Status.Code.NOT_FOUND;
            }
        });
    }

    @Test
    void anUnknownBlockIsNotFound() {
        String address = coordinator.hellos().get(0).getAddress();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> blockStore(address)
                .fetchBlock(FetchBlockRequest.newBuilder().setBlockId("no-such-block").build())
                .hasNext());
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("no-such-block"), e.getStatus().getDescription());
    }

    @Test
    void isReadyAndLiveOnceAttached() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void countsRecordsBlocksAndRejectedLines() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertEquals(coordinator.lines().size(), counter(metrics, "sluice_receiver_records_total"));
        assertEquals(socketReports().size(), counter(metrics, "sluice_receiver_blocks_total"), 1.0);
        assertEquals(1, counter(metrics, "sluice_receiver_rejected_lines_total"));
    }

    /** The value of {@code name} for the test's job and node in Prometheus text. */
    private static double counter(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") && line.contains("job=\"" + FakeCoordinator.JOB + "\"")
                    && line.contains("node=\"" + FakeCoordinator.NODE + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError(name + " not found in\n" + metrics);
    }
}
