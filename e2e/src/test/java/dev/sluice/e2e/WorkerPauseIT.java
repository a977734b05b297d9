package dev.sluice.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stage-worker frozen (SIGSTOP) for several batch intervals in the middle of a batch,
 * then let go (SIGCONT): its tasks are copied or reassigned, batches keep completing,
 * the worker registers again under a new epoch, its late results are ignored, and every
 * line is counted exactly once.
 */
class WorkerPauseIT {

    private static final Pattern WORKER_1_EPOCH = Pattern.compile("\"id\":\"worker-1\",\"address\":\"[^\"]+\",\"epoch\":(\\d+)");

    @TempDir
    Path tmp;

    @Test
    void aFrozenWorkerCostsNoBatchAndNoRecord() throws Exception {
        List<String> corpus = new ArrayList<>();
        Map<String, Long> expected = new HashMap<>();
        for (int i = 0; i < 7200; i++) {
            corpus.add("k" + (i % 29) + " payload " + i);
            expected.merge("k" + (i % 29), 1L, Long::sum);
        }
        Path out = tmp.resolve("out");
        try (CorpusServer source = new CorpusServer(corpus, 600);
             LocalCluster cluster = new LocalCluster("worker-pause")) {
            // Heartbeats every 200 ms: a freeze is detected after 600 ms.
            cluster.coordinator("paced-count", Map.of("source", "socket://localhost:" + source.port(),
                            "output", out.resolve("counts").toString(), "parallelism", "6", "cost", "500"),
                            List.of("-Dsluice.heartbeat.interval=200ms"))
                    .receiver(0)
                    .worker(0, 2)
                    .worker(1, 2)
                    .worker(2, 2);
            while (cluster.recordsProcessed("paced-count") < 1200) {
                Thread.sleep(100);
            }
            long epochBefore = epochOfWorker1(cluster);
            // Inside a running batch, so that tasks run on the worker or its map output is needed.
            cluster.awaitInsideBatch("paced-count", 100);
            long normal = medianProcessingMs(cluster);
            long frozenAt = System.currentTimeMillis();
            cluster.pause("worker-1");
            Thread.sleep(4000);
            cluster.resume("worker-1");
            cluster.awaitRecords("paced-count", corpus.size(), Duration.ofSeconds(90));
            Thread.sleep(1500);
            assertEquals(0, cluster.batchesFailed("paced-count"), "no batch may fail: "
                    + cluster.get("/api/jobs/paced-count/batches?limit=40"));
            assertEquals(expected, CountFiles.sum(out));
            assertTrue(epochOfWorker1(cluster) > epochBefore, "the frozen worker should have registered again: "
                    + cluster.get("/api/workers"));
            // The batch running when the worker froze waits for the freeze to be detected (the
            // heartbeat timeout), then for what the worker held to be recomputed; every later
            // batch runs on the others, with copies of anything that lands on it, within twice
            // the normal time.
            List<long[]> after = batchesSince(cluster, frozenAt - 1000);
            System.out.println("pause: normal processing " + normal + " ms; batches from the freeze on (time, ms): "
                    + after.stream().map(b -> b[0] + "=" + b[1]).toList());
            // Three missed heartbeats take up to four intervals from the freeze: it may fall just
            // after a heartbeat was sent.
            long detection = 4 * 200;
            for (long[] b : after) {
                long allowed = b[0] < frozenAt ? 2 * normal + detection : 2 * normal;
                assertTrue(b[1] <= Math.max(allowed, 150), "batch " + b[0] + " took " + b[1] + " ms; normal is " + normal
                        + " ms" + (b[0] < frozenAt ? " (it was running when the worker froze)" : ""));
            }
        }
    }

    private static final Pattern BATCH = Pattern.compile(
            "\\{\"batchTime\":(\\d+),\"inputRecords\":(\\d+)[^}]*\"processingTimeMs\":(\\d+)");

    /** Processing times of the finished batches with input at or after {@code fromMs}, oldest first: (time, ms). */
    private static List<long[]> batchesSince(LocalCluster cluster, long fromMs) {
        List<long[]> batches = new ArrayList<>();
        Matcher m = BATCH.matcher(cluster.get("/api/jobs/paced-count/batches?limit=200"));
        while (m.find()) {
            if (Long.parseLong(m.group(1)) >= fromMs && Long.parseLong(m.group(2)) > 0) {
                batches.add(0, new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(3))});
            }
        }
        return batches;
    }

    /** The median processing time of the last five batches with input: the normal time, warmed up. */
    private static long medianProcessingMs(LocalCluster cluster) {
        List<long[]> all = batchesSince(cluster, 0);
        List<Long> times = all.subList(Math.max(0, all.size() - 5), all.size()).stream().map(b -> b[1]).sorted().toList();
        return times.get(times.size() / 2);
    }

    private static long epochOfWorker1(LocalCluster cluster) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            String workers = cluster.get("/api/workers");
            Matcher m = workers == null ? null : WORKER_1_EPOCH.matcher(workers);
            if (m != null && m.find()) {
                return Long.parseLong(m.group(1));
            }
            Thread.sleep(100);
        }
        return -1;
    }
}
