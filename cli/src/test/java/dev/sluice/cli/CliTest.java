package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI against {@link FakeCoordinator}, which answers with the JSON shapes of the
 * coordinator's REST API: what each command asks, what it prints, its exit code.
 */
class CliTest {

    private static final long NOW = Instant.parse("2026-01-05T12:10:00Z").toEpochMilli();
    private static final long T = Instant.parse("2026-01-05T12:03:04Z").toEpochMilli();

    /** A running job, as {@code GET /api/jobs/{name}} answers. */
    private static String job(String name, String state, long done, long failed, int pending, Long schedulingDelay) {
        return "{\"name\":\"" + name + "\",\"state\":\"" + state + "\",\"fingerprint\":\"9f2c41d0\","
                + "\"args\":{\"source\":\"dir:/tmp/in\",\"batch\":\"1s\"},\"batchIntervalMs\":1000,"
                + "\"zeroTime\":" + (T - 42_000) + ",\"startedAt\":" + (T - 42_500) + ",\"batchesCompleted\":" + done
                + ",\"batchesFailed\":" + failed + ",\"pendingBatches\":" + pending + ",\"lastBatchTime\":"
                + (done == 0 ? "null" : Long.toString(T)) + ",\"meanProcessingTimeMs\":" + (done == 0 ? "0.0" : "120.4")
                + ",\"schedulingDelayMs\":" + schedulingDelay + ",\"recordsProcessed\":" + (done * 300) + "}";
    }

    private static final String WORKERS = "[{\"id\":\"worker-0\",\"address\":\"localhost:9191\",\"epoch\":1,"
            + "\"slots\":2,\"freeSlots\":1,\"runningTasks\":1,\"tasksSucceeded\":120,\"tasksFailed\":0,"
            + "\"registeredAt\":" + (T - 60_000) + ",\"lastHeartbeatAgoMs\":230,\"pool\":\"default\"},"
            + "{\"id\":\"worker-1\",\"address\":\"localhost:9192\",\"epoch\":1,\"slots\":2,\"freeSlots\":2,"
            + "\"runningTasks\":0,\"tasksSucceeded\":118,\"tasksFailed\":2,\"registeredAt\":" + (T - 59_000)
            + ",\"lastHeartbeatAgoMs\":1450,\"pool\":\"default\"}]";

    private static final String RECEIVERS = "[{\"id\":\"receiver-0\",\"address\":\"localhost:9095\","
            + "\"sources\":[\"paced-count/0\"],\"rates\":{\"paced-count/0\":1250.7}}]";

    private static final String BATCHES = "[{\"batchTime\":" + T + ",\"inputRecords\":0,\"schedulingDelayMs\":null,"
            + "\"processingTimeMs\":null,\"totalDelayMs\":null,\"status\":\"RUNNING\",\"tasks\":4,\"error\":null},"
            + "{\"batchTime\":" + (T - 1000) + ",\"inputRecords\":300,\"schedulingDelayMs\":3,"
            + "\"processingTimeMs\":1234,\"totalDelayMs\":1237,\"status\":\"SUCCEEDED\",\"tasks\":4,\"error\":null},"
            + "{\"batchTime\":" + (T - 2000) + ",\"inputRecords\":12,\"schedulingDelayMs\":2,"
            + "\"processingTimeMs\":80,\"totalDelayMs\":82,\"status\":\"FAILED\",\"tasks\":4,"
            + "\"error\":\"task 1.0 failed 4 times: boom\"}]";

    private static final String BATCH = "{\"batchTime\":" + (T - 1000) + ",\"inputRecords\":300,"
            + "\"schedulingDelayMs\":3,\"processingTimeMs\":1234,\"totalDelayMs\":1237,\"status\":\"SUCCEEDED\","
            + "\"tasks\":4,\"error\":null,\"stages\":[{\"stage\":0,\"batchTimeMs\":" + (T - 1000) + ",\"tasks\":2,"
            + "\"attempts\":3,\"failedAttempts\":1,\"speculative\":0,\"firstLaunchMs\":" + (T - 997)
            + ",\"lastEndMs\":" + (T - 100) + "},{\"stage\":1,\"batchTimeMs\":" + (T - 1000) + ",\"tasks\":2,"
            + "\"attempts\":2,\"failedAttempts\":0,\"speculative\":1,\"firstLaunchMs\":" + (T - 100)
            + ",\"lastEndMs\":-1}]}";

