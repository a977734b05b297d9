package dev.sluice.coordinator.rest;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

/** The dashboard's static files: the page at {@code /}, its script and its style sheet. */
@QuarkusTest
class DashboardResourcesTest {

    @Test
    void servesTheDashboardPageAtTheRoot() {
        when().get("/").then()
                .statusCode(200)
                .contentType(startsWith("text/html"))
                .body(containsString("<title>Sluice dashboard</title>"))
                .body(containsString("<script type=\"module\" src=\"dashboard.js\"></script>"))
                .body(containsString("href=\"dashboard.css\""));
    }

    @Test
    void servesTheScriptAndTheStyleSheet() {
        when().get("/dashboard.js").then()
                .statusCode(200)
                .contentType(containsString("javascript"))
                .body(containsString("new EventSource('/api/events')"));
        when().get("/dashboard.css").then()
                .statusCode(200)
                .contentType(startsWith("text/css"));
    }
}
