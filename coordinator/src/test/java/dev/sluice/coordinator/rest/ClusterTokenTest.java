package dev.sluice.coordinator.rest;

import dev.sluice.coordinator.RefusedCount;
import dev.sluice.protocol.BlockRef;
import dev.sluice.protocol.BlockReport;
import dev.sluice.protocol.BlockTrackerGrpc;
import dev.sluice.protocol.ControlGrpc;
import dev.sluice.protocol.CoordinatorMessage;
import dev.sluice.protocol.Register;
import dev.sluice.protocol.WorkerMessage;
import dev.sluice.protocol.auth.ClusterToken;
import dev.sluice.protocol.client.ChannelPool;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With a cluster token, REST mutations and every gRPC call need it; reads stay open. */
@QuarkusTest
@TestProfile(ClusterTokenTest.WithToken.class)
class ClusterTokenTest {

    static final String TOKEN = "test-token-0123456789abcdef";
    static final int GRPC_PORT = 19473;

    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.grpc.server.test-port", Integer.toString(GRPC_PORT),
                    "%test.sluice.job.name", "", "sluice.cluster.token", TOKEN);
        }
    }

    @Test
    void mutationsWithoutTheTokenAreRefusedAndReadsAreOpen() {
        double refused = RefusedCount.of("rest", "unauthenticated");
        given().contentType("application/json").body("{}").when().post("/api/jobs").then()
                .statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("detail", containsString("cluster token"));
        given().header("Authorization", "Bearer wrong-token-wrong-token").contentType("application/json").body("{}")
                .when().post("/api/jobs").then().statusCode(401);
        given().contentType("application/json").body("{\"replicas\": 2}").when().put("/api/pools/default/replicas")
                .then().statusCode(401);
        when().post("/api/jobs/any/stop").then().statusCode(401);
        // With the token the request gets through to say what is wrong with its body.
        given().header("Authorization", "Bearer " + TOKEN).contentType("application/json").body("{}")
                .when().post("/api/jobs").then().statusCode(400);
        when().get("/api/jobs").then().statusCode(200);
        assertEquals(refused + 4, RefusedCount.of("rest", "unauthenticated"), "every 401 is counted");
    }

    @Test
    void aWorkerWithoutTheTokenCannotRegister() throws Exception {
        double refused = RefusedCount.of("control", "unauthenticated");
        assertEquals(Status.Code.UNAUTHENTICATED, register(Optional.empty()).get(10, TimeUnit.SECONDS));
        assertEquals(Status.Code.UNAUTHENTICATED,
                register(ClusterToken.of(Optional.of("another-token-0123456789"))).get(10, TimeUnit.SECONDS));
        assertEquals(Status.Code.OK, register(ClusterToken.of(Optional.of(TOKEN))).get(10, TimeUnit.SECONDS));
        assertEquals(refused + 2, RefusedCount.of("control", "unauthenticated"));
    }

    @Test
    void aReceiverWithoutTheTokenCannotReportBlocks() {
        assertEquals(Status.Code.UNAUTHENTICATED, reportBlock(Optional.empty()));
        assertEquals(Status.Code.UNAUTHENTICATED, reportBlock(ClusterToken.of(Optional.of("another-token-0123456789"))));
        // With the token the report gets through to be checked: no job runs here.
        assertEquals(Status.Code.NOT_FOUND, reportBlock(ClusterToken.of(Optional.of(TOKEN))));
    }

    private static Status.Code reportBlock(Optional<ClusterToken> token) {
        ManagedChannel channel = ChannelPool.open("localhost:" + GRPC_PORT, token, 1 << 20);
        try {
            BlockTrackerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).reportBlock(BlockReport.newBuilder()
                    .setJob("wordcount").setNode(0).setReceivedAtMs(System.currentTimeMillis())
                    .setBlock(BlockRef.newBuilder().setBlockId("input-0-1").setAddress("receiver-0:9095").setRecords(1))
                    .build());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        } finally {
            channel.shutdownNow();
        }
    }

    /** Registers a worker; completes with OK once registered, or with the status the stream failed with. */
    private static CompletableFuture<Status.Code> register(Optional<ClusterToken> token) {
        ManagedChannel channel = ChannelPool.open("localhost:" + GRPC_PORT, token, 1 << 20);
        CompletableFuture<Status.Code> outcome = new CompletableFuture<>();
        StreamObserver<WorkerMessage> up = ControlGrpc.newStub(channel).connect(new StreamObserver<>() {
            @Override
            public void onNext(CoordinatorMessage m) {
                if (m.hasRegistered()) {
                    outcome.complete(Status.Code.OK);
                }
            }

            @Override
            public void onError(Throwable t) {
                outcome.complete(Status.fromThrowable(t).getCode());
            }

            @Override
            public void onCompleted() {
                outcome.complete(Status.Code.CANCELLED);
            }
        });
        up.onNext(WorkerMessage.newBuilder().setRegister(Register.newBuilder().setWorkerId("w-" + token.isPresent())
                .setAddress("localhost:1").setSlots(1)).build());
        outcome.whenComplete((c, e) -> channel.shutdownNow());
        return outcome;
    }
}