    private static final String POOLS = "[{\"name\":\"default\",\"deployment\":null,\"stages\":null,\"min\":null,"
            + "\"max\":null,\"replicas\":null,\"workers\":2,\"autoscaled\":false}]";

    @TempDir
    Path tmp;

    private FakeCoordinator api;
    private final Map<String, String> env = new HashMap<>();
    private final AtomicLong clock = new AtomicLong(NOW);
    private String out;
    private String err;

    @BeforeEach
    void start() throws Exception {
        api = new FakeCoordinator();
        env.put("SLUICE_URL", api.url());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private int run(String... argv) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        Cli.Context context = new Cli.Context(env, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8), ZoneOffset.UTC, false, 500, clock::get,
                ms -> clock.addAndGet(ms), "./sluice");
        int code = new Cli(context).run(argv);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    void statusSaysWhetherEachJobKeepsUp() {
        api.on("GET /api/jobs", 200, "[" + job("paced-count", "RUNNING", 42, 0, 1, 3L) + ","
                        + job("slow", "RUNNING", 7, 1, 5, 3200L) + "," + job("fresh", "RUNNING", 0, 0, 1, null) + "]")
                .on("GET /api/workers", 200, WORKERS)
                .on("GET /api/receivers", 200, RECEIVERS);
        assertEquals(0, run("status"), err);
        List<String> lines = out.lines().toList();
        assertEquals("Sluice at " + api.url() + ": 3 jobs (3 running), 2 workers (4 slots, 3 free), 1 receiver",
                lines.get(0));
        assertEquals("JOB          STATE    INTERVAL  DONE  FAILED  PENDING  LAST BATCH    SCHED DELAY  KEEPS UP",
                lines.get(2));
        assertEquals("paced-count  RUNNING       1 s    42       0        1  12:03:04.000         3 ms  yes", lines.get(3));
        assertEquals("slow         RUNNING       1 s     7       1        5  12:03:04.000        3.2 s  NO", lines.get(4));
        assertEquals("fresh        RUNNING       1 s     0       0        1  -                       -  -", lines.get(5));
        assertTrue(out.contains("slow is falling behind: its last batch waited 3.2 s to be scheduled, longer than "
                + "its 1 s batch interval (5 batches pending)"), out);
        assertEquals("", err);
    }

    @Test
    void statusWithNoJobsSaysHowToSubmitOne() {
        api.on("GET /api/jobs", 200, "[]").on("GET /api/workers", 200, "[]").on("GET /api/receivers", 200, "[]");
        assertEquals(0, run("status"));
        assertTrue(out.startsWith("Sluice at " + api.url() + ": 0 jobs (0 running), 0 workers (0 slots, 0 free), 0 receivers"), out);
        assertTrue(out.contains("No jobs. Submit one: ./sluice submit NAME"), out);
    }

    @Test
    void statusAsJsonHoldsWhatEachEndpointAnswered() throws Exception {
        api.on("GET /api/jobs", 200, "[" + job("paced-count", "RUNNING", 42, 0, 1, 3L) + "]")
                .on("GET /api/workers", 200, WORKERS).on("GET /api/receivers", 200, RECEIVERS);
        assertEquals(0, run("status", "--json"));
        JsonNode all = Api.JSON.readTree(out);
        assertEquals(api.url(), all.get("url").asText());
        assertEquals(Api.JSON.readTree("[" + job("paced-count", "RUNNING", 42, 0, 1, 3L) + "]"), all.get("jobs"));
        assertEquals(Api.JSON.readTree(WORKERS), all.get("workers"));
        assertEquals(T, all.get("jobs").get(0).get("lastBatchTime").asLong(), "raw milliseconds in JSON");
    }

