package dev.sluice.coordinator.rest;

import dev.sluice.coordinator.app.CoordinatorRuntime;
import dev.sluice.coordinator.scaling.AutoscalePolicy;
import dev.sluice.coordinator.scaling.Autoscaler;
import dev.sluice.coordinator.scaling.PoolScaler;
import dev.sluice.coordinator.scaling.WorkerPool;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scaling worker pools against the Kubernetes API mock server (CRUD mode, with an expectation
 * that answers 403 for one Deployment): the REST endpoints, the autoscaler through the real
 * Kubernetes scaler, and the wiring from {@code sluice.autoscale.*}.
 */
@QuarkusTest
@TestProfile(PoolScalingTest.AutoscaledPools.class)
@WithKubernetesTestServer(setup = PoolScalingTest.Cluster.class)
class PoolScalingTest {

    static final String NAMESPACE = "test";
    static final String LOCKED = "sluice-worker-locked";

    /** Five autoscaled pools; no job, so no batch reaches the coordinator's own autoscaler. */
    public static class AutoscaledPools implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    // Its own gRPC port: CoordinatorRestTest's coordinator uses 19471.
                    Map.entry("quarkus.grpc.server.test-port", "19472"),
                    Map.entry("%test.sluice.job.name", ""),
                    Map.entry("sluice.autoscale.namespace", NAMESPACE),
                    Map.entry("sluice.autoscale.pools.default.deployment", "sluice-worker"),
                    Map.entry("sluice.autoscale.pools.default.stages", "all"),
                    Map.entry("sluice.autoscale.pools.default.min", "1"),
                    Map.entry("sluice.autoscale.pools.default.max", "4"),
                    Map.entry("sluice.autoscale.pools.reduce.deployment", "sluice-worker-reduce"),
                    Map.entry("sluice.autoscale.pools.reduce.stages", "reduce,state"),
                    Map.entry("sluice.autoscale.pools.reduce.min", "2"),
                    Map.entry("sluice.autoscale.pools.reduce.max", "8"),
                    Map.entry("sluice.autoscale.pools.state.deployment", "sluice-worker-state"),
                    Map.entry("sluice.autoscale.pools.state.min", "2"),
                    Map.entry("sluice.autoscale.pools.state.max", "3"),
                    Map.entry("sluice.autoscale.pools.locked.deployment", LOCKED),
                    Map.entry("sluice.autoscale.pools.ghost.deployment", "sluice-worker-ghost"));
        }
    }

    /** The cluster before the coordinator starts: the pools' Deployments, and RBAC refusing one. */
    public static class Cluster implements Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            create(server.getClient(), "sluice-worker", 2);
            create(server.getClient(), "sluice-worker-reduce", 3);
            create(server.getClient(), "sluice-worker-state", 1); // below its min of 2
            create(server.getClient(), LOCKED, 1);
            create(server.getClient(), "sluice-worker-auto", 1);
            server.expect().patch().withPath("/apis/apps/v1/namespaces/" + NAMESPACE + "/deployments/" + LOCKED)
                    .andReturn(403, new StatusBuilder().withStatus("Failure").withCode(403).withReason("Forbidden")
                            .withMessage("deployments.apps \"" + LOCKED + "\" is forbidden: User "
                                    + "\"system:serviceaccount:test:sluice-coordinator\" cannot patch resource "
                                    + "\"deployments\" in API group \"apps\" in the namespace \"test\"")
                            .build())
                    .always();
        }
    }

    static void create(KubernetesClient client, String name, int replicas) {
        client.apps().deployments().inNamespace(NAMESPACE).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec()
                .build()).create();
    }

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    CoordinatorRuntime runtime;

    private int replicasOf(String deployment) {
        Deployment d = server.getClient().apps().deployments().inNamespace(NAMESPACE).withName(deployment).get();
        return d.getSpec().getReplicas();
    }

    @Test
    void runsNoJob() {
        when().get("/api/jobs").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void listsThePoolsWithTheReplicasTheirDeploymentsAskFor() {
        when().get("/api/pools").then()
                .statusCode(200)
                .body("name", equalTo(List.of("default", "ghost", "locked", "reduce", "state")))
                .body("find { it.name == 'reduce' }.deployment", equalTo("sluice-worker-reduce"))
                .body("find { it.name == 'reduce' }.stages", equalTo("reduce,state"))
                .body("find { it.name == 'reduce' }.min", equalTo(2))
                .body("find { it.name == 'reduce' }.max", equalTo(8))
                .body("find { it.name == 'reduce' }.replicas", equalTo(3))
                .body("find { it.name == 'reduce' }.workers", equalTo(0))
                .body("find { it.name == 'reduce' }.autoscaled", equalTo(true))
                .body("find { it.name == 'default' }.replicas", equalTo(replicasOf("sluice-worker")))
                .body("find { it.name == 'locked' }.stages", equalTo("all"))
                .body("find { it.name == 'locked' }.min", equalTo(1))
                .body("find { it.name == 'locked' }.max", equalTo(4))
                .body("find { it.name == 'ghost' }.replicas", nullValue());
    }

    @Test
    void scalingAPoolSetsItsDeploymentsReplicas() {
        given().contentType("application/json").body("{\"replicas\": 4}")
                .when().put("/api/pools/default/replicas").then()
                .statusCode(200)
                .body("name", equalTo("default"))
                .body("deployment", equalTo("sluice-worker"))
                .body("replicas", equalTo(4));
        assertEquals(4, replicasOf("sluice-worker"));

        given().contentType("application/json").body("{\"replicas\": 1}")
                .when().put("/api/pools/default/replicas").then()
                .statusCode(200)
                .body("replicas", equalTo(1));
        assertEquals(1, replicasOf("sluice-worker"));
    }

    @Test
    void keepsTheBoundsWith422NamingThem() {
        for (int replicas : new int[] {9, 1}) {
            given().contentType("application/json").body("{\"replicas\": " + replicas + "}")
                    .when().put("/api/pools/reduce/replicas").then()
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("status", equalTo(422))
                    .body("detail", containsString(replicas + " is outside"))
                    .body("detail", containsString("[2, 8]"))
                    .body("detail", containsString("sluice.autoscale.pools.reduce.min"))
                    .body("instance", equalTo("/api/pools/reduce/replicas"));
        }
        assertEquals(3, replicasOf("sluice-worker-reduce"), "a refused request changes nothing");
    }

    @Test
    void anUnknownPoolIsA404ListingThePools() {
        given().contentType("application/json").body("{\"replicas\": 2}")
                .when().put("/api/pools/nope/replicas").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("'nope'"))
                .body("detail", containsString("[default, ghost, locked, reduce, state]"));
    }

    @Test
    void aPoolWhoseDeploymentIsMissingIsA404NamingIt() {
        given().contentType("application/json").body("{\"replicas\": 2}")
                .when().put("/api/pools/ghost/replicas").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("no Deployment 'sluice-worker-ghost' in namespace 'test'"));
    }

    @Test
    void rbacRefusalIsA403SayingWhatToGrant() {
        given().contentType("application/json").body("{\"replicas\": 2}")
                .when().put("/api/pools/locked/replicas").then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("status", equalTo(403))
                .body("title", equalTo("Forbidden"))
                .body("detail", containsString("may not patch deployments.apps '" + LOCKED + "' in namespace 'test'"))
                .body("detail", containsString("system:serviceaccount:test:sluice-coordinator"))
                .body("detail", containsString("verbs [get, list, patch]"))
                .body("detail", containsString("kubectl -n test create role"));
        assertEquals(1, replicasOf(LOCKED));
    }

    @Test
    void aBadBodyIsA400NamingTheField() {
        Map<String, String> bodies = Map.of(
                "", "the body is empty",
                "three", "the body is not JSON",
                "[3]", "must be a JSON object",
                "{}", "replicas: missing",
                "{\"replica\": 3}", "replicas: missing",
                "{\"replicas\": \"3\"}", "replicas: must be a whole number, got \"3\"",
                "{\"replicas\": 2.5}", "replicas: must be a whole number, got 2.5",
                "{\"replicas\": -1}", "replicas: must be 0 or more");
        bodies.forEach((body, detail) -> given().contentType("application/json").body(body)
                .when().put("/api/pools/default/replicas").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString(detail)));
    }

    @Test
    void theCoordinatorBringsAutoscaledPoolsWithinTheirBoundsAtStart() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (replicasOf("sluice-worker-state") != 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(2, replicasOf("sluice-worker-state"), "the pool 'state' was created with 1 replica, its min is 2");
        assertTrue(runtime.autoscaler().isPresent());
    }

    @Test
    void theAutoscalerScalesThroughTheApiWithinBoundsAndCooldowns() {
        PoolScaler scaler = runtime.scaler().orElseThrow();
        AtomicLong clock = new AtomicLong(0);
        WorkerPool auto = new WorkerPool("auto", "sluice-worker-auto", "all", 1, 3);
        WorkerPool locked = new WorkerPool("locked", LOCKED, "all", 1, 4);
        // 1 s batches; high 0.9, low 0.3; 60 s before scaling out again, 120 s before scaling in; 5 batches a decision.
        Autoscaler autoscaler = new Autoscaler(List.of(auto, locked), scaler, AutoscalePolicy.defaults(), clock::get);
        Runnable busy = () -> batches(autoscaler, 1100);   // ratio 1.1: one more worker
        Runnable idle = () -> batches(autoscaler, 100);    // ratio 0.1: one fewer

        clock.set(60_000);
        busy.run();
        assertEquals(2, replicasOf("sluice-worker-auto"));
        assertEquals(1, replicasOf(LOCKED), "RBAC refuses this pool; the autoscaler logs it and goes on");
        busy.run();
        assertEquals(2, replicasOf("sluice-worker-auto"), "within the 60 s cooldown");
        clock.set(120_000);
        busy.run();
        assertEquals(3, replicasOf("sluice-worker-auto"));
        clock.set(180_000);
        busy.run();
        assertEquals(3, replicasOf("sluice-worker-auto"), "max is 3");

        idle.run();
        assertEquals(3, replicasOf("sluice-worker-auto"), "within the 120 s cooldown after the last change");
        clock.set(240_000);
        idle.run();
        assertEquals(2, replicasOf("sluice-worker-auto"));
        clock.set(360_000);
        idle.run();
        assertEquals(1, replicasOf("sluice-worker-auto"));
        clock.set(480_000);
        idle.run();
        assertEquals(1, replicasOf("sluice-worker-auto"), "min is 1");
        assertEquals(1, replicasOf(LOCKED));
    }

    /** Five synthetic completed batches of a job with a 1 s interval. */
    private static void batches(Autoscaler autoscaler, long processingTimeMs) {
        for (int i = 0; i < AutoscalePolicy.defaults().batches(); i++) {
            autoscaler.batchDone(1000, processingTimeMs);
        }
    }
}
