package dev.sluice.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chaos suite: the running-count job (shuffles, an inverse-reduced window, state with
 * checkpoints) on a coordinator and three workers as separate JVMs, with processes killed
 * under it. Every batch's output must equal a failure-free reference run of the same
 * input, and no batch may fail.
 */
class ChaosIT {

    @TempDir
    Path tmp;

    @Test
    void workersKilledAtRandomMomentsCostNoBatchAndChangeNoOutput() throws Exception {
        // 100 batches: a reduce stage placed ahead reads its map outputs within milliseconds of
        // their writing, so a kill lands inside a shuffle rarely; the run kills until one has.
        ChaosRun run = new ChaosRun(tmp, 100, 400);
        Random random = new Random(20261125L);
        List<String> kills = new ArrayList<>();
        List<Long> recovery = new ArrayList<>();
        try (LocalCluster cluster = new LocalCluster("chaos-workers")) {
            cluster.coordinator(ChaosRun.JOB, run.args(300))
                    .worker(0, 2)
                    .worker(1, 2)
                    .worker(2, 2);
            run.feed(cluster);
            // Five kills or more at random moments, each once the job is back on time after
            // the one before, until one has cut a shuffle short (its map outputs had to be
            // recomputed). Each killed worker restarts 0.8 s later, as on Kubernetes.
            while (ChaosRun.lastBatchDone(cluster) < run.lastBatchMs() - 8 * ChaosRun.INTERVAL_MS
                    && (kills.size() < 5 || !cluster.log("coordinator").contains("map outputs"))) {
                Thread.sleep(500 + random.nextInt(1500));
                String victim = "worker-" + random.nextInt(3);
                cluster.kill(victim);
                long at = System.currentTimeMillis();
                kills.add(victim + "@" + ChaosRun.lastBatchDone(cluster));
                Thread.sleep(800);
                cluster.restart(victim);
                recovery.add(ChaosRun.awaitOnTime(cluster, at, Duration.ofSeconds(60)));
            }
            run.awaitDone(cluster, Duration.ofSeconds(150));
            assertTrue(kills.size() >= 5, "the run ended before five kills: " + kills);
            assertEquals(0, cluster.batchesFailed(ChaosRun.JOB), "no batch may fail; kills " + kills + ": "
                    + cluster.get("/api/jobs/" + ChaosRun.JOB + "/batches?limit=60"));
            assertTrue(cluster.log("coordinator").contains("map outputs"),
                    "one kill should have cut a shuffle short; kills " + kills);
            run.assertMatchesReference();
            // For docs/fault-tolerance.md: how long each kill kept the job off its schedule.
            System.out.println("chaos: worker kills " + kills + ", back on time after (ms) " + recovery);
        }
    }

    @Test
    void aCoordinatorKilledMidBatchResumesWithNoBatchLostOrChanged() throws Exception {
        ChaosRun run = new ChaosRun(tmp, 24, 300);
        try (LocalCluster cluster = new LocalCluster("chaos-coordinator")) {
            cluster.coordinator(ChaosRun.JOB, run.args(300))
                    .worker(0, 2)
                    .worker(1, 2)
                    .worker(2, 2);
            run.feed(cluster);
            while (ChaosRun.lastBatchDone(cluster) < run.lastBatchMs() - 14 * ChaosRun.INTERVAL_MS) {
                Thread.sleep(100);
            }
            cluster.awaitInsideBatch(ChaosRun.JOB, 200);
            cluster.kill("coordinator");
            long killedAt = System.currentTimeMillis();
            Thread.sleep(1500);
            cluster.restart("coordinator");
            run.awaitDone(cluster, Duration.ofSeconds(120));
            assertTrue(cluster.log("coordinator").contains("resumes from"), "the job should have resumed from its batch log");
            assertEquals(0, cluster.batchesFailed(ChaosRun.JOB), cluster.get("/api/jobs/" + ChaosRun.JOB + "/batches?limit=60"));
            run.assertMatchesReference();
            System.out.println("chaos: coordinator killed, back on time after (ms) "
                    + ChaosRun.awaitOnTime(cluster, killedAt, Duration.ofSeconds(60)));
        }
    }
}
