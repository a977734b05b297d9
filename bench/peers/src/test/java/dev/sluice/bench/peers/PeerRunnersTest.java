package dev.sluice.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.bench.load.Corpus;
import dev.sluice.bench.load.RateSchedule;
import dev.sluice.bench.load.SendLog;
import dev.sluice.bench.load.SocketLoad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each runner as the harness starts it: a separate JVM with the module's JVM options file and
 * classpath file, reading the bench's socket load (200,000 words/s, no ramp, 8 s). Checks that every
 * line of its output parses, that it counted every word the generator sent (only what was sent in
 * the final two batches before it stopped may be missing) and never more, and that it exits 0 with
 * its {@code done} line.
 */
class PeerRunnersTest {

    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    private static final long BATCH_MS = 1000;
    private static final long LOAD_MS = 8_000;
    /** Room for the JVM and the framework to start (Spark's receiver connects after ~5 s), the load, and a few batches more. */
    private static final String RUN_FOR = "20s";

    @TempDir
    Path dir;

    @Test
    void sparkCountsEveryWordSent() throws Exception {
        Run run = run("spark", "jvm.options", "classpath-spark.txt", "dev.sluice.bench.peers.SparkStreamingWordCount");
        long lines = 0;
        for (JsonNode batch : run.rows) {
            for (String field : List.of("batchTime", "lines", "words", "distinct", "schedulingDelayMs", "processingMs", "endMs")) {
                assertTrue(batch.path(field).isIntegralNumber(), () -> "no number " + field + " in " + batch);
            }
            assertTrue(batch.get("endMs").asLong() >= batch.get("batchTime").asLong(), () -> "ended before its batch time: " + batch);
            lines += batch.get("lines").asLong();
        }
        // Every line is 10 words, so Spark's record count and the word count must agree.
        assertEquals(lines * Corpus.WORDS_PER_LINE, run.words(), "words vs lines received");
        run.assertCountedAllSent("batchTime");
    }

    @Test
    void flinkCountsEveryWordSent() throws Exception {
        Run run = run("flink", "flink-jvm.options", "classpath-flink.txt", "dev.sluice.bench.peers.FlinkWordCount");
        for (JsonNode window : run.rows) {
            for (String field : List.of("windowEnd", "words", "distinct", "endMs")) {
                assertTrue(window.path(field).isIntegralNumber(), () -> "no number " + field + " in " + window);
            }
            assertTrue(window.get("endMs").asLong() >= window.get("windowEnd").asLong() - 1, () -> "ended before its window: " + window);
        }
        run.assertCountedAllSent("windowEnd");
    }

    /** Serves the load, runs the runner to its end and reads its output. */
    private Run run(String name, String jvmOptions, String classpathFile, String mainClass) throws Exception {
        Path classpath = MODULE.resolve("target").resolve(classpathFile);
        assertTrue(Files.exists(classpath), classpath + " is written at process-classes");
        Path out = dir.resolve(name + ".jsonl");
        Path stdout = dir.resolve(name + ".out");
        Path stderr = MODULE.resolve("target").resolve("peers-" + name + ".err");
        SendLog log = new SendLog();
        try (SocketLoad load = new SocketLoad(0, Corpus.standard(), RateSchedule.ofWords(200_000, 0), log)) {
            load.start(LOAD_MS);
            List<String> command = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "@" + MODULE.resolve(jvmOptions),
                    "-cp", MODULE.resolve("target/classes") + ":" + Files.readString(classpath).trim(),
                    mainClass,
                    "--source", "127.0.0.1:" + load.port(),
                    "--batch", BATCH_MS + "ms",
                    "--duration", RUN_FOR,
                    "--out", out.toString());
            Process process = new ProcessBuilder(command)
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(name + " did not stop by itself; its log: " + stderr);
            }
            long stoppedMs = System.currentTimeMillis();
            assertEquals(0, process.exitValue(), () -> name + " exit code; its log: " + stderr);
            List<JsonNode> rows = parse(out);
            String done = Files.readString(stdout).trim();
            assertEquals("done " + rows.size() + " batches", done.substring(done.lastIndexOf('\n') + 1), "last line on stdout");
            return new Run(name, rows, load.sent(), log, stoppedMs);
        }
    }

    private static List<JsonNode> parse(Path out) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            JsonNode row = json.readTree(line);
            assertTrue(row.isObject(), () -> "not a JSON object: " + line);
            rows.add(row);
        }
        assertTrue(!rows.isEmpty(), "no batch written");
        return rows;
    }

    private record Run(String name, List<JsonNode> rows, long linesSent, SendLog log, long stoppedMs) {

        long words() {
            return rows.stream().mapToLong(row -> row.get("words").asLong()).sum();
        }

        /**
         * All words sent were counted, once: none more, and none fewer than what left the
         * generator before the final two batches (what was still in flight when the runner stopped
         * may be lost). Batches come in time order, on batch boundaries, with sane distinct counts.
         */
        void assertCountedAllSent(String timeField) {
            long sentWords = linesSent * Corpus.WORDS_PER_LINE;
            long inFlightWords = (linesSent - log.sentBy(stoppedMs - 2 * BATCH_MS)) * Corpus.WORDS_PER_LINE;
            long counted = words();
            assertTrue(sentWords > 1_000_000, name + ": the load sent only " + sentWords + " words");
            assertTrue(counted <= sentWords, name + ": counted " + counted + " words, more than the " + sentWords + " sent");
            assertTrue(counted >= sentWords - inFlightWords,
                    name + ": counted " + counted + " of " + sentWords + " words sent; at most " + inFlightWords + " may be lost");
            long previous = Long.MIN_VALUE;
            for (JsonNode row : rows) {
                long time = row.get(timeField).asLong();
                long words = row.get("words").asLong();
                long distinct = row.get("distinct").asLong();
                assertEquals(0, time % BATCH_MS, () -> name + ": not on a batch boundary: " + row);
                assertTrue(time > previous, () -> name + ": out of order: " + row);
                assertTrue(distinct <= Math.min(words, 10_000) && (words == 0) == (distinct == 0), () -> name + ": distinct words off: " + row);
                previous = time;
            }
        }
    }
}
