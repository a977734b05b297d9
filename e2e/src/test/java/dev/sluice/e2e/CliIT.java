package dev.sluice.e2e;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI's jar run as a process, as {@code ./sluice} runs it, against a real coordinator
 * with two workers: list jobs, submit paced-count and wait for its first batch (with
 * progress on standard error), page its batches and show one, list the workers, stop the
 * job and wait until it is STOPPED; --json prints JSON; a bad submission exits 1 with
 * the problem's detail; an unreachable coordinator exits 3.
 */
class CliIT {

    private static final Path ROOT = Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath().normalize();

    /** What one run of the CLI did. */
    private record Run(int exit, String out, String err) {

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    @TempDir
    Path tmp;

    @Test
    void theCliDrivesARealCoordinator() throws Exception {
        Path jar = cliJar();
        Path in = Files.createDirectories(tmp.resolve("in"));
        try (LocalCluster cluster = new LocalCluster("cli")) {
            cluster.coordinator(null, Map.of(), List.of()).worker(0, 2).worker(1, 2);
            awaitWorkers(cluster, 2);
            String url = cluster.url();

            Run jobs = cli(jar, url, "jobs");
            assertEquals(0, jobs.exit(), jobs.toString());
            assertTrue(jobs.out().startsWith("No jobs at " + url), jobs.toString());

            Run bad = cli(jar, url, "submit", "no-such-job");
            assertEquals(1, bad.exit(), bad.toString());
            assertTrue(bad.err().startsWith("sluice: 400 Bad Request: name: "), bad.toString());
            assertTrue(bad.err().contains("no-such-job"), bad.toString());

            Files.writeString(in.resolve("lines.txt"), "alpha one\nbeta two\nalpha three\n");
            Run submit = cli(jar, url, "submit", "paced-count", "source=dir:" + in, "batch=500ms", "--wait",
                    "--timeout", "90s");
            assertEquals(0, submit.exit(), submit + cluster.logTails());
            assertTrue(submit.out().startsWith("submitted paced-count: RUNNING, a batch every 500 ms"), submit.toString());
            assertTrue(submit.out().contains("paced-count's first batch completed after "), submit.toString());
            assertTrue(submit.err().contains("sluice: waiting for paced-count's first batch: "), submit.toString());
            assertTrue(submit.err().contains(" completed, "), "the progress line counts batches: " + submit);

            Run listed = cli(jar, url, "jobs");
            assertEquals(0, listed.exit(), listed.toString());
            assertTrue(listed.out().lines().anyMatch(l -> l.startsWith("paced-count") && l.contains("RUNNING")),
                    listed.toString());

            awaitBatches(cluster, "paced-count", 4);
            Run batches = cli(jar, url, "batches", "paced-count", "--limit", "3");
            assertEquals(0, batches.exit(), batches.toString());
            List<String> lines = batches.out().lines().toList();
            assertTrue(lines.get(0).matches("TIME +STATUS +RECORDS +SCHED DELAY +PROCESSING +TOTAL DELAY +TASKS +ERROR"),
                    batches.toString());
            assertEquals(3, lines.stream().filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")).count(),
                    batches.toString());
            assertTrue(lines.get(4).startsWith("older: sluice batches paced-count --before "), batches.toString());

            Run page = cli(jar, url, "batches", "paced-count", "--limit", "3", "--json");
            assertEquals(0, page.exit(), page.toString());
            JsonPath pageJson = new JsonPath(page.out());
            List<Long> times = pageJson.getList("batchTime", Long.class);
            List<String> statuses = pageJson.getList("status", String.class);
            assertEquals(3, times.size(), page.toString());
            long done = -1;
            for (int i = 0; i < times.size(); i++) {
                if (statuses.get(i).equals("SUCCEEDED")) {
                    done = times.get(i);
                    break;
                }
            }
            assertTrue(done > 0, "a completed batch among the newest three: " + page);
            Run one = cli(jar, url, "batches", "paced-count", Long.toString(done));
            assertEquals(0, one.exit(), one.toString());
            assertTrue(one.out().contains("status            SUCCEEDED\n"), one.toString());
            assertTrue(one.out().lines().anyMatch(l -> l.matches("STAGE +FOR BATCH +TASKS +ATTEMPTS .*")), one.toString());

            Run workers = cli(jar, url, "workers");
            assertEquals(0, workers.exit(), workers.toString());
            assertTrue(workers.out().lines().anyMatch(l -> l.startsWith("worker-0 ")), workers.toString());
            assertTrue(workers.out().lines().anyMatch(l -> l.startsWith("worker-1 ")), workers.toString());
            assertTrue(workers.out().contains("2 workers, 4 slots"), workers.toString());

            Run status = cli(jar, url, "status");
            assertEquals(0, status.exit(), status.toString());
            assertTrue(status.out().startsWith("Sluice at " + url + ": 1 job (1 running), 2 workers"), status.toString());
            assertTrue(status.out().lines().anyMatch(l -> l.startsWith("paced-count") && l.contains("RUNNING")),
                    status.toString());

            Run json = cli(jar, url, "--json", "jobs");
            assertEquals(0, json.exit(), json.toString());
            JsonPath jobsJson = new JsonPath(json.out());
            assertEquals(List.of("paced-count"), jobsJson.getList("name", String.class), json.toString());
            assertEquals(500L, jobsJson.getLong("[0].batchIntervalMs"), json.toString());
            assertTrue(jobsJson.getLong("[0].batchesCompleted") >= 1, json.toString());

            Run workersJson = cli(jar, url, "workers", "--json");
            assertEquals(List.of("worker-0", "worker-1"),
                    new JsonPath(workersJson.out()).getList("id", String.class).stream().sorted().toList(),
                    workersJson.toString());

            Run stop = cli(jar, url, "stop", "paced-count", "--wait", "--timeout", "60s");
            assertEquals(0, stop.exit(), stop + cluster.logTails());
            assertTrue(stop.out().startsWith("paced-count stopped: "), stop.toString());
            Run stopped = cli(jar, url, "jobs", "paced-count", "--json");
            assertEquals("STOPPED", new JsonPath(stopped.out()).getString("state"), stopped.toString());

            Run missing = cli(jar, url, "batches", "paced-count", "123");
            assertEquals(1, missing.exit(), missing.toString());
            assertTrue(missing.err().startsWith("sluice: 404 Not Found: job paced-count has no batch at 123"),
                    missing.toString());
        }

        int closed = LocalCluster.freePort();
        Run unreachable = cli(jar, "http://127.0.0.1:" + closed, "jobs");
        assertEquals(3, unreachable.exit(), unreachable.toString());
        assertTrue(unreachable.err().startsWith("sluice: cannot reach the coordinator at http://127.0.0.1:" + closed),
                unreachable.toString());
        assertTrue(unreachable.err().contains("./sluice start"), unreachable.toString());
    }

