package dev.sluice.worker;

import dev.sluice.engine.shuffle.ShuffleStore;
import dev.sluice.protocol.DataChunk;
import dev.sluice.protocol.FetchShuffleRequest;
import dev.sluice.protocol.WorkerDataGrpc;
import dev.sluice.protocol.auth.ClusterToken;
import dev.sluice.protocol.client.ChannelPool;
import dev.sluice.worker.app.WorkerRuntime;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With a cluster token, the worker's doors are shut to callers without it: a shuffle fetch
 * without the token or with a wrong one is refused with {@code UNAUTHENTICATED}, with the right
 * one it gets the data; a drain without the token gets 401.
 */
@QuarkusTest
@TestProfile(WorkerTokenTest.WithToken.class)
@QuarkusTestResource(value = CoordinatorPeer.class, restrictToAnnotatedClass = true)
class WorkerTokenTest {

    static final String TOKEN = "worker-test-token-0123456789";

    /** The worker with a cluster token. */
    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sluice.cluster.token", TOKEN);
        }
    }

    @Inject
    WorkerRuntime runtime;

    @Inject
    ShuffleStore shuffles;

    @Test
    void shuffleFetchesNeedTheToken() {
        shuffles.put(new ShuffleStore.Key("token-test", 1000, 0, 0), new byte[][] {{7, 8, 9}});
        assertEquals(Status.Code.UNAUTHENTICATED, fetchFails(Optional.empty()));
        assertEquals(Status.Code.UNAUTHENTICATED, fetchFails(ClusterToken.of(Optional.of("another-token-0123456789"))));
        List<DataChunk> chunks = fetch(ClusterToken.of(Optional.of(TOKEN)));
        assertEquals(3, chunks.stream().mapToInt(c -> c.getData().size()).sum());
    }

    @Test
    void aDrainNeedsTheToken() {
        given().when().post("/api/drain?timeout=0").then().statusCode(401);
        given().header("Authorization", "Bearer wrong-token-wrong-token").when().post("/api/drain?timeout=0")
                .then().statusCode(401);
        // With the token the request gets through to say what is wrong with it.
        given().header("Authorization", "Bearer " + TOKEN).when().post("/api/drain?timeout=0").then().statusCode(400);
    }

    private Status.Code fetchFails(Optional<ClusterToken> token) {
        try {
            fetch(token);
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    private List<DataChunk> fetch(Optional<ClusterToken> token) {
        ManagedChannel channel = ChannelPool.open(runtime.address(), token, 1 << 20);
        try {
            List<DataChunk> chunks = new ArrayList<>();
            WorkerDataGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .fetchShuffle(FetchShuffleRequest.newBuilder().setJob("token-test").setBatchTimeMs(1000)
                            .setShuffle(0).setReducePartition(0).addMapPartitions(0).build())
                    .forEachRemaining(chunks::add);
            return chunks;
        } finally {
            channel.shutdownNow();
        }
    }
}
