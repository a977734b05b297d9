package dev.sluice.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * HTTP ingest through a receiver crash: a client posts while the receiver process is
 * killed (SIGKILL) and started again on the same write-ahead log. Every request the
 * receiver acknowledged (202) must be counted exactly once; a request that got no answer
 * may be counted once or not at all, never in part and never twice.
 */
class ReceiverCrashIT {

    private static final int LINES_PER_REQUEST = 20;

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedRecordIsCountedExactlyOnceAcrossAReceiverCrash() throws Exception {
        Path out = tmp.resolve("out");
        int receiverHttp = LocalCluster.freePort();
        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        Set<Integer> unanswered = ConcurrentHashMap.newKeySet();
        try (LocalCluster cluster = new LocalCluster("receiver-crash")) {
            cluster.coordinator("wordcount", Map.of("source", "http:events", "output", out.resolve("wc").toString(),
                            "batch", "1s"))
                    .receiver(0, receiverHttp, List.of("-Dsluice.receiver.wal.dir=" + tmp.resolve("wal")))
                    .worker(0, 2)
                    .worker(1, 2);
            URI ingest = URI.create("http://localhost:" + receiverHttp + "/api/ingest/events");
            awaitAccepting(ingest, cluster);

            AtomicBoolean posting = new AtomicBoolean(true);
            Thread client = new Thread(() -> post(ingest, posting, acked, unanswered), "ingest-client");
            client.start();
            Thread.sleep(3000);
            cluster.kill("receiver-0");
            Thread.sleep(1000);
            cluster.restart("receiver-0");
            long ackedBeforeRestart = acked.size();
            long deadline = System.currentTimeMillis() + 60_000;
            while (acked.size() < ackedBeforeRestart + 50 && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            posting.set(false);
            client.join();
            assertTrue(acked.size() >= ackedBeforeRestart + 50, "the restarted receiver acknowledged too little: "
                    + acked.size() + " after " + ackedBeforeRestart + cluster.logTails());

            Map<String, Long> counts = awaitCounted(out, acked, cluster);
            // Give duplicates, if any, time to show up before judging.
            Thread.sleep(3000);
            counts = CountFiles.sum(out);
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
            assertTrue(!unanswered.isEmpty() || acked.size() > 100, "the crash should have hit some requests");
        }
    }

    /** Posts requests of {@code LINES_PER_REQUEST} copies of "r<n>" until told to stop, noting which were acknowledged. */
    private static void post(URI ingest, AtomicBoolean posting, Set<Integer> acked, Set<Integer> unanswered) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (int request = 0; posting.get(); request++) {
            String body = ("r" + request + "\n").repeat(LINES_PER_REQUEST);
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(ingest)
                        .header("Authorization", "Bearer " + LocalCluster.TOKEN).timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 202) {
                    acked.add(request);
                } else if (r.statusCode() >= 500 || r.statusCode() == 404) {
                    // 404: the restarted receiver listens a moment before the coordinator assigns it
                    // its sources again; nothing of the request was taken, so it counts at most once.
                    unanswered.add(request);
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
            pause(20);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitAccepting(URI ingest, LocalCluster cluster) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                // An empty POST stores nothing: it only says whether the source is assigned yet.
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(ingest)
                        .header("Authorization", "Bearer " + LocalCluster.TOKEN).POST(HttpRequest.BodyPublishers.noBody())
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 202) {
                    return;
                }
            } catch (IOException e) {
                // Not up yet.
            }
            Thread.sleep(250);
        }
        fail("the receiver never accepted posts" + cluster.logTails());
    }

    private static Map<String, Long> awaitCounted(Path out, Set<Integer> acked, LocalCluster cluster) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        Map<String, Long> counts = Map.of();
        while (System.currentTimeMillis() < deadline) {
            counts = CountFiles.sum(out);
            Map<String, Long> seen = counts;
            if (acked.stream().allMatch(r -> seen.getOrDefault("r" + r, 0L) >= LINES_PER_REQUEST)) {
                return counts;
            }
            Thread.sleep(500);
        }
        Map<String, Long> seen = counts;
        List<Integer> missing = acked.stream().filter(r -> seen.getOrDefault("r" + r, 0L) < LINES_PER_REQUEST).sorted().toList();
        fail(missing.size() + " acknowledged requests were not counted within 90 s, e.g. " + missing.subList(0,
                Math.min(10, missing.size())) + cluster.get("/api/jobs/wordcount/batches?limit=30") + cluster.logTails());
        return counts;
    }
}
