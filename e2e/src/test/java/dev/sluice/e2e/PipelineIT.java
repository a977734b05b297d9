package dev.sluice.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A declarative pipeline submitted over REST to a running cluster (coordinator and two
 * workers, no job at start): a bad spec is refused with the path of the bad field; a good
 * one runs on the workers, which define the same graph from the spec, and counts words
 * from files dropped in a directory; then it is stopped.
 */
class PipelineIT {

    @TempDir
    Path tmp;

    @Test
    void aPipelineSubmittedOverRestRunsOnTheWorkers() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path out = tmp.resolve("out");
        String spec = "sources: {lines: {dir: '" + in + "'}}\\n"
                + "streams:\\n"
                + "  words: {from: lines, flatMap: {split: '\\\\s+'}}\\n"
                + "  counts: {from: words, countByValue: true}\\n"
                + "outputs:\\n"
                + "  - {stream: counts, saveAsTextFiles: {prefix: '" + out.resolve("counts") + "'}}\\n";
        try (LocalCluster cluster = new LocalCluster("pipeline")) {
            cluster.coordinator(null, Map.of(), List.of()).worker(0, 2).worker(1, 2);
            HttpResponse<String> bad = null;
            for (int i = 0; i < 100 && (bad == null || bad.statusCode() == 404 || bad.statusCode() >= 500); i++) {
                Thread.sleep(200);
                try {
                    bad = cluster.post("/api/jobs", "{\"name\": \"pipeline\", \"args\": {\"spec\": \""
                            + spec.replace("countByValue: true", "countByValue: yes please") + "\"}}");
                } catch (java.io.IOException notUpYet) {
                    bad = null;
                }
            }
            assertEquals(400, bad.statusCode(), bad.body());
            assertTrue(bad.body().contains("streams.counts.countByValue"), bad.body());

            HttpResponse<String> ok = cluster.post("/api/jobs", "{\"name\": \"pipeline\", \"args\": {\"spec\": \""
                    + spec + "\", \"batch\": \"500ms\"}}");
            assertEquals(201, ok.statusCode(), ok.body());
            Thread.sleep(1500);
            Map<String, Long> expected = new HashMap<>();
            for (int f = 0; f < 5; f++) {
                StringBuilder text = new StringBuilder();
                for (int l = 0; l < 40; l++) {
                    String line = "w" + (l % 7) + " x" + (f % 3) + " common";
                    text.append(line).append('\n');
                    for (String w : line.split(" ")) {
                        expected.merge(w, 1L, Long::sum);
                    }
                }
                Path hidden = in.resolve(".f" + f);
                Files.writeString(hidden, text);
                Files.move(hidden, in.resolve("f" + f + ".txt"));
                Thread.sleep(300);
            }
            long deadline = System.currentTimeMillis() + 30_000;
            Map<String, Long> counted = Map.of();
            while (System.currentTimeMillis() < deadline && !counted.equals(expected)) {
                Thread.sleep(300);
                counted = CountFiles.sum(out);
            }
            assertEquals(expected, counted, cluster.logTails());
            HttpResponse<String> stop = cluster.post("/api/jobs/pipeline/stop", "");
            assertEquals(202, stop.statusCode(), stop.body());
            deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline && !cluster.get("/api/jobs/pipeline").contains("\"STOPPED\"")) {
                Thread.sleep(200);
            }
            assertTrue(cluster.get("/api/jobs/pipeline").contains("\"STOPPED\""), cluster.get("/api/jobs/pipeline"));
        }
    }
}