    /** The CLI's runnable jar, as {@code mvn package} in cli/ leaves it. */
    static Path cliJar() throws IOException {
        Path target = ROOT.resolve("cli/target");
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(p -> p.getFileName().toString().matches("sluice-cli-.*\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + target + "/sluice-cli-*.jar: build the CLI "
                            + "first (mvn -DskipTests -pl cli package)"));
        }
    }

    /**
     * Runs the CLI jar with {@code --url url} and {@code args}; no SLUICE_* variables from the
     * environment but the local cluster's token, as an operator would set it.
     */
    private Run cli(Path jar, String url, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "--url", url));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "cli", ".out");
        Path err = Files.createTempFile(tmp, "cli", ".err");
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().keySet().removeIf(k -> k.startsWith("SLUICE_"));
        builder.environment().put("SLUICE_TOKEN", LocalCluster.TOKEN);
        Process p = builder.start();
        p.getOutputStream().close();
        if (!p.waitFor(150, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the CLI did not finish: " + cmd + "\n" + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static void awaitWorkers(LocalCluster cluster, int workers) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            String list = cluster.get("/api/workers");
            if (list != null && count(list, "\"id\"") >= workers) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(workers + " workers did not register within 90 s" + cluster.logTails());
    }

    private static void awaitBatches(LocalCluster cluster, String job, int batches) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            String list = cluster.get("/api/jobs/" + job + "/batches?limit=" + batches);
            if (list != null && count(list, "\"status\":\"SUCCEEDED\"") >= 2 && count(list, "\"batchTime\"") >= batches) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(job + " did not have " + batches + " batches within 60 s" + cluster.logTails());
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
