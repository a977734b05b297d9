package dev.sluice.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job with one good source and two broken ones — a socket nobody listens on and a
 * directory that does not exist — reads the good one completely, while the broken ones
 * are reported in the logs and counted in metrics.
 */
class BadSourcesIT {

    @TempDir
    Path tmp;

    @Test
    void brokenSourcesAreCountedAndDoNotStopTheGoodOne() throws Exception {
        List<String> corpus = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            corpus.add("good line " + i);
        }
        int deadPort = LocalCluster.freePort();
        int receiverHttp = LocalCluster.freePort();
        Path missing = tmp.resolve("no-such-dir");
        try (CorpusServer good = new CorpusServer(corpus, 1000);
             LocalCluster cluster = new LocalCluster("bad-sources")) {
            cluster.coordinator("wordcount", Map.of(
                            "source", "socket://localhost:" + good.port() + ",socket://localhost:" + deadPort + ",dir:" + missing,
                            "output", tmp.resolve("out").resolve("wc").toString()))
                    .receiver(0, receiverHttp, List.of())
                    .worker(0, 2);
            cluster.awaitRecords("wordcount", corpus.size(), Duration.ofSeconds(90));
            String coordinatorMetrics = cluster.get("/q/metrics");
            assertTrue(positive(coordinatorMetrics, "sluice_source_errors\\{[^}]*node=\"3\""),
                    "the missing directory (node 3, after the union of the sockets) must be counted:\n" + grep(coordinatorMetrics, "sluice_source_errors"));
            String receiverMetrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + receiverHttp + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(positive(receiverMetrics, "sluice_receiver_source_failures_total\\{[^}]*node=\"1\""),
                    "the dead socket (node 1) must be counted:\n" + grep(receiverMetrics, "source_failures"));
        }
    }

    /** Whether a sample matching {@code series} has a value above zero. */
    private static boolean positive(String metrics, String series) {
        Matcher m = Pattern.compile("^" + series + "[^ ]* ([0-9.eE+]+)$", Pattern.MULTILINE).matcher(metrics);
        return m.find() && Double.parseDouble(m.group(1)) > 0;
    }

    private static String grep(String text, String what) {
        return String.join("\n", text.lines().filter(l -> l.contains(what)).toList());
    }
}
