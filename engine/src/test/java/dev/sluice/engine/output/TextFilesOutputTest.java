package dev.sluice.engine.output;

import dev.sluice.api.DStream;
import dev.sluice.api.Pair;
import dev.sluice.engine.exec.LocalRunner;
import dev.sluice.engine.graph.GraphBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextFilesOutputTest {

    private static final Set<String> TWO_PARTS = Set.of("_SUCCESS", "part-00000", "part-00001");

    @TempDir
    Path tmp;

    /** Defines a job on a fresh context and runs the given batches (1-based) in process. */
    private static void run(Consumer<GraphBuilder> define, int... batches) {
        GraphBuilder ctx = new GraphBuilder(Duration.ofSeconds(1), 2, new PrintStream(OutputStream.nullOutputStream()));
        define.accept(ctx);
        LocalRunner runner = new LocalRunner("files", ctx.build(), 2);
        for (int b : batches) {
            runner.runBatch(b);
        }
    }

    /** Every file name in {@code dir}, hidden ones included. */
    private static Set<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return new TreeSet<>(files.map(p -> p.getFileName().toString()).toList());
        }
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    private static List<String> sorted(List<String> lines) {
        List<String> copy = new ArrayList<>(lines);
        Collections.sort(copy);
        return copy;
    }

    /** Each file's bytes, by name. */
    private static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (String name : listing(dir)) {
            out.put(name, Files.readString(dir.resolve(name), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static final List<List<String>> WORDS = List.of(List.of("a b a", "c b a"));

    /** a: 3, b: 2, c: 1; "b" (98) is in partition 0, "a" (97) and "c" (99) in partition 1. */
    private static void wordCount(GraphBuilder ctx, Consumer<dev.sluice.api.PairDStream<String, Integer>> output) {
        output.accept(ctx.queueStream(WORDS)
                .flatMap(l -> Arrays.asList(l.split(" ")))
                .mapToPair(w -> Pair.of(w, 1))
                .reduceByKey(Integer::sum));
    }

    @Test
    void saveAsTextFilesWritesOnePartPerPartitionAndASuccessMarker() throws IOException {
        String prefix = tmp.resolve("counts").toString();
        run(ctx -> wordCount(ctx, counts -> counts.saveAsTextFiles(prefix, "txt")), 1);

        Path dir = tmp.resolve("counts-1000.txt");
        assertTrue(Files.isDirectory(dir), "missing " + dir);
        assertEquals(TWO_PARTS, listing(dir), "no temporary files may be left");
        assertEquals(List.of("(b,2)"), lines(dir.resolve("part-00000")));
        assertEquals(List.of("(a,3)", "(c,1)"), sorted(lines(dir.resolve("part-00001"))));
        assertEquals(0, Files.size(dir.resolve("_SUCCESS")));
        assertEquals(Set.of("counts-1000.txt"), listing(tmp));
    }

    @Test
    void saveAsHadoopFilesWritesKeyTabValue() throws IOException {
        String prefix = tmp.resolve("hadoop").toString();
        run(ctx -> wordCount(ctx, counts -> counts.saveAsHadoopFiles(prefix, "txt")), 1);

        Path dir = tmp.resolve("hadoop-1000.txt");
        assertEquals(TWO_PARTS, listing(dir));
        assertEquals(List.of("b\t2"), lines(dir.resolve("part-00000")));
        assertEquals(List.of("a\t3", "c\t1"), sorted(lines(dir.resolve("part-00001"))));
        assertTrue(Files.exists(dir.resolve("_SUCCESS")));
    }

    @Test
    void hadoopLayoutOmitsNullKeysAndValuesAsTextOutputFormatDoes() throws IOException {
        String prefix = tmp.resolve("nulls").toString();
        run(ctx -> ctx.queueStream(List.of(List.of("x", "y", "z", "n")))
                .mapToPair(s -> switch (s) {
                    case "x" -> Pair.of((String) null, s);
                    case "y" -> Pair.of(s, (String) null);
                    case "n" -> Pair.of((String) null, (String) null);
                    default -> Pair.of(s, s);
                })
                .saveAsHadoopFiles(prefix, null), 1);
        Path dir = tmp.resolve("nulls-1000");
        // input partitions [x, y] and [z, n]: a null key prints the value alone, a null value the key alone,
        // and a pair of two nulls prints no line at all
        assertEquals("x\ny\n", Files.readString(dir.resolve("part-00000"), StandardCharsets.UTF_8));
        assertEquals("z\tz\n", Files.readString(dir.resolve("part-00001"), StandardCharsets.UTF_8));
    }

    @Test
    void textLayoutPrintsNullsAsSparkDoes() throws IOException {
        String prefix = tmp.resolve("textnulls").toString();
        run(ctx -> ctx.queueStream(List.of(Arrays.asList("a", null)))
                .mapToPair(s -> Pair.of(s, (String) null))
                .saveAsTextFiles(prefix, null), 1);
        Path dir = tmp.resolve("textnulls-1000");
        assertEquals(List.of("(a,null)"), lines(dir.resolve("part-00000")));
        assertEquals(List.of("(null,null)"), lines(dir.resolve("part-00001")));
    }

    @Test
    void narrowStreamKeepsInputPartitionsAndOrder() throws IOException {
        String prefix = tmp.resolve("plain").toString();
        run(ctx -> ctx.queueStream(List.of(List.of("x", "y", "zé"), List.of("w")))
                .saveAsTextFiles(prefix, "out"), 1, 2);

        Path first = tmp.resolve("plain-1000.out");
        assertEquals(List.of("x"), lines(first.resolve("part-00000")));
        assertEquals(List.of("y", "zé"), lines(first.resolve("part-00001")));
        assertEquals("y\nzé\n", Files.readString(first.resolve("part-00001"), StandardCharsets.UTF_8));

        Path second = tmp.resolve("plain-2000.out");
        assertEquals(TWO_PARTS, listing(second));
        assertEquals(List.of(), lines(second.resolve("part-00000")));
        assertEquals(List.of("w"), lines(second.resolve("part-00001")));
    }

    @Test
    void emptyBatchStillWritesEmptyPartsAndTheMarker() throws IOException {
        String prefix = tmp.resolve("empty").toString();
        run(ctx -> ctx.queueStream(List.<List<String>>of()).saveAsTextFiles(prefix, "txt"), 3);
        Path dir = tmp.resolve("empty-3000.txt");
        assertEquals(TWO_PARTS, listing(dir));
        assertEquals(0, Files.size(dir.resolve("part-00000")));
        assertEquals(0, Files.size(dir.resolve("part-00001")));
    }

    @Test
    void noSuffixMeansNoDot() throws IOException {
        String prefix = tmp.resolve("bare").toString();
        run(ctx -> {
            DStream<Integer> s = ctx.queueStream(List.of(List.of(1)));
            s.saveAsTextFiles(prefix, null);
            s.map(x -> x + 1).saveAsTextFiles(prefix + "-empty-suffix", "");
        }, 1);
        assertEquals(Set.of("bare-1000", "bare-empty-suffix-1000"), listing(tmp));
        assertEquals(List.of("2"), lines(tmp.resolve("bare-empty-suffix-1000").resolve("part-00001")));
    }

    @Test
    void runningTheSameBatchTwiceGivesTheSameFiles() throws IOException {
        String prefix = tmp.resolve("again").toString();
        Consumer<GraphBuilder> job = ctx -> wordCount(ctx, counts -> counts.saveAsTextFiles(prefix, "txt"));
        run(job, 1);
        Path dir = tmp.resolve("again-1000.txt");
        Map<String, String> first = contents(dir);

        run(job, 1);              // a fresh runner, as a restarted coordinator would
        run(job, 1, 1);           // and the same runner twice
        assertEquals(TWO_PARTS, listing(dir));
        assertEquals(first, contents(dir));
        assertEquals(Set.of("again-1000.txt"), listing(tmp));
    }

    @Test
    void blankPrefixIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> run(ctx -> ctx.queueStream(List.of(List.of(1))).saveAsTextFiles(" ", "txt")));
    }
}
