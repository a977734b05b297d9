package dev.sluice.receiver;

import dev.sluice.engine.codec.RecordCodec;
import dev.sluice.protocol.BlockReport;
import dev.sluice.protocol.BlockStoreGrpc;
import dev.sluice.protocol.FetchBlockRequest;
import dev.sluice.receiver.block.Block;
import dev.sluice.receiver.wal.WalFormat;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.sluice.receiver.Eventually.await;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP ingest end to end: the fake coordinator assigns http sources; posts are acknowledged
 * only once their block is in the write-ahead log, the block is reported and served by the
 * real BlockStore gRPC server, and {@code BlocksProcessed} removes it.
 */
@QuarkusTest
@WithTestResource(FakeCoordinator.class)
class IngestAppTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    FakeCoordinator coordinator;

    @Inject
    ReceiverLifecycle receiver;

    @BeforeEach
    void httpSourcesAssigned() {
        await(WAIT, "the http sources", () -> receiver.ingest() != null
                && receiver.ingest().serves(FakeCoordinator.HTTP_PATH)
                && receiver.ingest().serves(FakeCoordinator.LIMITED_PATH));
    }

    private static Response post(String path, byte[] body) {
        return given().contentType("text/plain; charset=utf-8").body(body).when().post("/api/ingest/" + path);
    }

    private static Response post(String path, String body) {
        return post(path, body.getBytes(StandardCharsets.UTF_8));
    }

    private Optional<BlockReport> report(String blockId) {
        return coordinator.accepted(FakeCoordinator.HTTP_JOB, FakeCoordinator.HTTP_NODE).stream()
                .filter(r -> r.getBlock().getBlockId().equals(blockId)).findFirst();
    }

    @Test
    void acknowledgesPostsOnlyOnceTheirBlockIsLoggedAndReportsAndServesIt() throws Exception {
        List<String> lines = List.of("first ✓", "", "third\twith tab", "héllo");
        Response r = post(FakeCoordinator.HTTP_PATH, "first ✓\r\n\nthird\twith tab\nhéllo\n");
        r.then().statusCode(202).contentType(containsString("application/json"))
                .body("records", equalTo(4)).body("block", notNullValue());
        String blockId = r.path("block");

        // Durable before the answer: the file is there as soon as the 202 is.
        Path file = coordinator.walFile(FakeCoordinator.HTTP_JOB, FakeCoordinator.HTTP_NODE, blockId);
        assertTrue(Files.exists(file), "logged at " + file);
        Block logged = WalFormat.decode(Files.readAllBytes(file));
        assertEquals(lines, RecordCodec.decode(logged.data()));
        assertEquals(4, logged.records());

        await(WAIT, "the block's report", () -> report(blockId).isPresent());
        BlockReport report = report(blockId).orElseThrow();
        assertEquals(4, report.getBlock().getRecords());
        assertEquals(coordinator.hellos().get(0).getAddress(), report.getBlock().getAddress());
        assertEquals(lines, BlockFetch.records(report.getBlock().getAddress(), blockId));

        coordinator.processed(FakeCoordinator.HTTP_JOB, FakeCoordinator.HTTP_NODE, blockId);
        await(WAIT, "the log file to go", () -> !Files.exists(file));
        ManagedChannel c = ManagedChannelBuilder.forTarget(report.getBlock().getAddress()).usePlaintext().build();
        try {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> BlockStoreGrpc
                    .newBlockingStub(c).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .fetchBlock(FetchBlockRequest.newBuilder().setBlockId(blockId).build()).hasNext());
            assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), "processed blocks leave memory too");
        } finally {
            c.shutdownNow();
        }
    }

    @Test
    void everyAcknowledgedRecordOfConcurrentPostsIsInItsReportedBlockInOrder() throws Exception {
        List<CompletableFuture<Response>> posts = new ArrayList<>();
        List<List<String>> sent = new ArrayList<>();
        for (int p = 0; p < 8; p++) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                lines.add("post " + p + " line " + i);
            }
            sent.add(lines);
            String body = String.join("\n", lines);
            posts.add(CompletableFuture.supplyAsync(() -> post(FakeCoordinator.HTTP_PATH, body)));
        }
        for (int p = 0; p < posts.size(); p++) {
            Response r = posts.get(p).get(30, TimeUnit.SECONDS);
            r.then().statusCode(202).body("records", equalTo(50));
            String blockId = r.path("block");
            await(WAIT, "the report of " + blockId, () -> report(blockId).isPresent());
            BlockReport report = report(blockId).orElseThrow();
            List<Object> records = BlockFetch.records(report.getBlock().getAddress(), blockId);
            // All records of one post are in its block, together and in order.
            int at = records.indexOf(sent.get(p).get(0));
            assertTrue(at >= 0, "post " + p + " is in block " + blockId);
            assertEquals(sent.get(p), records.subList(at, at + 50));
            Block logged = WalFormat.decode(Files.readAllBytes(
                    coordinator.walFile(FakeCoordinator.HTTP_JOB, FakeCoordinator.HTTP_NODE, blockId)));
            assertEquals(records, RecordCodec.decode(logged.data()));
        }
    }

    @Test
    void answersUnknownPathsWith404Problem() {
        post("no-such-path", "x").then().statusCode(404)
                .contentType(containsString("application/problem+json"))
                .body("status", equalTo(404))
                .body("detail", containsString("no-such-path"))
                .body("instance", equalTo("/api/ingest/no-such-path"));
    }

    @Test
    void refusesABodyOverTheLimitWith413() {
        byte[] big = new byte[8 * 1024 * 1024 + 10];
        java.util.Arrays.fill(big, (byte) 'a');
        for (int i = 100; i < big.length; i += 100) {
            big[i] = '\n';
        }
        post(FakeCoordinator.HTTP_PATH, big).then().statusCode(413)
                .contentType(containsString("application/problem+json"))
                .body("detail", containsString("max-body"));
    }

    @Test
    void refusesAnOverLongLineWith413() {
        post(FakeCoordinator.HTTP_PATH, "fine\n" + "x".repeat((1 << 20) + 1) + "\n").then().statusCode(413)
                .body("detail", containsString("line 2"));
    }

    @Test
    void refusesInvalidUtf8With400NamingTheOffset() {
        byte[] body = {'o', 'k', '\n', 'b', 'a', 'd', (byte) 0xC3, '(', '\n'};
        post(FakeCoordinator.HTTP_PATH, body).then().statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("detail", containsString("byte offset 6"));
    }

    @Test
    void answers503WithRetryAfterOverTheRateLimit() {
        coordinator.rate(FakeCoordinator.HTTP_JOB, FakeCoordinator.LIMITED_NODE, 10);
        await(WAIT, "the rate limit to apply", () -> receiver.streams()
                .stream(FakeCoordinator.HTTP_JOB, FakeCoordinator.LIMITED_NODE).orElseThrow()
                .rateLimit().effective() == 10);
        assertEquals(10, Metrics.value("sluice_receiver_rate_limit", "job", FakeCoordinator.HTTP_JOB,
                "node", Integer.toString(FakeCoordinator.LIMITED_NODE)));
        double throttledBefore = Metrics.value("sluice_receiver_throttled_total", "job", FakeCoordinator.HTTP_JOB,
                "node", Integer.toString(FakeCoordinator.LIMITED_NODE));
        try {
            String hundred = String.join("\n", Collections.nCopies(100, "record"));
            Response refused = post(FakeCoordinator.LIMITED_PATH, hundred);
            refused.then().statusCode(503).contentType(containsString("application/problem+json"));
            long retryAfter = Long.parseLong(refused.header("Retry-After"));
            assertTrue(retryAfter >= 1, "Retry-After " + retryAfter);
            assertEquals(throttledBefore + 100, Metrics.value("sluice_receiver_throttled_total", "job",
                    FakeCoordinator.HTTP_JOB, "node", Integer.toString(FakeCoordinator.LIMITED_NODE)));
            assertTrue(Metrics.value("sluice_receiver_http_requests_total", "path", FakeCoordinator.LIMITED_PATH,
                    "status", "503") >= 1);
            assertTrue(coordinator.accepted(FakeCoordinator.HTTP_JOB, FakeCoordinator.LIMITED_NODE).isEmpty(),
                    "nothing of the refused post was stored");
        } finally {
            coordinator.rate(FakeCoordinator.HTTP_JOB, FakeCoordinator.LIMITED_NODE, 0);
        }
        await(WAIT, "the limit to be lifted", () -> receiver.streams()
                .stream(FakeCoordinator.HTTP_JOB, FakeCoordinator.LIMITED_NODE).orElseThrow()
                .rateLimit().effective() == 0);
        post(FakeCoordinator.LIMITED_PATH, String.join("\n", Collections.nCopies(100, "record")))
                .then().statusCode(202);
    }

    @Test
    void countsRequestsByStatus() {
        post(FakeCoordinator.HTTP_PATH, "counted").then().statusCode(202);
        post("unassigned-path", "x").then().statusCode(404);
        assertTrue(Metrics.value("sluice_receiver_http_requests_total", "path", FakeCoordinator.HTTP_PATH,
                "status", "202") >= 1);
        assertTrue(Metrics.value("sluice_receiver_http_requests_total", "path", "-", "status", "404") >= 1);
        assertFalse(Metrics.scrape().contains("unassigned-path"), "unknown paths are not labels");
    }
}