    @Test
    void jobsListsEveryJobAndOneJobInFull() {
        api.on("GET /api/jobs", 200, "[" + job("paced-count", "RUNNING", 42, 0, 1, 3L) + "]")
                .on("GET /api/jobs/paced-count", 200, job("paced-count", "RUNNING", 42, 0, 1, 3L));
        assertEquals(0, run("jobs"));
        List<String> lines = out.lines().toList();
        assertEquals("NAME         STATE    INTERVAL  STARTED       DONE  FAILED  PENDING  RECORDS  MEAN PROC  "
                + "LAST BATCH    SCHED DELAY  ARGS", lines.get(0));
        assertEquals("paced-count  RUNNING       1 s  12:02:21.500    42       0        1    12600     120 ms  "
                + "12:03:04.000         3 ms  source=dir:/tmp/in, batch=1s", lines.get(1));

        assertEquals(0, run("jobs", "paced-count"));
        assertTrue(out.contains("state              RUNNING\n"), out);
        assertTrue(out.contains("batch interval     1 s\n"), out);
        assertTrue(out.contains("keeps up           yes\n"), out);
        assertTrue(out.contains("args\n  source  dir:/tmp/in\n  batch   1s\n"), out);
    }

    @Test
    void submitSendsTheNameAndArgumentsWithTheSpecFileAndTheToken() throws Exception {
        Path spec = Files.writeString(tmp.resolve("wc.yaml"), "sources: {lines: {dir: /data}}\nstreams: {}\n");
        env.put("SLUICE_TOKEN", "s3cret");
        api.on("POST /api/jobs", 201, job("pipeline", "RUNNING", 0, 0, 0, null));
        assertEquals(0, run("submit", "pipeline", "batch=500ms", "--spec-file", spec.toString()), err);
        FakeCoordinator.Request post = api.requests("POST /api/jobs").get(0);
        assertEquals(Api.JSON.readTree("{\"name\":\"pipeline\",\"args\":{\"batch\":\"500ms\","
                + "\"spec\":\"sources: {lines: {dir: /data}}\\nstreams: {}\\n\"}}"), Api.JSON.readTree(post.body()));
        assertEquals("application/json", post.header("Content-Type"));
        assertEquals("Bearer s3cret", post.header("Authorization"));
        assertTrue(out.startsWith("submitted pipeline: RUNNING, a batch every 1 s"), out);
        assertTrue(!out.contains("s3cret") && !err.contains("s3cret"), "the token is never printed");
    }

    @Test
    void aCaFileThatIsNoCertificateIsAUsageError() throws Exception {
        env.put("SLUICE_CA", Files.writeString(tmp.resolve("ca.crt"), "not a certificate").toString());
        assertEquals(2, run("workers"));
        assertTrue(err.startsWith("sluice: SLUICE_CA: " + tmp.resolve("ca.crt") + " is not a PEM certificate"), err);
        env.put("SLUICE_CA", tmp.resolve("missing.crt").toString());
        assertEquals(2, run("workers"));
        assertTrue(err.startsWith("sluice: SLUICE_CA: cannot read " + tmp.resolve("missing.crt")), err);
        assertTrue(api.requests("GET /api/workers").isEmpty());
    }

    @Test
    void withoutATokenNoAuthorizationIsSent() {
        api.on("GET /api/workers", 200, WORKERS);
        assertEquals(0, run("workers"));
        assertNull(api.requests("GET /api/workers").get(0).header("Authorization"));
    }

    @Test
    void submitWaitShowsProgressUntilTheFirstBatchCompletes() throws Exception {
        api.on("POST /api/jobs", 201, job("paced-count", "RUNNING", 0, 0, 0, null))
                .on("GET /api/jobs/paced-count", 200, job("paced-count", "RUNNING", 0, 0, 0, null))
                .on("GET /api/jobs/paced-count", 200, job("paced-count", "RUNNING", 0, 0, 1, null))
                .on("GET /api/jobs/paced-count", 200, job("paced-count", "RUNNING", 0, 0, 1, null))
                .on("GET /api/jobs/paced-count", 200, job("paced-count", "RUNNING", 1, 0, 1, 2L));
        assertEquals(0, run("submit", "paced-count", "source=dir:/tmp/in", "--wait"), err);
        assertEquals(List.of(
                "sluice: waiting for paced-count's first batch: 0 cut, 0 completed, 0 ms",
                "sluice: waiting for paced-count's first batch: 1 cut, 0 completed, 500 ms"), err.lines().toList(),
                "a line when what it says changes");
        assertEquals(List.of("submitted paced-count: RUNNING, a batch every 1 s (source=dir:/tmp/in, batch=1s)",
                "paced-count's first batch completed after 1.5 s: batch 12:03:04.000, 300 records, processed in 120 ms"),
                out.lines().toList());
        assertEquals(Api.JSON.readTree("{\"name\":\"paced-count\",\"args\":{\"source\":\"dir:/tmp/in\"}}"),
                Api.JSON.readTree(api.requests("POST /api/jobs").get(0).body()));
    }

