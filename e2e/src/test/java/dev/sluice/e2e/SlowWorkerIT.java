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
 * Dynamic load balancing on real processes: of three one-slot workers, one is made four
 * times slower (frozen three quarters of the time). Tasks go to whichever worker has a
 * free slot, so it ends up running proportionally fewer of them, no batch fails and every
 * line is counted once.
 */
class SlowWorkerIT {

    private static final Pattern SUCCEEDED = Pattern.compile("\"id\":\"(worker-\\d)\"[^}]*\"tasksSucceeded\":(\\d+)");

    @TempDir
    Path tmp;

    @Test
    void aFourTimesSlowerWorkerRunsFewerTasks() throws Exception {
        List<String> corpus = new ArrayList<>();
        Map<String, Long> expected = new HashMap<>();
        for (int i = 0; i < 9000; i++) {
            corpus.add("k" + (i % 37) + " payload " + i);
            expected.merge("k" + (i % 37), 1L, Long::sum);
        }
        Path out = tmp.resolve("out");
        try (CorpusServer source = new CorpusServer(corpus, 900);
             LocalCluster cluster = new LocalCluster("slow-worker")) {
            // 50 ms blocks: 20 map tasks a batch, each 45 lines of 0.4 ms of CPU.
            cluster.coordinator("paced-count", Map.of("source", "socket://localhost:" + source.port(),
                            "output", out.resolve("counts").toString(), "parallelism", "12", "cost", "400"))
                    .receiver(0, LocalCluster.freePort(), List.of("-Dsluice.receiver.block-interval=50ms"))
                    .worker(0, 1)
                    .worker(1, 1)
                    .worker(2, 1);
            while (cluster.recordsProcessed("paced-count") < 1000) {
                Thread.sleep(100);
            }
            Map<String, Long> before = succeeded(cluster);
            Map<String, Long> after;
            try (AutoCloseable slow = cluster.throttle("worker-2", 4)) {
                while (cluster.recordsProcessed("paced-count") < 8000) {
                    Thread.sleep(100);
                }
                after = succeeded(cluster);
            }
            cluster.awaitRecords("paced-count", corpus.size(), Duration.ofSeconds(60));
            Thread.sleep(1500);
            assertEquals(0, cluster.batchesFailed("paced-count"), cluster.get("/api/jobs/paced-count/batches?limit=40"));
            assertEquals(expected, CountFiles.sum(out));
            long fast0 = after.get("worker-0") - before.get("worker-0");
            long fast1 = after.get("worker-1") - before.get("worker-1");
            long slow = after.get("worker-2") - before.get("worker-2");
            System.out.println("slow worker: tasks while throttled: worker-0 " + fast0 + ", worker-1 " + fast1
                    + ", worker-2 (4x slower) " + slow);
            // Not a clean quarter: the two fast workers share two cores with everything else
            // here, so they are not four times faster in fact; well under the others is the claim.
            assertTrue(slow * 10 <= 6 * (fast0 + fast1) / 2, "the slow worker should run well under the others' tasks: "
                    + fast0 + ", " + fast1 + " vs " + slow);
        }
    }

    /** Tasks succeeded so far, per worker id. */
    private static Map<String, Long> succeeded(LocalCluster cluster) {
        Map<String, Long> counts = new HashMap<>();
        Matcher m = SUCCEEDED.matcher(cluster.get("/api/workers"));
        while (m.find()) {
            counts.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return counts;
    }
}
