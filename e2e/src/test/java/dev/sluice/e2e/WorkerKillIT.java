package dev.sluice.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stage-worker killed with SIGKILL in the middle of a run: its running tasks go to the
 * others, the shuffle output it held is recomputed when reduce tasks find it gone, no
 * batch fails, and every line is counted exactly once.
 */
class WorkerKillIT {


    @TempDir
    Path tmp;

    @Test
    void aKilledWorkerCostsNoBatchAndNoRecord() throws Exception {
        List<String> corpus = new ArrayList<>();
        Map<String, Long> expected = new HashMap<>();
        for (int i = 0; i < 6000; i++) {
            String line = "k" + (i % 31) + " payload " + i;
            corpus.add(line);
            expected.merge("k" + (i % 31), 1L, Long::sum);
        }
        Path out = tmp.resolve("out");
        try (CorpusServer source = new CorpusServer(corpus, 600);
             LocalCluster cluster = new LocalCluster("worker-kill")) {
            // 0.8 ms of CPU per line keeps the workers busy for most of each batch, so the kill
            // lands in the middle of one: during its map tasks or its shuffle.
            cluster.coordinator("paced-count", Map.of("source", "socket://localhost:" + source.port(),
                            "output", out.resolve("counts").toString(), "parallelism", "6", "cost", "800"))
                    .receiver(0)
                    .worker(0, 2)
                    .worker(1, 2)
                    .worker(2, 2);
            while (cluster.recordsProcessed("paced-count") < 1500) {
                Thread.sleep(100);
            }
            // Inside a running batch, so that tasks run on the worker or its map output is needed.
            cluster.awaitInsideBatch("paced-count", 150);
            cluster.kill("worker-1");
            cluster.awaitRecords("paced-count", corpus.size(), Duration.ofSeconds(90));
            Thread.sleep(1500);
            assertEquals(0, cluster.batchesFailed("paced-count"), "no batch may fail: "
                    + cluster.get("/api/jobs/paced-count/batches?limit=30"));
            assertEquals(expected, CountFiles.sum(out));
            String log = cluster.log("coordinator");
            assertTrue(log.contains("running tasks of worker worker-1 requeued") || log.contains("recomputing them"),
                    "the kill should have hit a running batch:\n" + log.lines().filter(l -> l.contains("WARN")).toList());
        }
    }
}