    @Test
    void submitWaitFailsWhenTheFirstBatchFails() {
        api.on("POST /api/jobs", 201, job("paced-count", "RUNNING", 0, 0, 0, null))
                .on("GET /api/jobs/paced-count", 200, job("paced-count", "RUNNING", 0, 1, 0, null))
                .on("GET /api/jobs/paced-count/batches?limit=50", 200, BATCHES);
        assertEquals(1, run("submit", "paced-count", "source=dir:/tmp/in", "--wait"));
        assertTrue(err.contains("sluice: paced-count's first batch failed: task 1.0 failed 4 times: boom "
                + "(see ./sluice batches paced-count)"), err);
    }

    @Test
    void submitWaitGivesUpAfterTheTimeout() {
        api.on("POST /api/jobs", 201, job("paced-count", "RUNNING", 0, 0, 0, null))
                .on("GET /api/jobs/paced-count", 200, job("paced-count", "RUNNING", 0, 0, 2, null));
        assertEquals(1, run("submit", "paced-count", "source=dir:/tmp/in", "--wait", "--timeout", "10s"));
        assertTrue(err.contains("sluice: gave up after 10 s waiting for paced-count's first batch (2 cut, none "
                + "completed); the job goes on running"), err);
        long polls = api.requests("GET /api/jobs/paced-count").size();
        assertTrue(polls >= 20 && polls <= 22, "one poll every 500 ms: " + polls);
        assertTrue(err.lines().filter(l -> l.startsWith("sluice: waiting")).count() <= 3,
                "an unchanged progress line is printed again only every 5 s: " + err);
    }

    @Test
    void submitErrorsPrintTheProblemsDetail() {
        api.problem("POST /api/jobs", 400, "Bad Request", "args: source is required, e.g. source=socket://host:9999");
        assertEquals(1, run("submit", "paced-count"));
        assertEquals("sluice: 400 Bad Request: args: source is required, e.g. source=socket://host:9999\n", err);
        assertEquals("", out);
    }

    @Test
    void submitArgumentsMustBeKeyValue() {
        assertEquals(2, run("submit", "paced-count", "source"));
        assertTrue(err.startsWith("sluice: submit: job arguments are KEY=VALUE, e.g. source=dir:/data; not 'source'"), err);
        assertEquals(2, run("submit", "pipeline", "--spec-file", tmp.resolve("missing.yaml").toString()));
        assertTrue(err.startsWith("sluice: --spec-file: there is no file "), err);
        assertTrue(api.requests.isEmpty(), "nothing is sent for a wrong command line");
    }

    @Test
    void stopWaitShowsProgressUntilStopped() {
        api.on("POST /api/jobs/paced-count/stop", 202, job("paced-count", "STOPPING", 41, 0, 2, 3L))
                .on("GET /api/jobs/paced-count", 200, job("paced-count", "STOPPING", 42, 0, 1, 3L))
                .on("GET /api/jobs/paced-count", 200, job("paced-count", "STOPPED", 43, 0, 0, 3L));
        assertEquals(0, run("stop", "paced-count", "--wait"), err);
        assertEquals(List.of("sluice: stopping paced-count: STOPPING, 2 pending, 41 completed, 0 ms",
                "sluice: stopping paced-count: STOPPING, 1 pending, 42 completed, 500 ms"), err.lines().toList());
        assertEquals("paced-count stopped: 43 batches completed, 0 failed, 12900 records processed\n", out);
        FakeCoordinator.Request post = api.requests("POST /api/jobs/paced-count/stop").get(0);
        assertEquals("", post.body());
    }

    @Test
    void stopWithoutWaitSaysWhatIsLeft() {
        api.on("POST /api/jobs/paced-count/stop", 202, job("paced-count", "STOPPING", 41, 0, 2, 3L));
        assertEquals(0, run("stop", "paced-count"));
        assertEquals("stopping paced-count: STOPPING, 2 batches still to finish (./sluice stop paced-count --wait "
                + "waits until it is STOPPED)\n", out);
        api.on("POST /api/jobs/idle/stop", 202, job("idle", "STOPPING", 3, 0, 0, 3L));
        assertEquals(0, run("stop", "idle"));
        assertEquals("stopping idle: STOPPING (./sluice stop idle --wait waits until it is STOPPED)\n", out);
    }

