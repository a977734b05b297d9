package dev.sluice.e2e;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The coordinator's dashboard in a real browser: with word count running on two workers,
 * {@code src/test/browser/dashboard.mjs} loads {@code /} in headless Chromium (Debian's
 * {@code /usr/bin/chromium}, driven by playwright-core), waits for the charts to fill, for
 * new batch rows to arrive over the event stream, drills down into a batch's stages,
 * checks the workers and receivers, and saves a screenshot (the README's {@code docs/dashboard.png}
 * with {@code -Ddashboard.screenshot=docs/dashboard.png}).
 */
class DashboardIT {

    private static final Path ROOT = Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath().normalize();
    private static final Path BROWSER = ROOT.resolve("e2e/src/test/browser");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String INSTALL = "run scripts/install-browser-test-tools.sh (it installs Debian's chromium "
            + "and the playwright-core npm package under e2e/src/test/browser/node_modules)";
    private static final Pattern COMPLETED = Pattern.compile("\"batchesCompleted\":(\\d+)");
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(3);

    @Test
    void showsTheRunningJobLive() throws Exception {
        String node = browserToolsOrFail();
        List<String> corpus = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            corpus.add("the quick brown fox " + (i % 97) + " jumps over the lazy dog " + (i % 13));
        }
        // The README's screenshot is made by this test on demand (-Ddashboard.screenshot=docs/dashboard.png),
        // so that an ordinary run leaves the working tree as it was.
        Path screenshot = ROOT.resolve(System.getProperty("dashboard.screenshot", "e2e/target/dashboard.png"));
        Path failureShot = ROOT.resolve("e2e/target/e2e-logs/dashboard/failure.png");
        try (CorpusServer source = new CorpusServer(corpus, 400);
             LocalCluster cluster = new LocalCluster("dashboard")) {
            cluster.coordinator("wordcount", Map.of("source", "socket://localhost:" + source.port(), "batch", "1s"))
                    .receiver(0)
                    .worker(0, 2)
                    .worker(1, 2);
            awaitCompletedBatches(cluster, 15, Duration.ofSeconds(120));
            Files.createDirectories(failureShot.getParent());
            Files.deleteIfExists(failureShot);

            ProcessBuilder pb = new ProcessBuilder(node, "dashboard.mjs",
                    "--url", cluster.url() + "/",
                    "--screenshot", screenshot.toString(),
                    "--workers", "worker-0,worker-1",
                    "--failure-screenshot", failureShot.toString(),
                    "--chromium", CHROMIUM.toString())
                    .directory(BROWSER.toFile())
                    .redirectErrorStream(true);
            long started = System.currentTimeMillis();
            Process script = pb.start();
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            Thread reader = drain(script.getInputStream(), output);
            boolean done = script.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!done) {
                script.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            reader.join(5000);
            String out = output.toString(StandardCharsets.UTF_8);
            System.out.println("dashboard.mjs (" + (System.currentTimeMillis() - started) + " ms):\n" + out);
            assertTrue(done, "dashboard.mjs did not end within " + SCRIPT_TIMEOUT + "; its output:\n" + out
                    + cluster.logTails());
            assertEquals(0, script.exitValue(), "dashboard.mjs failed (exit " + script.exitValue() + "); its output:\n"
                    + out + cluster.logTails());
            assertTrue(Files.size(screenshot) > 10_000, "the screenshot " + screenshot + " is nearly empty");
        }
    }

    /** The {@code node} binary, once node, playwright-core and Chromium are all there; fails naming the install script. */
    private static String browserToolsOrFail() {
        List<String> missing = new ArrayList<>();
        String node = "node";
        try {
            Process p = new ProcessBuilder(node, "--version").redirectErrorStream(true).start();
            String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                missing.add("node (`node --version` failed: " + version + ")");
            }
        } catch (IOException e) {
            missing.add("node (not on the PATH: " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while looking for node");
        }
        if (!Files.isRegularFile(BROWSER.resolve("node_modules/playwright-core/package.json"))) {
            missing.add("the playwright-core package (" + BROWSER.resolve("node_modules/playwright-core") + ")");
        }
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add("Chromium (" + CHROMIUM + ")");
        }
        if (!missing.isEmpty()) {
            fail("DashboardIT drives the dashboard in a real browser, and this machine lacks " + String.join(", ", missing)
                    + ": " + INSTALL + ", then run the test again");
        }
        return node;
    }

    private static void awaitCompletedBatches(LocalCluster cluster, long batches, Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        long seen = -1;
        while (System.currentTimeMillis() < deadline) {
            String status = cluster.get("/api/jobs/wordcount");
            Matcher m = status == null ? null : COMPLETED.matcher(status);
            seen = m != null && m.find() ? Long.parseLong(m.group(1)) : -1;
            if (seen >= batches) {
                return;
            }
            Thread.sleep(250);
        }
        fail("the job completed " + seen + " of " + batches + " batches within " + timeout + cluster.logTails());
    }

    private static Thread drain(InputStream in, ByteArrayOutputStream out) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(out);
            } catch (IOException e) {
                // The process ended.
            }
        }, "dashboard-mjs-output");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
