package dev.sluice.coordinator.rest;

import dev.sluice.protocol.ControlGrpc;
import dev.sluice.protocol.CoordinatorMessage;
import dev.sluice.protocol.Register;
import dev.sluice.protocol.WorkerMessage;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class CoordinatorRestTest {

    private static final int GRPC_TEST_PORT = 19471;

    @Test
    void listsTheRunningJob() {
        when().get("/api/jobs").then()
                .statusCode(200)
                .body("name", hasItem("wordcount"))
                .body("find { it.name == 'wordcount' }.state", equalTo("RUNNING"));
    }

    @Test
    void showsJobStatus() {
        when().get("/api/jobs/wordcount").then()
                .statusCode(200)
                .body("name", equalTo("wordcount"))
                .body("state", equalTo("RUNNING"))
                .body("batchIntervalMs", equalTo(200))
                .body("fingerprint", matchesPattern("[0-9a-f]{16}"))
                .body("args.source", equalTo("dir:target/rest-test-input"))
                .body("batchesCompleted", greaterThanOrEqualTo(0))
                .body("recordsProcessed", greaterThanOrEqualTo(0));
    }

    @Test
    void unknownJobIsA404ProblemNamingIt() {
        when().get("/api/jobs/nope").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Not Found"))
                .body("detail", containsString("'nope'"))
                .body("detail", containsString("wordcount"))
                .body("instance", equalTo("/api/jobs/nope"));
        when().get("/api/jobs/nope/batches").then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void unknownPathIsAProblemToo() {
        when().get("/api/nothing-here").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
    }

    @Test
    void listsBatchesNewestFirstOnTheBatchGrid() throws InterruptedException {
        // Batches are cut every 200 ms whether or not a worker runs them.
        Thread.sleep(700);
        List<Long> times = when().get("/api/jobs/wordcount/batches?limit=3").then()
                .statusCode(200)
                .body("$", hasSize(3))
                .body("status", everyItem(org.hamcrest.Matchers.oneOf("QUEUED", "RUNNING", "SUCCEEDED", "FAILED")))
                .body("inputRecords", everyItem(equalTo(0)))
                .extract().jsonPath().getList("batchTime", Long.class);
        assertTrue(times.get(0) > times.get(1) && times.get(1) > times.get(2), "not newest first: " + times);
        times.forEach(t -> assertEquals(0, t % 200, "batch time " + t + " is off the 200 ms grid"));
    }

    @Test
    void rejectsABadBatchLimit() {
        given().queryParam("limit", 0).when().get("/api/jobs/wordcount/batches").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("limit"));
    }

    @Test
    void showsAWorkerWhileItsControlStreamIsOpen() throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", GRPC_TEST_PORT).usePlaintext().build();
        BlockingQueue<CoordinatorMessage> received = new LinkedBlockingQueue<>();
        try {
            StreamObserver<WorkerMessage> up = ControlGrpc.newStub(channel).connect(new StreamObserver<>() {
                @Override
                public void onNext(CoordinatorMessage m) {
                    received.add(m);
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            });
            up.onNext(WorkerMessage.newBuilder().setRegister(Register.newBuilder()
                    .setWorkerId("rest-test-worker").setAddress("localhost:1").setSlots(3)).build());
            CoordinatorMessage first = received.poll(10, TimeUnit.SECONDS);
            assertTrue(first != null && first.hasRegistered(), "expected Registered first, got " + first);
            CoordinatorMessage second = received.poll(10, TimeUnit.SECONDS);
            assertTrue(second != null && second.hasDefineJob() && second.getDefineJob().getJob().equals("wordcount"),
                    "expected the wordcount definition, got " + second);

            when().get("/api/workers").then()
                    .statusCode(200)
                    .body("find { it.id == 'rest-test-worker' }.slots", equalTo(3))
                    .body("find { it.id == 'rest-test-worker' }.address", equalTo("localhost:1"))
                    .body("find { it.id == 'rest-test-worker' }.pool", equalTo("default"));
            // Not configured for scaling, but listed with its workers.
            when().get("/api/pools").then()
                    .statusCode(200)
                    .body("find { it.name == 'default' }.workers", greaterThanOrEqualTo(1))
                    .body("find { it.name == 'default' }.deployment", nullValue())
                    .body("find { it.name == 'default' }.replicas", nullValue())
                    .body("find { it.name == 'default' }.autoscaled", equalTo(false));

            up.onCompleted();
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline
                    && when().get("/api/workers").jsonPath().getList("id").contains("rest-test-worker")) {
                Thread.sleep(100);
            }
            when().get("/api/workers").then().body("id", not(hasItem("rest-test-worker")));
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void scalingAPoolNeedsKubernetesAndSaysHowToScaleLocally() {
        given().contentType("application/json").body("{\"replicas\": 3}")
                .when().put("/api/pools/default/replicas").then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409))
                .body("detail", containsString("needs Kubernetes"))
                .body("detail", containsString("sluice.autoscale.namespace"))
                .body("detail", containsString("./sluice start --workers N"));
        // A bad body is still a bad body.
        given().contentType("application/json").body("{}")
                .when().put("/api/pools/default/replicas").then()
                .statusCode(400)
                .body("detail", containsString("replicas: missing"));
    }

    @Test
    void servesHealthAndMetrics() {
        when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        when().get("/q/metrics").then().statusCode(200)
                .body(containsString("sluice_workers_alive"))
                .body(containsString("sluice_tasks_queued"));
    }
}