    @Test
    void stoppingAnUnknownJobIsAnApiError() {
        api.problem("POST /api/jobs/nope/stop", 404, "Not Found", "no job named 'nope'; running jobs: [paced-count]");
        assertEquals(1, run("stop", "nope"));
        assertEquals("sluice: 404 Not Found: no job named 'nope'; running jobs: [paced-count]\n", err);
    }

    @Test
    void batchesArePagedNewestFirst() {
        api.on("GET /api/jobs/paced-count/batches?limit=3&before=" + (T + 1000), 200, BATCHES);
        assertEquals(0, run("batches", "paced-count", "--limit", "3", "--before", "12:03:05.000"), err);
        List<String> lines = out.lines().toList();
        assertEquals("TIME          STATUS     RECORDS  SCHED DELAY  PROCESSING  TOTAL DELAY  TASKS  ERROR", lines.get(0));
        assertEquals("12:03:04.000  RUNNING          0            -           -            -      4", lines.get(1));
        assertEquals("12:03:03.000  SUCCEEDED      300         3 ms       1.2 s        1.2 s      4", lines.get(2));
        assertEquals("12:03:02.000  FAILED          12         2 ms       80 ms        82 ms      4  "
                + "task 1.0 failed 4 times: boom", lines.get(3));
        assertEquals("older: ./sluice batches paced-count --before " + (T - 2000)
                + "; one batch: ./sluice batches paced-count TIME", lines.get(4));
    }

    @Test
    void batchesAskForTwentyByDefault() {
        api.on("GET /api/jobs/paced-count/batches?limit=20", 200, "[]");
        assertEquals(0, run("batches", "paced-count"));
        assertEquals("paced-count has no batches yet\n", out);
        assertEquals(2, run("batches", "paced-count", "--limit", "0"));
        assertTrue(err.startsWith("sluice: --limit must be a whole number from 1 to 1000, not '0'"), err);
    }

    @Test
    void oneBatchWithItsStages() {
        api.on("GET /api/jobs/paced-count/batches/" + (T - 1000), 200, BATCH);
        assertEquals(0, run("batches", "paced-count", "12:03:03.000"), err);
        assertTrue(out.startsWith("job               paced-count\nbatch             12:03:03.000 (" + (T - 1000) + ")\n"
                + "status            SUCCEEDED\n"), out);
        List<String> lines = out.lines().toList();
        int header = lines.indexOf("STAGE  FOR BATCH  TASKS  ATTEMPTS  FAILED  SPECULATIVE  STARTED       DURATION");
        assertTrue(header > 0, out);
        assertEquals("    0  this           2         3       1            0  12:03:03.003    897 ms", lines.get(header + 1));
        assertEquals("    1  this           2         2       0            1  12:03:03.900   running", lines.get(header + 2));

        assertEquals(0, run("batches", "paced-count", Long.toString(T - 1000), "--json"));
        assertTrue(out.contains("\"stages\": [\n"), "pretty JSON: " + out);
    }

    @Test
    void workersPoolsAndReceivers() {
        api.on("GET /api/workers", 200, WORKERS).on("GET /api/pools", 200, POOLS).on("GET /api/receivers", 200, RECEIVERS);
        assertEquals(0, run("workers"));
        assertEquals(List.of(
                "ID        POOL     ADDRESS         SLOTS  FREE  RUNNING  SUCCEEDED  FAILED  REGISTERED     HEARTBEAT",
                "worker-0  default  localhost:9191      2     1        1        120       0  12:02:04.000  230 ms ago",
                "worker-1  default  localhost:9192      2     2        0        118       2  12:02:05.000   1.5 s ago",
                "2 workers, 4 slots (3 free)"), out.lines().toList());
        assertEquals(0, run("pools"));
        assertEquals(List.of("POOL     DEPLOYMENT  STAGES  MIN  MAX  REPLICAS  WORKERS  AUTOSCALED",
                "default  -           -         -    -         -        2  no"), out.lines().toList());
        assertEquals(0, run("receivers"));
        assertEquals(List.of("ID          ADDRESS         SOURCES        RATE LIMITS",
                "receiver-0  localhost:9095  paced-count/0  paced-count/0 1251/s"), out.lines().toList());
    }

