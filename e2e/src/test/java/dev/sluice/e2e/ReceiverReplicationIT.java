package dev.sluice.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * HTTP ingest on two receivers in replicate mode, with no write-ahead log: clients post to
 * receiver 0, which is killed (SIGKILL) while they do and is not started again. Every request
 * it acknowledged (202) had a replica on receiver 1 and was reported, so it must be counted
 * exactly once, read from the replica; a request that got no answer may be counted once or
 * not at all, never in part and never twice. Left alone, receiver 1 has no peer for replicas
 * and must refuse posts (503 with Retry-After) rather than acknowledge what only it holds.
 */
class ReceiverReplicationIT {

    private static final int LINES_PER_REQUEST = 20;
    private static final int CLIENTS = 4;
    /** The request number of the post to the lone survivor, apart from the clients' numbers. */
    private static final int PROBE = 1_000_000;

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedRecordIsCountedExactlyOnceFromItsReplicaAfterItsReceiverIsKilled() throws Exception {
        Path out = tmp.resolve("out");
        int http0 = LocalCluster.freePort();
        int http1 = LocalCluster.freePort();
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        Set<Integer> unanswered = ConcurrentHashMap.newKeySet();
        try (LocalCluster cluster = new LocalCluster("receiver-replication")) {
            cluster.coordinator("wordcount", Map.of("source", "http:events", "output", out.resolve("wc").toString(),
                            "batch", "1s"))
                    .receiver(0, http0, replicating(tmp.resolve("r0")))
                    .receiver(1, http1, replicating(tmp.resolve("r1")))
                    .worker(0, 2)
                    .worker(1, 2);
            URI ingest0 = URI.create("http://localhost:" + http0 + "/api/ingest/events");
            URI ingest1 = URI.create("http://localhost:" + http1 + "/api/ingest/events");

            AtomicBoolean posting = new AtomicBoolean(true);
            AtomicInteger numbers = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                Thread client = new Thread(() -> post(ingest0, posting, numbers, acked, unanswered), "ingest-client-" + i);
                client.start();
                clients.add(client);
            }
            awaitAcked(acked, 60, cluster);
            cluster.kill("receiver-0");
            long ackedAtKill = acked.size();
            // The clients go on posting to the dead receiver for a moment: connection refused, unanswered.
            Thread.sleep(1000);
            posting.set(false);
            for (Thread client : clients) {
                client.join();
            }

            // Alone, receiver 1 has no peer to replicate to: it must not acknowledge anything.
            HttpResponse<String> lone = HttpClient.newHttpClient().send(HttpRequest.newBuilder(ingest1)
                    .header("Authorization", "Bearer " + LocalCluster.TOKEN)
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(("r" + PROBE + "\n").repeat(LINES_PER_REQUEST))).build(),
                    HttpResponse.BodyHandlers.ofString());
            unanswered.add(PROBE);
            assertEquals(503, lone.statusCode(), "the lone receiver answered " + lone.body());
            assertTrue(lone.headers().firstValue("Retry-After").isPresent(), "503 without Retry-After");
            assertTrue(lone.body().contains("peer"), lone.body());

            awaitCounted(out, acked, cluster);
            // Give duplicates, if any, time to show up before judging.
            Thread.sleep(3000);
            Map<String, Long> counts = CountFiles.sum(out);
            for (int request : acked) {
                assertEquals(LINES_PER_REQUEST, counts.getOrDefault("r" + request, 0L),
                        "acknowledged request " + request + " must be counted exactly once");
            }
            for (int request : unanswered) {
                long n = counts.getOrDefault("r" + request, 0L);
                assertTrue(n == 0 || n == LINES_PER_REQUEST, "unanswered request " + request + " counted " + n + " times");
            }
            Map<String, Long> known = new HashMap<>(counts);
            acked.forEach(r -> known.remove("r" + r));
            unanswered.forEach(r -> known.remove("r" + r));
            assertEquals(Map.of(), known, "words that no request sent");
            assertTrue(unanswered.size() > 1, "the kill should have hit some requests");
            assertTrue(acked.size() >= ackedAtKill);

            String coordinatorLog = cluster.log("coordinator");
            assertTrue(coordinatorLog.contains("moved to their replicas"),
                    "the coordinator never moved receiver 0's blocks to their replicas" + cluster.logTails());
            assertEquals(List.of(), loggedBlocks(tmp), "replicate mode writes no block to disk");
        }
    }

    /**
     * A receiver in replicate mode. Its temporary directory, where a write-ahead log would be by
     * default, is its own: nothing of another test's receiver is replayed, and the test can see
     * that nothing is logged.
     */
    private static List<String> replicating(Path tmpDir) throws IOException {
        Files.createDirectories(tmpDir);
        return List.of("-Dsluice.receiver.durability=replicate", "-Djava.io.tmpdir=" + tmpDir);
    }

    /** Every block file under the receivers' directories. */
    private static List<String> loggedBlocks(Path tmp) throws IOException {
        List<String> found = new ArrayList<>();
        for (String receiver : List.of("r0", "r1")) {
            Path dir = tmp.resolve(receiver);
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(f -> f.getFileName().toString().endsWith(".blk")).forEach(f -> found.add(f.toString()));
            }
        }
        return found;
    }

    /**
     * Posts requests of {@code LINES_PER_REQUEST} copies of "r<n>", numbered from {@code numbers},
     * until told to stop, noting which were acknowledged and which got no answer or a refusal.
     */
    private static void post(URI ingest, AtomicBoolean posting, AtomicInteger numbers, Set<Integer> acked,
            Set<Integer> unanswered) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        while (posting.get()) {
            int request = numbers.getAndIncrement();
            String body = ("r" + request + "\n").repeat(LINES_PER_REQUEST);
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(ingest)
                        .header("Authorization", "Bearer " + LocalCluster.TOKEN).timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 202) {
                    acked.add(request);
                } else if (r.statusCode() >= 500) {
                    // Not started yet, or no peer known yet: nothing was stored.
                    unanswered.add(request);
                    pause(100);
                } else if (r.statusCode() == 404) {
                    // The source is not assigned yet.
                    unanswered.add(request);
                    pause(250);
                } else {
                    throw new AssertionError("unexpected answer " + r.statusCode() + ": " + r.body());
                }
            } catch (IOException e) {
                unanswered.add(request);
                pause(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitAcked(Set<Integer> acked, int count, LocalCluster cluster) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        while (acked.size() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        if (acked.size() < count) {
            fail("only " + acked.size() + " requests were acknowledged within 90 s" + cluster.logTails());
        }
    }

    private static void awaitCounted(Path out, Set<Integer> acked, LocalCluster cluster) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        Map<String, Long> counts = Map.of();
        while (System.currentTimeMillis() < deadline) {
            counts = CountFiles.sum(out);
            Map<String, Long> seen = counts;
            if (acked.stream().allMatch(r -> seen.getOrDefault("r" + r, 0L) >= LINES_PER_REQUEST)) {
                return;
            }
            Thread.sleep(500);
        }
        Map<String, Long> seen = counts;
        List<Integer> missing = acked.stream().filter(r -> seen.getOrDefault("r" + r, 0L) < LINES_PER_REQUEST).sorted().toList();
        fail(missing.size() + " acknowledged requests were not counted within 90 s, e.g. " + missing.subList(0,
                Math.min(10, missing.size())) + cluster.get("/api/jobs/wordcount/batches?limit=30") + cluster.logTails());
    }
}
