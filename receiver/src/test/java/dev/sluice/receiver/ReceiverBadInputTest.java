package dev.sluice.receiver;

import com.google.protobuf.ByteString;
import dev.sluice.protocol.BlockStoreGrpc;
import dev.sluice.protocol.DataChunk;
import dev.sluice.protocol.FetchBlockRequest;
import dev.sluice.protocol.ReplicaAck;
import dev.sluice.protocol.ReplicaChunk;
import dev.sluice.protocol.ReplicaHeader;
import dev.sluice.protocol.auth.ClusterToken;
import dev.sluice.protocol.client.ChannelPool;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.sluice.receiver.Eventually.await;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With a cluster token: HTTP ingest needs it, and bad requests to the BlockStore over real gRPC
 * are refused naming what is wrong and counted in {@code sluice_refused_total}; the receiver
 * keeps serving.
 */
@QuarkusTest
@WithTestResource(FakeCoordinator.class)
@TestProfile(ReceiverBadInputTest.WithToken.class)
class ReceiverBadInputTest {

    static final String TOKEN = "receiver-test-token-0123456789";

    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.cluster.token", TOKEN, "sluice.receiver.replication.max-bytes", "1M");
        }
    }

    @Inject
    ReceiverLifecycle receiver;

    @BeforeEach
    void httpSourceAssigned() {
        await(Duration.ofSeconds(30), "the http source", () -> receiver.ingest() != null
                && receiver.ingest().serves(FakeCoordinator.HTTP_PATH));
    }

    private static double refused(String boundary, String reason) {
        double v = Metrics.value("sluice_refused_total", "boundary", boundary, "reason", reason);
        return Double.isNaN(v) ? 0 : v;
    }

    private static RequestSpecification withToken() {
        return given().header("Authorization", "Bearer " + TOKEN).contentType("text/plain; charset=utf-8");
    }

    private ManagedChannel channel(boolean signed) {
        return ChannelPool.open(receiver.address(), signed ? ClusterToken.of(Optional.of(TOKEN)) : Optional.empty(), 1 << 20);
    }

    @Test
    void ingestNeedsTheTokenAndCountsWhatItRefuses() {
        double unauthenticated = refused("http_ingest", "unauthenticated");
        double tooLarge = refused("http_ingest", "too_large");
        double invalid = refused("http_ingest", "invalid");
        double unknown = refused("http_ingest", "unknown");

        given().contentType("text/plain").body("a\n").when().post("/api/ingest/" + FakeCoordinator.HTTP_PATH).then()
                .statusCode(401).contentType("application/problem+json").header("WWW-Authenticate", "Bearer")
                .body("detail", containsString("cluster token"));
        given().header("Authorization", "Bearer not-the-token-at-all").body("a\n").when()
                .post("/api/ingest/" + FakeCoordinator.HTTP_PATH).then().statusCode(401);
        assertEquals(unauthenticated + 2, refused("http_ingest", "unauthenticated"));

        withToken().body("a\nb\n").when().post("/api/ingest/" + FakeCoordinator.HTTP_PATH).then().statusCode(202);
        withToken().body(new byte[] {'a', (byte) 0xff}).when().post("/api/ingest/" + FakeCoordinator.HTTP_PATH).then()
                .statusCode(400);
        withToken().body("a\n").when().post("/api/ingest/nowhere").then().statusCode(404);
        withToken().body("x".repeat(9 << 20)).when().post("/api/ingest/" + FakeCoordinator.HTTP_PATH).then()
                .statusCode(413);
        assertEquals(invalid + 1, refused("http_ingest", "invalid"));
        assertEquals(unknown + 1, refused("http_ingest", "unknown"));
        assertEquals(tooLarge + 1, refused("http_ingest", "too_large"));
    }

    @Test
    void badFetchesAreRefusedNamingTheIdAndCounted() {
        double unauthenticated = refused("block_store", "unauthenticated");
        double invalid = refused("block_store", "invalid");
        double unknown = refused("block_store", "unknown");
        ManagedChannel unsigned = channel(false);
        ManagedChannel signed = channel(true);
        try {
            assertEquals(Status.Code.UNAUTHENTICATED, fetchFails(unsigned, "any").getCode());
            Status empty = fetchFails(signed, "");
            assertEquals(Status.Code.INVALID_ARGUMENT, empty.getCode());
            assertEquals("block_id must be set, got ''", empty.getDescription());
            Status missing = fetchFails(signed, "no-such-block");
            assertEquals(Status.Code.NOT_FOUND, missing.getCode());
            assertTrue(missing.getDescription().contains("no-such-block"), missing.getDescription());
        } finally {
            unsigned.shutdownNow();
            signed.shutdownNow();
        }
        assertEquals(unauthenticated + 1, refused("block_store", "unauthenticated"));
        assertEquals(invalid + 1, refused("block_store", "invalid"));
        assertEquals(unknown + 1, refused("block_store", "unknown"));
        // Still serving: a post is acknowledged.
        withToken().body("still\n").when().post("/api/ingest/" + FakeCoordinator.HTTP_PATH).then().statusCode(202);
    }

    @Test
    void anOversizedReplicaIsRefusedBeforeItsData() throws Exception {
        double tooLarge = refused("block_store", "too_large");
        ManagedChannel signed = channel(true);
        try {
            CompletableFuture<Status> answer = new CompletableFuture<>();
            StreamObserver<ReplicaChunk> upload = BlockStoreGrpc.newStub(signed).storeReplica(new StreamObserver<>() {
                @Override
                public void onNext(ReplicaAck ack) {
                }

                @Override
                public void onError(Throwable t) {
                    answer.complete(Status.fromThrowable(t));
                }

                @Override
                public void onCompleted() {
                    answer.complete(Status.OK);
                }
            });
            upload.onNext(ReplicaChunk.newBuilder().setHeader(ReplicaHeader.newBuilder().setJob("j").setNode(0)
                    .setBlockId("big").setRecords(1).setPrimaryAddress("peer:9095").setBytes(2L << 30))
                    .setData(ByteString.copyFromUtf8("x")).build());
            Status s = answer.get(10, TimeUnit.SECONDS);
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, s.getCode());
            assertTrue(s.getDescription().contains("sluice.receiver.replication.max-bytes"), s.getDescription());
        } finally {
            signed.shutdownNow();
        }
        assertEquals(tooLarge + 1, refused("block_store", "too_large"));
    }

    private static Status fetchFails(ManagedChannel channel, String blockId) {
        Iterator<DataChunk> chunks = BlockStoreGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .fetchBlock(FetchBlockRequest.newBuilder().setBlockId(blockId).build());
        return assertThrows(StatusRuntimeException.class, chunks::hasNext).getStatus();
    }

    @Test
    void theTokenIsNeverALabel() {
        assertTrue(Metrics.scrape().lines().noneMatch(l -> l.contains(TOKEN)), "no metric carries the token");
    }
}
