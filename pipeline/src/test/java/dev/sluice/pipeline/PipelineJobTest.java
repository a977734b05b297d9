package dev.sluice.pipeline;

import dev.sluice.api.DStream;
import dev.sluice.api.JobArgs;
import dev.sluice.engine.graph.GraphBuilder;
import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.job.JobCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The job as the coordinator and the workers define it: from its arguments, through the engine's graph builder. */
class PipelineJobTest {

    private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

    private static final String WORD_COUNT = """
            sources:
              lines: {arg: source}
            streams:
              words:  {from: lines, flatMap: {split: "\\\\s+"}}
              pairs:  {from: words, pair: {key: $0}}
              counts: {from: pairs, reduceByKey: sum}
            outputs:
              - {stream: counts, print: 10}
            """;

    private static JobGraph define(Map<String, String> args) {
        return GraphBuilder.define(new PipelineJob(), JobArgs.of(args), NOWHERE);
    }

    private static Map<String, String> args(String... keyValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void isFoundByNameOnTheClasspath() {
        assertInstanceOf(PipelineJob.class, JobCatalog.load().find("pipeline"));
    }

    @Test
    void everyProcessDefinesTheSameGraph() {
        Map<String, String> args = args("spec", SpecParserTest.FULL, "source", "socket://localhost:9999", "batch", "500ms");
        JobGraph coordinator = define(args);
        JobGraph worker = define(new HashMap<>(args));
        assertEquals(coordinator.fingerprint(), worker.fingerprint());
        assertEquals(coordinator.nodes().size(), worker.nodes().size());
        for (int i = 0; i < coordinator.nodes().size(); i++) {
            assertEquals(coordinator.nodes().get(i).describe(), worker.nodes().get(i).describe());
        }
        // socket, dir, http, kafka, and the socket the 'source' argument names.
        assertEquals(5, coordinator.sources().size());
    }

    @Test
    void aDifferentSpecIsADifferentGraph() {
        JobGraph a = define(args("spec", WORD_COUNT, "source", "socket://localhost:9999"));
        JobGraph b = define(args("spec", WORD_COUNT.replace("reduceByKey: sum", "state: sum"),
                "source", "socket://localhost:9999"));
        assertNotEquals(a.fingerprint(), b.fingerprint());
    }

    @Test
    void anArgSourceTakesSeveralSourcesSeparatedByCommas() {
        JobGraph graph = define(args("spec", WORD_COUNT, "source", "socket://localhost:9999, dir:/in,http:lines"));
        assertEquals(3, graph.sources().size());
    }

    @Test
    void specFromAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, WORD_COUNT);
        JobGraph fromFile = define(args("spec-file", file.toString(), "source", "socket://localhost:9999"));
        JobGraph inline = define(args("spec", WORD_COUNT, "source", "socket://localhost:9999"));
        assertEquals(inline.fingerprint(), fromFile.fingerprint());
    }

    @Test
    void needsExactlyOneOfSpecAndSpecFile() {
        IllegalArgumentException neither = assertThrows(IllegalArgumentException.class, () -> define(args()));
        assertEquals("the pipeline job needs a spec: the job argument 'spec' (its YAML or JSON text) or 'spec-file' "
                + "(the path of a file with it)", neither.getMessage());
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> define(args("spec", WORD_COUNT, "spec-file", "/x.yaml")));
        assertEquals("the pipeline job takes its spec from the job argument 'spec' or from 'spec-file', not both",
                both.getMessage());
    }

    @Test
    void unreadableOrOversizedSpecFile(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing.yaml");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> define(args("spec-file", missing.toString())));
        assertEquals("job argument 'spec-file': cannot read " + missing + ": NoSuchFileException", e.getMessage());

        Path big = dir.resolve("big.yaml");
        Files.writeString(big, WORD_COUNT + "#" + "x".repeat(70_000));
        PipelineSpecException tooBig = assertThrows(PipelineSpecException.class,
                () -> define(args("spec-file", big.toString())));
        assertEquals("", tooBig.path());
        assertTrue(tooBig.getMessage().endsWith("bytes, more than the limit of 65536 bytes"), tooBig.getMessage());
    }

    /** Found by FuzzIT (a 500, the coordinator out of memory): a device reports 0 bytes and never ends. */
    @Test
    void aSpecFileThatNeverEndsIsReadNoFurtherThanTheLimit() {
        assumeTrue(Files.isReadable(Path.of("/dev/zero")), "a Unix /dev/zero");
        PipelineSpecException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
                PipelineSpecException.class, () -> define(args("spec-file", "/dev/zero"))));
        assertEquals("the spec file /dev/zero is more than the limit of 65536 bytes", e.getMessage());
    }

    @Test
    void aBadSpecIsRejectedWithItsPath() {
        PipelineSpecException e = assertThrows(PipelineSpecException.class,
                () -> define(args("spec", WORD_COUNT.replace("from: pairs", "from: pairz"), "source", "socket://h:1")));
        assertEquals("streams.counts.from", e.path());
        // An IllegalArgumentException: the coordinator answers a job's rejected arguments as a client error.
        assertInstanceOf(IllegalArgumentException.class, e);
    }

    @Test
    void anArgSourceWithoutItsArgument() {
        PipelineSpecException e = assertThrows(PipelineSpecException.class, () -> define(args("spec", WORD_COUNT)));
        assertEquals("sources.lines.arg: the job argument 'source' is not set: it must give this source, as "
                + "socket://host:port, dir:/path, http:<path> or kafka:<servers>/<topic>, or several separated by "
                + "commas", e.getMessage());
        PipelineSpecException bad = assertThrows(PipelineSpecException.class,
                () -> define(args("spec", WORD_COUNT, "source", "ftp://x")));
        assertEquals("sources.lines.arg", bad.path());
        assertTrue(bad.getMessage().contains("has 'ftp://x', expected socket://host:port"), bad.getMessage());
    }

    @Test
    void windowsMustFitTheBatchInterval() {
        String spec = """
                sources: {lines: {socket: "h:1"}}
                streams:
                  w1: {from: lines, window: {length: 4s, slide: 2s}}
                  w2: {from: w1, window: {length: 6s, slide: 3s}}
                outputs: [{stream: w2, print: 1}]
                """;
        PipelineSpecException length = assertThrows(PipelineSpecException.class,
                () -> define(args("spec", spec, "batch", "3s")));
        assertEquals("streams.w1.window.length: 4s is not a multiple of the batch interval (3s)", length.getMessage());
        PipelineSpecException slide = assertThrows(PipelineSpecException.class,
                () -> define(args("spec", spec, "batch", "1s")));
        assertEquals("streams.w2.window.slide: 3s is not a multiple of the slide of 'w1' (2s)", slide.getMessage());
    }

    @Test
    void joinedAndUnitedStreamsMustSlideAlike() {
        String spec = """
                sources: {lines: {socket: "h:1"}}
                streams:
                  w: {from: lines, window: {length: 2s, slide: 2s}}
                  u: {union: [lines, w]}
                outputs: [{stream: u, print: 1}]
                """;
        PipelineSpecException e = assertThrows(PipelineSpecException.class, () -> define(args("spec", spec)));
        assertEquals("streams.u.union[1]: union needs streams that have batches at the same times, but 'w' has one "
                + "every 2s and 'lines' every 1s (a window with a slide changes how often a stream has a batch)",
                e.getMessage());
        PipelineSpecException join = assertThrows(PipelineSpecException.class, () -> define(args("spec", """
                sources: {lines: {socket: "h:1"}}
                streams:
                  p: {from: lines, pair: {key: $0}}
                  w: {from: p, window: {length: 4s, slide: 2s}}
                  j: {from: w, join: p}
                outputs: [{stream: j, print: 1}]
                """)));
        assertEquals("streams.j.join", join.path());
        assertTrue(join.getMessage().contains("'p' has one every 1s and 'w' every 2s"), join.getMessage());
    }

    @Test
    void kafkaOptionsAreCheckedWhenDefined() {
        String spec = """
                sources: {k: {kafka: {servers: "h:9092", topics: [t], options: {colour: blue}}}}
                outputs: [{stream: k, print: 1}]
                """;
        PipelineSpecException e = assertThrows(PipelineSpecException.class, () -> define(args("spec", spec)));
        assertEquals("sources.k.kafka", e.path());
        assertTrue(e.getMessage().contains("unknown option 'colour'"), e.getMessage());
    }

    @Test
    void inputsMustNameSources() {
        PipelineSpec spec = new SpecParser().parse(WORD_COUNT);
        GraphBuilder ctx = new GraphBuilder(Duration.ofSeconds(1), 2, NOWHERE);
        DStream<String> queue = ctx.queueStream(List.of(List.of("a")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PipelineJob.define(ctx, spec, Map.of("words", queue)));
        assertEquals("an input is given for 'words', which is not a source of the spec; its sources: lines",
                e.getMessage());
        Map<String, DStream<?>> streams = PipelineJob.define(ctx, spec, Map.of("lines", queue));
        assertEquals(List.of("lines", "words", "pairs", "counts"), List.copyOf(streams.keySet()));
        assertEquals(queue, streams.get("lines"));
    }
}
