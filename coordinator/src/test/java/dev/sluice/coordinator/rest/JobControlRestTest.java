package dev.sluice.coordinator.rest;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Submitting and stopping jobs, batch pages and details, receivers, live events and the OpenAPI document. */
@QuarkusTest
class JobControlRestTest {

    @TestHTTPResource("/api/events")
    URL events;

    @Test
    void submittingWithoutANameSaysWhatIsMissing() {
        given().contentType("application/json").body("{\"args\": {}}").when().post("/api/jobs").then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("name: the job to run is required"))
                .body("detail", containsString("wordcount"));
    }

    /** Found by FuzzIT: bodies the JSON binding could not read got a bare 400 without a problem or a field. */
    @Test
    void anUnreadableBodyIsAProblemNamingTheField() {
        given().contentType("application/json").body("{\"name\": \"pipeline\", \"args\": {\"spec\": [1]}}").when()
                .post("/api/jobs").then().statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("args.spec: Cannot deserialize value of type `java.lang.String`"));
        given().contentType("application/json").body("{\"name\": [\"a\"]}").when().post("/api/jobs").then()
                .statusCode(400).contentType("application/problem+json").body("detail", startsWith("name: "));
        given().contentType("application/json").body("{\"name\": ").when().post("/api/jobs").then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("the body is not valid JSON: "));
        given().contentType("application/json").body("[]").when().post("/api/jobs").then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("the body does not have the expected shape: "));
        given().contentType("application/json").body("{\"x\": " + "[".repeat(5000)).when().post("/api/jobs").then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("the body is not valid JSON: "));
    }

    @Test
    void submittingAnUnknownJobNamesTheField() {
        given().contentType("application/json").body("{\"name\": \"wordcont\"}").when().post("/api/jobs").then()
                .statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("name: "))
                .body("detail", containsString("wordcont"));
    }

    @Test
    void submittingBadArgumentsNamesThem() {
        given().contentType("application/json").body("{\"name\": \"paced-count\", \"args\": {}}").when().post("/api/jobs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("args: "))
                .body("detail", containsString("source"));
    }

    @Test
    void anOversizedBodyIsRefusedBeforeItIsRead() {
        String huge = "{\"name\": \"pipeline\", \"args\": {\"spec\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}}";
        given().contentType("application/json").body(huge).when().post("/api/jobs").then().statusCode(413);
        // Counted by the HTTP server metrics, though no resource saw it.
        String metrics = when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("http_server_requests_seconds_count{")
                && l.contains("status=\"413\"")), "413s show in the metrics");
    }

    @Test
    void aRunningJobCannotBeSubmittedAgain() {
        given().contentType("application/json").body("{\"name\": \"wordcount\", \"args\": {\"source\": \"dir:x\"}}")
                .when().post("/api/jobs").then()
                .statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("stop it first"));
    }

    @Test
    void aSubmittedJobRunsAndStopsGracefully() {
        given().contentType("application/json")
                .body("{\"name\": \"paced-count\", \"args\": {\"source\": \"dir:target/rest-submit-input\", \"batch\": \"1s\"}}")
                .when().post("/api/jobs").then()
                .statusCode(201)
                .header("Location", containsString("/api/jobs/paced-count"))
                .body("name", equalTo("paced-count"))
                .body("state", equalTo("RUNNING"));
        when().post("/api/jobs/paced-count/stop").then()
                .statusCode(202)
                .body("state", anyOf(equalTo("STOPPING"), equalTo("STOPPED")));
        when().post("/api/jobs/nope/stop").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void batchesComePagedAndOneInDetail() throws InterruptedException {
        long newest = -1;
        for (int i = 0; i < 50 && newest < 0; i++) {
            Long t = when().get("/api/jobs/wordcount/batches?limit=1").then().statusCode(200)
                    .extract().jsonPath().getObject("[0].batchTime", Long.class);
            if (t == null) {
                Thread.sleep(100);
            } else {
                newest = t;
            }
        }
        assertTrue(newest > 0, "the job should have cut a batch");
        when().get("/api/jobs/wordcount/batches?limit=5&before=" + newest).then().statusCode(200)
                .body("batchTime.every { it < " + newest + "L }", equalTo(true));
        when().get("/api/jobs/wordcount/batches/" + newest).then().statusCode(200)
                .body("batchTime", equalTo(newest))
                .body("status", notNullValue())
                .body("$", hasKey("stages"));
        when().get("/api/jobs/wordcount/batches/123").then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("no batch at 123"));
    }

    @Test
    void receiversAreListed() {
        when().get("/api/receivers").then().statusCode(200).contentType("application/json");
    }

    @Test
    void eventsStreamOpensWithAHello() throws Exception {
        HttpResponse<java.io.InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(events.toString()))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        List<String> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<Boolean> hello = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    seen.add(line);
                    if (line.replace(" ", "").equals("event:hello")) {
                        return true;
                    }
                }
                return false;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        assertTrue(hello.get(10, TimeUnit.SECONDS), "the stream should start with a hello event; got " + seen);
    }

    @Test
    void metricsNameWorkersAndTasks() {
        when().get("/q/metrics").then().statusCode(200)
                .body(containsString("sluice_workers_alive"))
                .body(containsString("sluice_workers_draining"))
                .body(containsString("sluice_tasks_cancelled"))
                .body(containsString("sluice_tasks_speculative_launches"))
                .body(containsString("sluice_tasks_placed_ahead"))
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void theOpenApiDocumentValidates() {
        String json = when().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(json, null, new ParseOptions());
        assertTrue(parsed.getMessages() == null || parsed.getMessages().isEmpty(), "OpenAPI problems: " + parsed.getMessages());
        assertTrue(parsed.getOpenAPI().getPaths().get("/api/jobs").getPost() != null, "POST /api/jobs is described");
        assertTrue(parsed.getOpenAPI().getPaths().get("/api/pools/{pool}/replicas").getPut() != null,
                "PUT /api/pools/{pool}/replicas is described");
    }

    @Test
    void theOpenApiDocumentDescribesTheEndpoints() {
        when().get("/q/openapi?format=json").then().statusCode(200)
                .body("openapi", startsWith("3."))
                .body("paths", hasKey("/api/jobs"))
                .body("paths", hasKey("/api/jobs/{name}"))
                .body("paths", hasKey("/api/jobs/{name}/stop"))
                .body("paths", hasKey("/api/jobs/{name}/batches"))
                .body("paths", hasKey("/api/jobs/{name}/batches/{time}"))
                .body("paths", hasKey("/api/workers"))
                .body("paths", hasKey("/api/pools"))
                .body("paths", hasKey("/api/pools/{pool}/replicas"))
                .body("paths", hasKey("/api/receivers"))
                .body("paths", hasKey("/api/events"));
    }
}
