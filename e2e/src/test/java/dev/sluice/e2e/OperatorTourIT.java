package dev.sluice.e2e;

import dev.sluice.api.DStream;
import dev.sluice.api.Pair;
import dev.sluice.examples.tour.OperatorTour;
import dev.sluice.testkit.StreamTest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential test of every operation: the operator tour runs through the real
 * coordinator and 1 or 3 stage-worker processes, and each case's output, batch by batch,
 * must equal what StreamTest gives for the same case and input.
 */
class OperatorTourIT {

    private static final Duration BATCH = Duration.ofSeconds(1);
    private static final Pattern COMPLETED = Pattern.compile("\"batchesCompleted\":(\\d+)");
    private static final Pattern FAILED = Pattern.compile("\"batchesFailed\":(\\d+)");
    private static final Pattern ZERO = Pattern.compile("\"zeroTime\":(\\d+)");

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} workers")
    @ValueSource(ints = {1, 3})
    void everyCaseEqualsStreamTestBatchByBatch(int workers) throws Exception {
        Path out = tmp.resolve("out");
        try (LocalCluster cluster = new LocalCluster("operator-tour-" + workers)) {
            cluster.coordinator("operator-tour", Map.of("out", out.toString(), "batch", "1s",
                    "checkpoint", tmp.resolve("checkpoints").toString()));
            for (int i = 0; i < workers; i++) {
                cluster.worker(i, 2);
            }
            long zero = awaitBatches(cluster, OperatorTour.BATCHES);
            long last = zero + OperatorTour.BATCHES * BATCH.toMillis();
            for (OperatorTour.Case c : OperatorTour.cases()) {
                assertEquals(expected(c), actual(out.resolve(c.name()), last), "case " + c.name() + " with " + workers
                        + " workers");
            }
            assertEquals(expectedHadoop(), actualHadoop(out.resolve("saveAsHadoopFiles"), last),
                    "saveAsHadoopFiles with " + workers + " workers");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<List<String>> expected(OperatorTour.Case c) {
        List<List<Object>> batches = StreamTest.run(BATCH, OperatorTour.LEFT, OperatorTour.RIGHT,
                (l, r) -> (DStream<Object>) c.op().apply(l, r), OperatorTour.BATCHES);
        List<List<String>> lines = new ArrayList<>();
        for (List<Object> batch : batches) {
            lines.add(batch.stream().map(String::valueOf).toList());
        }
        return lines;
    }

    /** The case's batches up to {@code lastTime}, oldest first. */
    private static List<List<String>> actual(Path dir, long lastTime) throws IOException {
        TreeMap<Long, List<String>> byTime = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                long time = Long.parseLong(f.getFileName().toString().replace(".txt", ""));
                if (time <= lastTime) {
                    byTime.put(time, Files.readAllLines(f));
                }
            }
        }
        return new ArrayList<>(byTime.values());
    }

    private static List<List<String>> expectedHadoop() {
        List<List<Pair<String, Long>>> batches = StreamTest.run(BATCH, OperatorTour.LEFT,
                l -> OperatorTour.words(l).mapToPair(w -> Pair.of(w, 1L)).reduceByKey(Long::sum), OperatorTour.BATCHES);
        List<List<String>> lines = new ArrayList<>();
        for (List<Pair<String, Long>> batch : batches) {
            lines.add(batch.stream().map(kv -> kv.first() + "\t" + kv.second()).toList());
        }
        return lines;
    }

    private static List<List<String>> actualHadoop(Path dir, long lastTime) throws IOException {
        TreeMap<Long, List<String>> byTime = new TreeMap<>();
        try (Stream<Path> batches = Files.list(dir)) {
            for (Path batch : batches.toList()) {
                long time = Long.parseLong(batch.getFileName().toString().substring("part-".length()));
                if (time > lastTime) {
                    continue;
                }
                assertTrue(Files.exists(batch.resolve("_SUCCESS")), "no _SUCCESS in " + batch);
                List<String> lines = new ArrayList<>();
                try (Stream<Path> parts = Files.list(batch)) {
                    for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                        lines.addAll(Files.readAllLines(part));
                    }
                }
                byTime.put(time, lines);
            }
        }
        return new ArrayList<>(byTime.values());
    }

    /** Waits until {@code batches} batches completed, none failed; returns the job's zero time. */
    private static long awaitBatches(LocalCluster cluster, int batches) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        String status = null;
        while (System.currentTimeMillis() < deadline) {
            status = cluster.get("/api/jobs/operator-tour");
            if (status != null) {
                long failed = number(FAILED, status);
                if (failed > 0) {
                    fail("a batch failed: " + cluster.get("/api/jobs/operator-tour/batches?limit=20") + cluster.logTails());
                }
                if (number(COMPLETED, status) >= batches) {
                    return number(ZERO, status);
                }
            }
            Thread.sleep(250);
        }
        fail("fewer than " + batches + " batches completed in 120 s: " + status + cluster.logTails());
        return -1;
    }

    private static long number(Pattern p, String json) {
        Matcher m = p.matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
