package dev.sluice.worker;

import com.google.protobuf.ByteString;
import dev.sluice.engine.shuffle.ShuffleStore;
import dev.sluice.protocol.DataChunk;
import dev.sluice.protocol.FetchCachedRequest;
import dev.sluice.protocol.FetchShuffleRequest;
import dev.sluice.protocol.WorkerDataGrpc;
import dev.sluice.worker.app.WorkerRuntime;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad shuffle and kept-partition fetches over real gRPC to the running worker: refused with the
 * field or the missing output named, counted in {@code sluice_refused_total}; the worker keeps
 * serving what it holds.
 */
@QuarkusTest
@QuarkusTestResource(value = CoordinatorPeer.class, restrictToAnnotatedClass = true)
class WorkerDataBadInputTest {

    @Inject
    WorkerRuntime runtime;

    @Inject
    ShuffleStore shuffles;

    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forTarget(runtime.address()).usePlaintext().build();
        // Map partition 0 of shuffle 3 of batch 5000, with two reduce partitions.
        shuffles.put(new ShuffleStore.Key("bad-input", 5000, 3, 0), new byte[][] {{1, 2}, {3}});
    }

    @AfterEach
    void disconnect() {
        channel.shutdownNow();
    }

    private static double refused(String reason) {
        for (String line : when().get("/q/metrics").then().statusCode(200).extract().asString().split("\n")) {
            if (line.startsWith("sluice_refused_total{") && line.contains("boundary=\"worker_data\"")
                    && line.contains("reason=\"" + reason + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static FetchShuffleRequest.Builder shuffle() {
        return FetchShuffleRequest.newBuilder().setJob("bad-input").setBatchTimeMs(5000).setShuffle(3)
                .setReducePartition(1).addMapPartitions(0);
    }

    private List<DataChunk> fetch(FetchShuffleRequest.Builder r) {
        Iterator<DataChunk> it = WorkerDataGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .fetchShuffle(r.build());
        List<DataChunk> chunks = new ArrayList<>();
        it.forEachRemaining(chunks::add);
        return chunks;
    }

    private Status shuffleFails(FetchShuffleRequest.Builder r) {
        return assertThrows(StatusRuntimeException.class, () -> fetch(r)).getStatus();
    }

    @Test
    void badShuffleFetchesAreRefusedAndCounted() {
        double invalid = refused("invalid");
        double unknown = refused("unknown");

        Status negative = shuffleFails(shuffle().setReducePartition(-1));
        assertEquals(Status.Code.INVALID_ARGUMENT, negative.getCode());
        assertEquals("reduce_partition must not be negative, got -1", negative.getDescription());
        assertEquals("map_partitions must name each map partition once, got 0",
                shuffleFails(shuffle().addMapPartitions(0)).getDescription());
        Status outOfRange = shuffleFails(shuffle().setReducePartition(5));
        assertEquals(Status.Code.INVALID_ARGUMENT, outOfRange.getCode());
        assertTrue(outOfRange.getDescription().startsWith("reduce_partition 5 is out of range"), outOfRange.getDescription());
        Status missing = shuffleFails(shuffle().setBatchTimeMs(6000));
        assertEquals(Status.Code.NOT_FOUND, missing.getCode());
        assertTrue(missing.getDescription().contains("batch 6000"), missing.getDescription());

        assertEquals(invalid + 3, refused("invalid"));
        assertEquals(unknown + 1, refused("unknown"));
        // Still serving what it holds.
        List<DataChunk> chunks = fetch(shuffle());
        assertEquals(1, chunks.size());
        assertEquals(ByteString.copyFrom(new byte[] {3}), chunks.get(0).getData());
    }

    @Test
    void badCachedFetchesAreRefusedAndCounted() {
        double invalid = refused("invalid");
        double unknown = refused("unknown");
        FetchCachedRequest.Builder r = FetchCachedRequest.newBuilder().setJob("bad-input").setNode(2).setBatchTimeMs(5000)
                .setPartition(0);
        Status negative = assertThrows(StatusRuntimeException.class, () -> WorkerDataGrpc.newBlockingStub(channel)
                .fetchCached(r.clone().setPartition(-2).build()).hasNext()).getStatus();
        assertEquals("partition must not be negative, got -2", negative.getDescription());
        Status missing = assertThrows(StatusRuntimeException.class, () -> WorkerDataGrpc.newBlockingStub(channel)
                .fetchCached(r.build()).hasNext()).getStatus();
        assertEquals(Status.Code.NOT_FOUND, missing.getCode());
        assertEquals(invalid + 1, refused("invalid"));
        assertEquals(unknown + 1, refused("unknown"));
    }
}
