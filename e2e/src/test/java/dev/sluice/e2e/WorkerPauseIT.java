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
            cluster.coordinator("paced-count", Map.of("source", "socket://localhost:" + source.port(),
                            "output", out.resolve("counts").toString(), "parallelism", "6", "cost", "500"))
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
        }
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
