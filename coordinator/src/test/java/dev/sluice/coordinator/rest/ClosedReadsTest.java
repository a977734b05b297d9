package dev.sluice.coordinator.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.containsString;

/** With {@code sluice.cluster.open-reads=false}, REST reads need the token too; health and metrics stay open. */
@QuarkusTest
@TestProfile(ClosedReadsTest.ReadsClosed.class)
class ClosedReadsTest {

    static final String TOKEN = "closed-reads-token-0123456789";

    public static class ReadsClosed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.grpc.server.test-port", "19476", "%test.sluice.job.name", "",
                    "sluice.cluster.token", TOKEN, "sluice.cluster.open-reads", "false");
        }
    }

    @Test
    void readsNeedTheToken() {
        when().get("/api/jobs").then().statusCode(401).contentType("application/problem+json")
                .body("detail", containsString("open-reads"));
        given().header("Authorization", "Bearer wrong-token-wrong-token").when().get("/api/workers").then().statusCode(401);
        given().header("Authorization", "Bearer " + TOKEN).when().get("/api/jobs").then().statusCode(200);
        when().get("/q/health/live").then().statusCode(200);
        when().get("/q/metrics").then().statusCode(200);
    }
}
