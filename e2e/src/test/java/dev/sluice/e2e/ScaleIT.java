package dev.sluice.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scaling while a stateful job runs, through the paths pods use: workers that start
 * register and take tasks from the next one on; workers that stop are drained first
 * (their preStop hook), so what they keep is copied elsewhere and no batch fails. The
 * cluster goes from 2 workers to 4 and back to 1; every batch's output equals the
 * reference.
 */
class ScaleIT {

    @TempDir
    Path tmp;

    @Test
    void scalingFromTwoToFourToOneWorkerChangesNoOutput() throws Exception {
        ChaosRun run = new ChaosRun(tmp, 30, 300);
        List<Long> drains = new ArrayList<>();
        try (LocalCluster cluster = new LocalCluster("scale")) {
            cluster.coordinator(ChaosRun.JOB, run.args(300))
                    .worker(0, 2)
                    .worker(1, 2);
            run.feed(cluster);
            long first = run.firstBatchMs();
            awaitBatch(cluster, first + 4 * ChaosRun.INTERVAL_MS);
            cluster.worker(2, 2).worker(3, 2);
            awaitBatch(cluster, first + 12 * ChaosRun.INTERVAL_MS);
            String workers = cluster.get("/api/workers");
            for (String added : List.of("worker-2", "worker-3")) {
                Matcher m = Pattern.compile("\"id\":\"" + added + "\"[^}]*\"tasksSucceeded\":(\\d+)").matcher(workers);
                assertTrue(m.find() && Long.parseLong(m.group(1)) > 0, added + " should have taken tasks: " + workers);
            }
            for (int w = 0; w < 3; w++) {
                drains.add(cluster.drainAndStop("worker-" + w));
                awaitBatch(cluster, ChaosRun.lastBatchDone(cluster) + 3 * ChaosRun.INTERVAL_MS);
            }
            run.awaitDone(cluster, Duration.ofSeconds(90));
            System.out.println("scale: drains took (ms) " + drains);
            assertEquals(0, cluster.batchesFailed(ChaosRun.JOB), cluster.get("/api/jobs/" + ChaosRun.JOB + "/batches?limit=60"));
            run.assertMatchesReference();
            String log = cluster.log("coordinator");
            assertFalse(log.contains("recomputing"), "a drained worker's data should be copied, not recomputed");
        }
    }

    private static void awaitBatch(LocalCluster cluster, long batchMs) throws InterruptedException {
        while (ChaosRun.lastBatchDone(cluster) < batchMs) {
            Thread.sleep(100);
        }
    }
}