    @Test
    void scalePutsTheReplicasAndReportsAConflictWithoutKubernetes() throws Exception {
        api.on("PUT /api/pools/heavy/replicas", 200, "{\"name\":\"heavy\",\"deployment\":\"sluice-heavy\","
                + "\"stages\":\"1,2\",\"min\":1,\"max\":8,\"replicas\":3,\"workers\":2,\"autoscaled\":true}");
        assertEquals(0, run("scale", "heavy", "3"), err);
        assertEquals(Api.JSON.readTree("{\"replicas\":3}"),
                Api.JSON.readTree(api.requests("PUT /api/pools/heavy/replicas").get(0).body()));
        assertEquals("pool heavy: replicas set to 3 (bounds 1..8); 2 workers registered now\n", out);

        api.problem("PUT /api/pools/default/replicas", 409, "Conflict", "scaling worker pool 'default' needs Kubernetes");
        assertEquals(1, run("scale", "default", "2"));
        assertEquals("sluice: 409 Conflict: scaling worker pool 'default' needs Kubernetes\n", err);

        assertEquals(2, run("scale", "default", "-1"));
        assertTrue(err.startsWith("sluice: scale: the replicas must be a whole number, 0 or more, not '-1'"), err);
    }

    @Test
    void jsonIsThePrettyJsonTheApiAnswered() throws Exception {
        api.on("GET /api/workers", 200, WORKERS);
        assertEquals(0, run("--json", "workers"));
        assertEquals(Api.JSON.readTree(WORKERS), Api.JSON.readTree(out));
        assertTrue(out.startsWith("[\n  {\n    \"id\": \"worker-0\",\n    \"address\": \"localhost:9191\",\n"), "pretty: " + out);
        assertTrue(out.endsWith("\n  }\n]\n"), "pretty: " + out);
    }

    @Test
    void namesAreEncodedInPaths() {
        api.on("GET /api/jobs/my%20job", 200, job("my job", "RUNNING", 1, 0, 0, 1L));
        assertEquals(0, run("jobs", "my job"), err);
        assertTrue(out.startsWith("name               my job\n"), out);
    }

    @Test
    void anUnauthorizedAnswerSaysToSetTheToken() {
        api.on("GET /api/jobs", 401, "");
        assertEquals(1, run("jobs"));
        assertEquals("sluice: 401 Unauthorized: the coordinator wants an API token: set SLUICE_TOKEN to it "
                + "(no API token was sent: set SLUICE_TOKEN)\n", err);
    }

    @Test
    void somethingThatIsNotACoordinatorIsAnError() {
        api.text("GET /api/jobs", 200, "<html>hello</html>");
        assertEquals(1, run("jobs"));
        assertTrue(err.contains("answered 200 but not with JSON (is " + api.url() + " a Sluice coordinator?)"), err);
        api.text("GET /api/workers", 502, "<html>bad gateway</html>");
        assertEquals(1, run("workers"));
        assertEquals("sluice: 502 Bad Gateway: <html>bad gateway</html>\n", err);
    }

    @Test
    void anUnreachableCoordinatorIsExitCodeThree() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertEquals(3, run("jobs", "--url", "http://127.0.0.1:" + port));
        assertTrue(err.startsWith("sluice: cannot reach the coordinator at http://127.0.0.1:" + port
                + " (connection refused).\n"), err);
        assertTrue(err.contains("./sluice start"), err);
    }

    @Test
    void usageErrorsAreExitCodeTwoWithTheUsage() {
        assertEquals(2, run("stauts"));
        assertTrue(err.startsWith("sluice: unknown command 'stauts'\n"), err);
        assertTrue(err.contains("Usage: ./sluice [--url URL] [--json] COMMAND"), err);
        assertEquals(2, run("--url", "http://localhost:8080", "stop"));
        assertEquals("sluice: stop needs an argument; usage: stop NAME [--wait] [--timeout D]\n"
                + "Run './sluice help' for every command and option.\n", err, "a known command's usage only");
        assertEquals(0, run("help"));
        assertTrue(out.startsWith("Usage: ./sluice"), out);
        assertTrue(api.requests.isEmpty());
    }
}
